package com.simplecallcenter.zohosync.sandbox;

import com.simplecallcenter.zohosync.support.AdjustableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OAuthTest {

    private final AdjustableClock clock = AdjustableClock.at(Instant.parse("2025-05-10T12:00:00Z"));
    private ZohoSandbox sb;
    private Zoho zoho;

    @BeforeEach
    void start() {
        sb = ZohoSandbox.start(ZohoSandbox.Options.defaults().clock(clock));
        sb.addUser("ana@example.com", "Ana Agent", "active");
        sb.registerClient(Zoho.CLIENT_ID, Zoho.SECRET, Zoho.REDIRECT);
        zoho = new Zoho(sb);
    }

    @AfterEach
    void stop() {
        sb.stop();
    }

    @Test
    void consentRedirectsWithCodeLocationAndAccountsServer() {
        Map<String, String> cb = consent(sb, "offline", "xyz");
        assertThat(cb).containsEntry("location", "us").containsEntry("accounts-server", sb.accountsUrl())
                .containsEntry("state", "xyz").containsKey("code");

        Zoho.Response r = exchange(sb, cb.get("code"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("access_token").asText()).startsWith("1000.");
        assertThat(r.json().get("refresh_token").asText()).startsWith("1000.");
        assertThat(r.json().get("scope").asText()).isEqualTo("ZohoCRM.users.READ ZohoCRM.modules.calls.ALL");
        assertThat(r.json().get("api_domain").asText()).isEqualTo(sb.apiDomain());
        assertThat(r.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(r.json().get("expires_in").asLong()).isEqualTo(3600);
    }

    @Test
    void grantCodeIsSingleUseAndExpiresAfterTwoMinutes() {
        String code = consent(sb, "offline", "s").get("code");
        assertThat(exchange(sb, code).json().has("access_token")).isTrue();
        Zoho.Response again = exchange(sb, code);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"error\":\"invalid_code\"}");

        String late = consent(sb, "offline", "s").get("code");
        clock.advance(Duration.ofSeconds(121));
        assertThat(exchange(sb, late).json().get("error").asText()).isEqualTo("invalid_code");
    }

    @Test
    void tokenEndpointErrorsAreHttp200WithAnErrorKey() {
        String code = sb.issueGrantCode(Zoho.CLIENT_ID, "ZohoCRM.users.READ");
        Zoho.Response unknown = zoho.token(Map.of("grant_type", "authorization_code", "client_id", "nope",
                "client_secret", Zoho.SECRET, "code", code));
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.json().get("error").asText()).isEqualTo("invalid_client");
        Zoho.Response secret = zoho.token(Map.of("grant_type", "authorization_code", "client_id", Zoho.CLIENT_ID,
                "client_secret", "wrong", "code", code));
        assertThat(secret.json().get("error").asText()).isEqualTo("invalid_client_secret");
    }

    @Test
    void paramsMayComeInTheQueryStringAsZohosExamplesDo() {
        String code = sb.issueGrantCode(Zoho.CLIENT_ID, "ZohoCRM.users.READ");
        String q = Zoho.form(Map.of("grant_type", "authorization_code", "client_id", Zoho.CLIENT_ID,
                "client_secret", Zoho.SECRET, "code", code));
        Zoho.Response r = Zoho.post(sb.accountsUrl() + "/oauth/v2/token?" + q, "", "text/plain", null);
        assertThat(r.json().has("refresh_token")).isTrue();
    }

    @Test
    void refreshGivesAnAccessTokenWithoutRefreshTokenAndIsThrottledAfterTen() {
        String refresh = sb.issueRefreshToken(Zoho.CLIENT_ID, "ZohoCRM.users.READ");
        for (int i = 0; i < 10; i++) {
            Zoho.Response r = refresh(refresh);
            assertThat(r.json().has("access_token")).isTrue();
            assertThat(r.json().has("refresh_token")).isFalse();
        }
        Zoho.Response blocked = refresh(refresh);
        assertThat(blocked.status()).isEqualTo(400);
        assertThat(blocked.json().get("error").asText()).isEqualTo("Access Denied");
        assertThat(blocked.json().get("error_description").asText())
                .isEqualTo("You have made too many requests continuously. Please try again after some time.");
        assertThat(blocked.json().get("status").asText()).isEqualTo("failure");
        assertThat(sb.refreshCount()).isEqualTo(10);

        clock.advance(Duration.ofMinutes(10));
        assertThat(refresh(refresh).json().has("access_token")).isTrue();
    }

    @Test
    void revokingARefreshTokenKillsItsAccessTokens() {
        String refresh = sb.issueRefreshToken(Zoho.CLIENT_ID, "ZohoCRM.users.READ");
        zoho.accessToken = refresh(refresh).json().get("access_token").asText();
        assertThat(zoho.get("/crm/v8/users?type=CurrentUser").status()).isEqualTo(200);

        Zoho.Response revoke = Zoho.post(sb.accountsUrl() + "/oauth/v2/token/revoke?token=" + refresh, "",
                "text/plain", null);
        assertThat(revoke.status()).isEqualTo(200);
        assertThat(revoke.body()).isEqualTo("{\"status\":\"success\"}");
        assertThat(refresh(refresh).json().get("error").asText()).isEqualTo("invalid_code");
        Zoho.Response api = zoho.get("/crm/v8/users?type=CurrentUser");
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.json().get("code").asText()).isEqualTo("INVALID_TOKEN");

        assertThat(Zoho.post(sb.accountsUrl() + "/oauth/v2/token/revoke?token=bogus", "", "text/plain", null)
                .status()).isEqualTo(400);
    }

    @Test
    void theTwentyFirstRefreshTokenEvictsTheOldest() {
        String first = sb.issueRefreshToken(Zoho.CLIENT_ID, "ZohoCRM.users.READ");
        for (int i = 0; i < 19; i++) {
            sb.issueRefreshToken(Zoho.CLIENT_ID, "ZohoCRM.users.READ");
        }
        assertThat(refresh(first).json().has("access_token")).isTrue();
        sb.issueRefreshToken(Zoho.CLIENT_ID, "ZohoCRM.users.READ");
        assertThat(refresh(first).json().get("error").asText()).isEqualTo("invalid_code");
    }

    @Test
    void accessTokensExpireByClockAndByKnob() {
        zoho = Zoho.connected(sb, "ZohoCRM.users.READ");
        assertThat(zoho.get("/crm/v8/users").status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(3600));
        Zoho.Response expired = zoho.get("/crm/v8/users");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("code").asText()).isEqualTo("INVALID_TOKEN");
        assertThat(expired.json().get("message").asText()).isEqualTo("invalid oauth token");

        zoho = Zoho.connected(sb, "ZohoCRM.users.READ");
        sb.expireAccessTokens();
        assertThat(zoho.get("/crm/v8/users").json().get("code").asText()).isEqualTo("INVALID_TOKEN");
    }

    @Test
    void revokeRefreshTokensKnobMakesRefreshAnswerInvalidCode() {
        String refresh = sb.issueRefreshToken(Zoho.CLIENT_ID, "ZohoCRM.users.READ");
        sb.revokeRefreshTokens();
        Zoho.Response r = refresh(refresh);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_code");
    }

    @Test
    void onlyZohoOauthtokenAuthenticates() {
        zoho = Zoho.connected(sb, "ZohoCRM.users.READ");
        Zoho.Response none = Zoho.send(HttpRequest.newBuilder(URI.create(sb.apiDomain() + "/crm/v8/users")), null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("code").asText()).isEqualTo("AUTHENTICATION_FAILURE");
        Zoho.Response bearer = Zoho.send(HttpRequest.newBuilder(URI.create(sb.apiDomain() + "/crm/v8/users"))
                .header("Authorization", "Bearer " + zoho.accessToken), null);
        assertThat(bearer.json().get("code").asText()).isEqualTo("AUTHENTICATION_FAILURE");
        zoho.accessToken = "1000.garbage";
        assertThat(zoho.get("/crm/v8/users").json().get("code").asText()).isEqualTo("INVALID_TOKEN");
    }

    @Test
    void missingScopeIsOauthScopeMismatch() {
        zoho = Zoho.connected(sb, "ZohoCRM.users.READ,ZohoCRM.modules.calls.READ");
        Zoho.Response r = zoho.post("/crm/v8/Calls", "{\"data\":[{\"Subject\":\"x\"}]}");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("code").asText()).isEqualTo("OAUTH_SCOPE_MISMATCH");
        assertThat(r.json().get("status").asText()).isEqualTo("error");

        zoho = Zoho.connected(sb, "ZohoCRM.modules.ALL");
        assertThat(zoho.get("/crm/v8/users").json().get("code").asText()).isEqualTo("OAUTH_SCOPE_MISMATCH");
        assertThat(zoho.get("/crm/v8/Calls?fields=Subject").status()).isEqualTo(204);
    }

    @Test
    void deniedConsentRedirectsWithAccessDenied() {
        sb.denyConsent(true);
        Map<String, String> cb = consent(sb, "offline", "st");
        assertThat(cb).containsEntry("error", "access_denied").containsEntry("state", "st").doesNotContainKey("code");
    }

    @Test
    void multiDcConsentForwardsToTheUsersDataCentre() {
        ZohoSandbox eu = ZohoSandbox.start(ZohoSandbox.Options.defaults().location("eu").clock(clock));
        try {
            eu.addUser("eva@example.eu", "Eva Euro", "active");
            sb.forwardConsentTo(eu);
            Map<String, String> cb = consent(sb, "offline", "st");
            assertThat(cb).containsEntry("location", "eu").containsEntry("accounts-server", eu.accountsUrl());

            assertThat(exchange(sb, cb.get("code")).json().get("error").asText()).isEqualTo("invalid_code");
            Zoho.Response ok = exchange(eu, cb.get("code"));
            assertThat(ok.json().get("api_domain").asText()).isEqualTo(eu.apiDomain());

            Zoho wrongDc = new Zoho(sb);
            wrongDc.accessToken = ok.json().get("access_token").asText();
            assertThat(wrongDc.get("/crm/v8/users").json().get("code").asText()).isEqualTo("AUTHENTICATION_FAILURE");
            Zoho rightDc = new Zoho(eu);
            rightDc.accessToken = wrongDc.accessToken;
            assertThat(rightDc.get("/crm/v8/users?type=CurrentUser").json().at("/users/0/email").asText())
                    .isEqualTo("eva@example.eu");
        } finally {
            eu.stop();
        }
    }

    @Test
    void onlineAccessGivesNoRefreshTokenAndOfflineOnlyOnceWithoutPromptConsent() {
        assertThat(exchange(sb, consent(sb, "online", "s").get("code")).json().has("refresh_token")).isFalse();
        assertThat(exchange(sb, consent(sb, "offline", "s").get("code")).json().has("refresh_token")).isTrue();
        assertThat(exchange(sb, consent(sb, "offline", "s").get("code")).json().has("refresh_token")).isFalse();
        Map<String, String> forced = consentWith(sb, Map.of("access_type", "offline", "prompt", "consent"));
        assertThat(exchange(sb, forced.get("code")).json().has("refresh_token")).isTrue();
    }

    private Zoho.Response refresh(String refreshToken) {
        return zoho.token(Map.of("grant_type", "refresh_token", "client_id", Zoho.CLIENT_ID,
                "client_secret", Zoho.SECRET, "refresh_token", refreshToken));
    }

    private static Zoho.Response exchange(ZohoSandbox dc, String code) {
        return new Zoho(dc).token(Map.of("grant_type", "authorization_code", "client_id", Zoho.CLIENT_ID,
                "client_secret", Zoho.SECRET, "redirect_uri", Zoho.REDIRECT, "code", code));
    }

    private static Map<String, String> consent(ZohoSandbox dc, String accessType, String state) {
        return consentWith(dc, Map.of("access_type", accessType, "state", state));
    }

    private static Map<String, String> consentWith(ZohoSandbox dc, Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", Zoho.CLIENT_ID);
        p.put("scope", "ZohoCRM.users.READ,ZohoCRM.modules.calls.ALL");
        p.put("redirect_uri", Zoho.REDIRECT);
        p.putAll(extra);
        Zoho.Response r = Zoho.send(HttpRequest.newBuilder(URI.create(dc.accountsUrl() + "/oauth/v2/auth?"
                + Zoho.form(p))).GET(), null);
        assertThat(r.status()).isEqualTo(302);
        String location = r.raw().headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(Zoho.REDIRECT + "?");
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : location.substring(location.indexOf('?') + 1).split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
