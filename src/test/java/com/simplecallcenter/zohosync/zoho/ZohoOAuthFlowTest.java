package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin's connect round trip through the sandbox playing Zoho's accounts server, and its failure modes. */
class ZohoOAuthFlowTest {

    static final String SCHEMA = "t_zoho_flow";
    static ZohoSandbox zoho;
    static ZohoSandbox zohoEu;
    static AppHarness app;

    @BeforeAll
    static void start() throws Exception {
        zoho = ZohoSandbox.start();
        zohoEu = ZohoSandbox.start(ZohoSandbox.Options.defaults().port(0).location("eu"));
        app = AppHarness.on(SCHEMA).sandbox(zoho).notConnected().setting("scc.zoho.trusted-accounts-servers", zohoEu.accountsUrl()).start();
    }

    @AfterAll
    static void stop() {
        app.close();
        zoho.stop();
        zohoEu.stop();
    }

    @BeforeEach
    void clean() throws Exception {
        app.admin("DELETE", "/api/v1/admin/zoho", null);
        String redirect = app.redirectUri();
        zoho.reset();
        zohoEu.reset();
        zoho.registerClient(AppHarness.CLIENT_ID, AppHarness.CLIENT_SECRET, redirect);
        zoho.addUser("ana@example.com", "Ana Admin", "active");
        zohoEu.addUser("eva@example.eu", "Eva Europa", "active");
    }

    static final String COOKIE = "scc_oauth_nonce";

    @Test
    void connectConsentCallbackConnects() {
        HttpResponse<String> connect = app.admin("GET", "/oauth/zoho/connect", null);
        assertThat(connect.statusCode()).isEqualTo(302);
        URI consent = URI.create(connect.headers().firstValue("Location").orElseThrow());
        // the consent is bound to this browser: a cookie Zoho's top-level redirect back carries (Lax), scripts cannot read
        assertThat(connect.headers().allValues("Set-Cookie")).filteredOn(c -> c.startsWith(COOKIE + "=")).singleElement()
                .satisfies(c -> assertThat(c).contains("Path=/oauth/zoho", "HttpOnly", "SameSite=Lax").doesNotContain("Secure"));
        assertThat(consent.toString()).startsWith(zoho.accountsUrl() + "/oauth/v2/auth?");
        Map<String, String> q = query(consent);
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", AppHarness.CLIENT_ID)
                .containsEntry("scope", AppHarness.SCOPES).containsEntry("redirect_uri", app.redirectUri())
                .containsEntry("access_type", "offline").containsEntry("prompt", "consent");
        // 256 random bits, base64url
        assertThat(q.get("state")).matches("[A-Za-z0-9_-]{43}");

        HttpResponse<String> page = followConsent(new Started(consent, Http.cookieSetBy(connect, COOKIE)));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("Zoho CRM connected").contains("ana@example.com");
        // the callback URL held a grant code: the page is never cached and sends no Referer
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");

        JsonNode status = app.zohoStatus();
        assertThat(status.path("connected").asBoolean()).isTrue();
        assertThat(status.path("state").asText()).isEqualTo("connected");
        assertThat(status.path("accountsUrl").asText()).isEqualTo(zoho.accountsUrl());
        assertThat(status.path("apiDomain").asText()).isEqualTo(zoho.apiDomain());
        assertThat(status.path("scopes").toString()).contains("ZohoCRM.modules.calls.ALL");
        assertThat(status.path("connectedAt").asText()).isNotEmpty();
        assertThat(status.path("user").path("email").asText()).isEqualTo("ana@example.com");
        assertThat(status.path("user").path("id").asText()).matches("\\d+");
        assertThat(status.toString()).doesNotContain("1000.");

        // and the connection works for the sync
        assertThat(app.zohoClient().users("CurrentUser")).hasSize(1);
    }

    @Test
    void stateMissingForgedExpiredOrReusedIsRefused() throws Exception {
        HttpResponse<String> missing = Http.get(app.baseUrl() + "/oauth/zoho/callback?code=1000.abc");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("state parameter");

        HttpResponse<String> forged = Http.get(app.baseUrl() + "/oauth/zoho/callback?code=1000.abc&state=forged%3Cscript%3E");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("not one this service issued").doesNotContain("<script>");

        // reused: the same answer from Zoho twice
        Started started = startConsent();
        String callback = callbackOf(started);
        assertThat(Http.get(callback, started.cookie()).statusCode()).isEqualTo(200);
        HttpResponse<String> reused = Http.get(callback, started.cookie());
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(reused.body()).contains("already used");

        // expired: the state row is 10 minutes old by the time the browser comes back
        Started consent2 = startConsent();
        try (Connection c = TestDatabase.dataSource(SCHEMA).getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE zoho_oauth_state SET expires_at = now() - interval '1 second' WHERE used_at IS NULL");
        }
        HttpResponse<String> expired = followConsent(consent2);
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(expired.body()).contains("longer than 10 minutes");
        // none of these four made a token request beyond the one good connect
        assertThat(zoho.count("POST", "/oauth/v2/token")).isEqualTo(1);
    }

    @Test
    void aConsentUrlFinishedInAnotherBrowserConnectsNothing() {
        // the admin starts a consent; someone else holds its URL and finishes it with their own Zoho org
        Started admin = startConsent();
        String callback = callbackOf(admin);
        Started other = startConsent();
        for (String cookie : new String[]{null, other.cookie(), COOKIE + "=" + "A".repeat(43)}) {
            HttpResponse<String> page = Http.get(callback, cookie);
            assertThat(page.statusCode()).as(String.valueOf(cookie)).isEqualTo(400);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(page.body()).contains("Zoho CRM not connected", "did not come back to the browser that started it");
        }
        assertThat(zoho.count("POST", "/oauth/v2/token")).as("no code was exchanged").isZero();
        assertThat(app.zohoStatus().path("connected").asBoolean()).isFalse();
        // the refused tries did not use the state up: the admin's own browser still finishes
        assertThat(Http.get(callback, admin.cookie()).statusCode()).isEqualTo(200);
        assertThat(app.zohoStatus().path("connected").asBoolean()).isTrue();
    }

    @Test
    void deniedConsentIsAClearFailure() {
        zoho.denyConsent(true);
        HttpResponse<String> page = followConsent(startConsent());
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("Zoho CRM not connected").contains("access_denied");
        assertThat(app.zohoStatus().path("state").asText()).isEqualTo("disconnected");
        assertThat(zoho.count("POST", "/oauth/v2/token")).isZero();
    }

    @Test
    void euDataCentreIsFollowedForTheCodeTheApiAndRefreshes() {
        zoho.forwardConsentTo(zohoEu);
        Started started = startConsent();
        assertThat(started.consent().toString()).startsWith(zoho.accountsUrl());
        HttpResponse<String> page = followConsent(started);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);

        JsonNode status = app.zohoStatus();
        assertThat(status.path("accountsUrl").asText()).isEqualTo(zohoEu.accountsUrl());
        assertThat(status.path("apiDomain").asText()).isEqualTo(zohoEu.apiDomain());
        assertThat(status.path("location").asText()).isEqualTo("eu");
        assertThat(status.path("user").path("email").asText()).isEqualTo("eva@example.eu");
        assertThat(zoho.count("POST", "/oauth/v2/token")).isZero();
        assertThat(zohoEu.count("POST", "/oauth/v2/token")).isEqualTo(1);

        zohoEu.expireAccessTokens();
        assertThat(app.zohoClient().users("CurrentUser")).hasSize(1);
        assertThat(zohoEu.refreshCount()).isEqualTo(1);
        assertThat(zoho.refreshCount()).isZero();
        assertThat(zoho.count("GET", "/crm/")).isZero();
    }

    @Test
    void theClientSecretIsNeverSentToAnAccountsServerTheCallbackMakesUp() {
        String callback = callbackOf(startConsent());
        for (String evil : new String[]{"https://evil.example", "http://127.0.0.1:1", "https://accounts.zoho.com.evil.example",
                "https://user@accounts.zoho.eu", "https://accounts.zoho.eu/path"}) {
            String tampered = callback.replaceAll("accounts-server=[^&]*", "accounts-server=" + java.net.URLEncoder.encode(evil, StandardCharsets.UTF_8));
            // each try needs its own state: the first use consumes it
            HttpResponse<String> page = withFreshState(tampered);
            assertThat(page.statusCode()).as(evil).isEqualTo(400);
            assertThat(page.body()).contains("not a Zoho accounts server");
        }
        assertThat(zoho.count("POST", "/oauth/v2/token")).isZero();
        assertThat(app.zohoStatus().path("connected").asBoolean()).isFalse();
    }

    @Test
    void headlessGrantThenDisconnectRevokesAtZoho() {
        HttpResponse<String> r = app.grant(zoho.issueGrantCode(AppHarness.CLIENT_ID, AppHarness.SCOPES), zoho.accountsUrl());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode status = AppHarness.json(r.body());
        assertThat(status.path("connected").asBoolean()).isTrue();
        assertThat(status.path("user").path("email").asText()).isEqualTo("ana@example.com");
        assertThat(r.body()).doesNotContain("1000.");

        // a reconnect replaces the connection and revokes the refresh token it replaced (Zoho keeps only 20 per user)
        app.connect();
        assertThat(zoho.count("POST", "/oauth/v2/token/revoke")).isEqualTo(1);
        assertThat(app.zohoClient().users("CurrentUser")).hasSize(1);

        HttpResponse<String> del = app.admin("DELETE", "/api/v1/admin/zoho", null);
        assertThat(del.statusCode()).isEqualTo(204);
        assertThat(zoho.count("POST", "/oauth/v2/token/revoke")).isEqualTo(2);
        assertThat(zoho.journal().stream().filter(e -> e.path().equals("/oauth/v2/token/revoke")).map(ZohoSandbox.JournalEntry::status))
                .containsOnly(200);
        assertThat(app.zohoStatus().path("state").asText()).isEqualTo("disconnected");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.zohoClient().users("CurrentUser"))
                .isInstanceOf(ZohoNotConnectedException.class);
    }

    @Test
    void badGrantsAre4xxProblems() {
        HttpResponse<String> used = app.grant("1000.deadbeef.deadbeef", zoho.accountsUrl());
        assertThat(used.statusCode()).isEqualTo(400);
        assertThat(used.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(used.body()).contains("invalid_code");

        HttpResponse<String> evil = app.grant(zoho.issueGrantCode(AppHarness.CLIENT_ID, AppHarness.SCOPES), "https://evil.example");
        assertThat(evil.statusCode()).isEqualTo(400);
        assertThat(evil.body()).contains("accountsUrl");

        HttpResponse<String> noCode = Http.send(app.adminRequest("/api/v1/admin/zoho/grant").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"accountsUrl\":\"" + zoho.accountsUrl() + "\"}")).build());
        assertThat(noCode.statusCode()).isEqualTo(400);
        assertThat(noCode.body()).contains("\"field\":\"code\"");

        HttpResponse<String> notJson = Http.send(app.adminRequest("/api/v1/admin/zoho/grant").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{nope")).build());
        assertThat(notJson.statusCode()).isEqualTo(400);

        HttpResponse<String> wrongType = Http.send(app.adminRequest("/api/v1/admin/zoho/grant").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("code")).build());
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(app.zohoStatus().path("connected").asBoolean()).isFalse();
    }

    /** The admin's browser at GET /oauth/zoho/connect: Zoho's consent URL, and the connect cookie it was given. */
    record Started(URI consent, String cookie) {
    }

    private static Started startConsent() {
        HttpResponse<String> connect = app.admin("GET", "/oauth/zoho/connect", null);
        assertThat(connect.statusCode()).as(connect.body()).isEqualTo(302);
        return new Started(URI.create(connect.headers().firstValue("Location").orElseThrow()), Http.cookieSetBy(connect, COOKIE));
    }

    /** The consent page's 302 back to our callback (the URL a browser would follow), for a started consent. */
    private static String callbackOf(Started started) {
        HttpResponse<String> atZoho = Http.get(started.consent().toString());
        assertThat(atZoho.statusCode()).as(atZoho.body()).isEqualTo(302);
        String callback = atZoho.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(app.redirectUri());
        return callback;
    }

    /** Browser steps: our 302 to the consent page was followed; now the consent page's 302 back to our callback. */
    private static HttpResponse<String> followConsent(Started started) {
        return Http.get(callbackOf(started), started.cookie());
    }

    /** A tampered callback with the state (and the cookie) of a fresh consent. */
    private static HttpResponse<String> withFreshState(String callback) {
        Started fresh = startConsent();
        String state = query(fresh.consent()).get("state");
        return Http.get(callback.replaceAll("state=[^&]*", "state=" + state), fresh.cookie());
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
