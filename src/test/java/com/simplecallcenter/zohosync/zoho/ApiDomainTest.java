package com.simplecallcenter.zohosync.zoho;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The api_domain Zoho's token answer names is where the access token goes next: only the exact API hosts of Zoho's
 * data centres (docs/zoho-crm-api.md §1.1) or a configured accounts server's own host (the sandbox) are taken.
 */
class ApiDomainTest {

    static final List<URI> OWN = List.of(URI.create("http://127.0.0.1:18080"), URI.create("https://accounts.zoho.com"));

    @Test
    void theDataCentresApiHostsAreAccepted() {
        for (String dc : List.of("https://www.zohoapis.com", "https://www.zohoapis.eu", "https://www.zohoapis.in",
                "https://www.zohoapis.com.au", "https://www.zohoapis.jp", "https://www.zohoapis.ca", "https://www.zohoapis.com.cn",
                "https://www.zohoapis.sa", "https://sandbox.zohoapis.com", "https://WWW.ZohoAPIs.EU/")) {
            assertThat(ZohoOAuth.apiDomainOf(dc, OWN)).as(dc).isEqualTo(URI.create(dc).getScheme() + "://"
                    + URI.create(dc).getHost().toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Test
    void lookAlikesAndOtherHostsAreRefused() {
        for (String evil : List.of("https://x.zohoapis.evil.net", "https://www.zohoapis.evil.net", "https://www.zohoapis.com.evil.net",
                "https://evil.zohoapis.com", "https://zohoapis.com", "http://www.zohoapis.com", "https://www.zohoapis.com:8443",
                "https://user@www.zohoapis.com", "https://www.zohoapis.uk", "https://attacker.example")) {
            assertThatThrownBy(() -> ZohoOAuth.apiDomainOf(evil, OWN)).as(evil).isInstanceOf(ZohoOAuth.ConnectFailure.class)
                    .hasMessageContaining("unexpected API domain");
        }
    }

    @Test
    void aConfiguredAccountsServersOwnHostIsAccepted() {
        // the sandbox serves accounts and API from one host
        assertThat(ZohoOAuth.apiDomainOf("http://127.0.0.1:18080", OWN)).isEqualTo("http://127.0.0.1:18080");
        assertThat(ZohoOAuth.apiDomainOf("https://accounts.zoho.com", OWN)).isEqualTo("https://accounts.zoho.com");
        assertThatThrownBy(() -> ZohoOAuth.apiDomainOf("https://accounts.zoho.eu", OWN)).isInstanceOf(ZohoOAuth.ConnectFailure.class);
    }
}
