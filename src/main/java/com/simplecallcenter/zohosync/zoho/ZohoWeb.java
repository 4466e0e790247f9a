package com.simplecallcenter.zohosync.zoho;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a person opens a record in Zoho CRM's web UI: the org's data centre, derived from the connection's
 * {@code api_domain} ({@code https://www.zohoapis.eu} → {@code https://crm.zoho.eu/crm/tab/Calls/{id}}; Canada's is
 * {@code zohocloud.ca}, a sandbox org's {@code crmsandbox.zoho.*}). Any other API host (the built-in sandbox, an
 * emulator) serves the record page itself, at the same path.
 */
public final class ZohoWeb {

    private static final Pattern ZOHO_API = Pattern.compile("^https://(www|sandbox|developer)\\.zohoapis\\.([a-z.]+)$");

    private ZohoWeb() {
    }

    /** The web UI's base URL for this API domain, without a trailing slash; empty for a domain it cannot tell. */
    public static Optional<String> base(String apiDomain) {
        if (apiDomain == null || apiDomain.isBlank()) {
            return Optional.empty();
        }
        String d = apiDomain.trim().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        Matcher m = ZOHO_API.matcher(d);
        if (m.matches()) {
            String tld = m.group(2);
            String host = tld.equals("ca") ? "zohocloud.ca" : "zoho." + tld;
            return Optional.of("https://" + (m.group(1).equals("sandbox") ? "crmsandbox." : "crm.") + host);
        }
        try {
            URI u = URI.create(d);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return Optional.of(u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()));
            }
        } catch (IllegalArgumentException e) {
            // not a URL: no link
        }
        return Optional.empty();
    }

    /** The record's page: {@code {base}/crm/tab/{module}/{id}}; empty without a base or with an id that is not Zoho's. */
    public static Optional<String> record(String apiDomain, String module, String id) {
        if (module == null || id == null || !module.matches("[A-Za-z_]{1,50}") || !id.matches("[0-9]{1,19}")) {
            return Optional.empty();
        }
        return base(apiDomain).map(b -> b + "/crm/tab/" + module + "/" + id);
    }
}
