package com.simplecallcenter.zohosync.admin;

import com.simplecallcenter.zohosync.http.Html;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page over real HTTP, as a browser uses it: sign in with the admin token, click "Connect Zoho CRM" through
 * the sandbox's consent page, switch an optional route, replay a parked call, disconnect; and what it refuses.
 */
class AdminPageTest {

    static final String SCHEMA = "t_admin_page";
    static AppHarness h;
    static ZohoSandbox sandbox;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        // the admin connects through the page
        h = AppHarness.on(SCHEMA).notConnected().start();
        sandbox = h.sandbox();
        base = h.baseUrl();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static HttpResponse<String> get(String path, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path)).timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return Http.send(b.GET().build());
    }

    static HttpResponse<String> post(String path, String cookie, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return Http.send(b.POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    /** Signs in and returns the Cookie header a browser would send from then on. */
    static String signIn() {
        HttpResponse<String> r = post("/admin/login", null, Map.of("token", AppHarness.ADMIN));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(URI.create(base + "/admin/login").resolve(r.headers().firstValue("Location").orElseThrow()).getPath()).isEqualTo("/admin");
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(AdminAuth.COOKIE + "=").contains("HttpOnly", "SameSite=Strict", "Path=/");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    static String csrf(String page) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as("a CSRF token on the page").isTrue();
        return m.group(1);
    }

    @Test
    void withoutASessionOnlyTheSignInFormIsShownAndAWrongTokenIsRefused() {
        HttpResponse<String> page = get("/admin", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains("name=\"token\"").doesNotContain("Connect Zoho CRM", "Optional routes");

        HttpResponse<String> wrong = post("/admin/login", null, Map.of("token", "not-the-token"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        // a forged or tampered cookie is no session
        String forged = AdminAuth.COOKIE + "=99999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assertThat(get("/admin", forged).body()).contains("name=\"token\"").doesNotContain("Optional routes");
        String real = signIn();
        String value = real.substring(real.indexOf('=') + 1);
        String[] parts = value.split("\\.");
        assertThat(parts[0]).isEqualTo(AdminAuth.OPERATOR);
        long expiry = Long.parseLong(parts[1]);
        // a later expiry with the old signature, and the right expiry with a changed signature
        String longer = AdminAuth.COOKIE + "=" + parts[0] + "." + (expiry + 86_400) + "." + parts[2];
        char last = value.charAt(value.length() - 1);
        String resigned = AdminAuth.COOKIE + "=" + value.substring(0, value.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(get("/admin", real).body()).contains("Optional routes");
        assertThat(get("/admin", longer).body()).doesNotContain("Optional routes");
        assertThat(get("/admin", resigned).body()).doesNotContain("Optional routes");
        // the cookie never opens the JSON admin API, which keeps requiring the bearer token
        assertThat(get("/api/v1/admin/features", real).statusCode()).isEqualTo(401);
        assertThat(get("/oauth/zoho/connect", null).statusCode()).isEqualTo(401);
    }

    @Test
    void signInThenConnectZohoByClickingThroughTheConsentPage() {
        String cookie = signIn();
        HttpResponse<String> page = get("/admin", cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Not connected", "Connect Zoho CRM", "href=\"oauth/zoho/connect\"");

        // the button is a link to the connect redirect, which accepts the page's session cookie
        HttpResponse<String> connect = get(URI.create(base + "/admin").resolve("oauth/zoho/connect").toString(), cookie);
        assertThat(connect.statusCode()).isEqualTo(302);
        String consent = connect.headers().firstValue("Location").orElseThrow();
        assertThat(consent).startsWith(sandbox.accountsUrl() + "/oauth/v2/auth?");
        HttpResponse<String> atZoho = get(consent, null);
        assertThat(atZoho.statusCode()).isEqualTo(302);
        // Zoho's redirect back is cross-site: the browser brings the connect cookie (SameSite=Lax), not the session's
        HttpResponse<String> callback = get(atZoho.headers().firstValue("Location").orElseThrow(),
                com.simplecallcenter.zohosync.support.Http.cookieSetBy(connect, "scc_oauth_nonce"));
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(200);
        assertThat(callback.body()).contains("connected", "admin@acme.example", "Back to the admin page");

        HttpResponse<String> after = get("/admin", cookie);
        assertThat(after.body()).contains("Connected", "admin@acme.example", "Reconnect Zoho CRM", "Disconnect")
                .doesNotContain("access_token", "Zoho-oauthtoken");

        // disconnect needs the CSRF token of the page
        assertThat(post("/admin/zoho/disconnect", cookie, Map.of()).statusCode()).isEqualTo(403);
        HttpResponse<String> done = post("/admin/zoho/disconnect", cookie, Map.of("csrf", csrf(after.body())));
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(get("/admin", cookie).body()).contains("Not connected");
        assertThat(h.admin("GET", "/api/v1/admin/zoho", null).body())
                .contains("\"state\":\"disconnected\"");
    }

    @Test
    void switchAnOptionalRouteAndReplayAParkedCall() {
        h.admin("DELETE", "/api/v1/admin/zoho", null);
        String cookie = signIn();
        String page = get("/admin", cookie).body();
        assertThat(page).contains("followup-tasks");
        String token = csrf(page);

        assertThat(post("/admin/features/followup-tasks", cookie, Map.of("enabled", "true")).statusCode()).isEqualTo(403);
        assertThat(post("/admin/features/followup-tasks", null, Map.of("enabled", "true", "csrf", token)).statusCode()).isEqualTo(401);
        HttpResponse<String> on = post("/admin/features/followup-tasks", cookie, Map.of("enabled", "true", "csrf", token));
        assertThat(on.statusCode()).isEqualTo(303);
        assertThat(h.admin("GET", "/api/v1/admin/features", null).body())
                .contains("{\"name\":\"followup-tasks\",\"enabled\":true");
        assertThat(post("/admin/features/no-such", cookie, Map.of("enabled", "true", "csrf", token)).statusCode()).isEqualTo(400);
        post("/admin/features/followup-tasks", cookie, Map.of("enabled", "false", "csrf", token));

        // not connected: the call is parked, listed on the page, and replayed from it
        assertThat(h.postEvent(CanonicalEvent.event("ap-1", "ap-call", "call.ended").occurredAt("2026-11-24T10:17:05Z").inbound()
                .from("+14155550101").to("+14155550100").json())
                .statusCode()).isEqualTo(202);
        String listed = Wait.until(() -> get("/admin", cookie).body(), b -> b.contains("ap-call") && b.contains("NOT_CONNECTED"));
        assertThat(listed).contains("NOT_CONNECTED", "Replay");
        HttpResponse<String> replay = post("/admin/calls/ap-call/replay", cookie, Map.of("csrf", csrf(listed)));
        assertThat(replay.statusCode()).isEqualTo(303);
        assertThat(URI.create(base + "/admin/calls/ap-call/replay").resolve(replay.headers().firstValue("Location").orElseThrow()).getPath())
                .isEqualTo("/admin");
        assertThat(post("/admin/calls/nope/replay", cookie, Map.of("csrf", csrf(listed))).statusCode()).isEqualTo(404);

        HttpResponse<String> out = post("/admin/logout", cookie, Map.of());
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    }

    @Test
    void theStrictCspAllowsOnlyOurOwnStylesheetAndScriptWhichTheAppServes() {
        String csp = get("/admin", null).headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "style-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
        String page = get("/admin", signIn()).body();
        assertThat(page).contains("href=\"admin/assets/admin.css\"", "src=\"admin/assets/admin.js\"")
                .doesNotContain("<style", " style=\"", "<script>", "onclick=");
        HttpResponse<String> css = get("/admin/assets/admin.css", null);
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
        assertThat(get("/admin/assets/admin.js", null).headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(get("/admin/assets/favicon.svg", null).statusCode()).isEqualTo(200);
        assertThat(get("/admin/assets/nope.js", null).statusCode()).isEqualTo(404);
        assertThat(get("/admin/assets/..%2Fadmin", null).statusCode()).isIn(400, 404);
    }

    @Test
    void badInputIsA4xxWithTheReasonAndChangesNothing() {
        String cookie = signIn();
        String token = csrf(get("/admin", cookie).body());
        String before = h.admin("GET", "/api/v1/tenants/default", null).body();

        // a setting the tenant API refuses: 400, the page says why, nothing is stored
        HttpResponse<String> bad = post("/admin/settings", cookie, Map.of("csrf", token, "createMissing", "Bogus<b>"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Nothing was changed", "createMissing").doesNotContain("Bogus<b>");
        assertThat(h.admin("GET", "/api/v1/tenants/default", null).body()).isEqualTo(before);
        // every POST needs the session and the CSRF token
        assertThat(post("/admin/settings", cookie, Map.of("createMissing", "none")).statusCode()).isEqualTo(403);
        assertThat(post("/admin/settings", null, Map.of("csrf", token, "createMissing", "none")).statusCode()).isEqualTo(401);
        assertThat(post("/admin/test-call", cookie, Map.of("number", "+14155550100")).statusCode()).isEqualTo(403);
        assertThat(post("/admin/failures/replay", cookie, Map.of("code", "X")).statusCode()).isEqualTo(403);
        assertThat(post("/admin/agents", cookie, Map.of("count", "0")).statusCode()).isEqualTo(403);

        // a test call to something that is not a number: 400 with the reason, the number as typed (escaped)
        HttpResponse<String> number = post("/admin/test-call", cookie, Map.of("csrf", token, "number", "<b>call me</b>"));
        assertThat(number.statusCode()).isEqualTo(400);
        assertThat(number.body()).contains("Enter a phone number", "value=\"&lt;b&gt;call me&lt;/b&gt;\"", "aria-invalid=\"true\"")
                .doesNotContain("<b>call me");
        assertThat(h.db().queryForObject("SELECT count(*) FROM call_event WHERE call_id LIKE 'scc-test-%'", Integer.class)).isZero();
        assertThat(post("/admin/failures/replay", cookie, Map.of("csrf", token, "code", "a b")).statusCode()).isEqualTo(400);
        // the default tenant's agents are config/agents.yaml
        assertThat(post("/admin/agents", cookie, Map.of("csrf", token, "count", "1", "agent.0", "ag_1", "user.0", "1")).statusCode()).isEqualTo(409);
    }

    @Test
    void agentsSeenInCallsAreListedEscapedAndWithoutSecrets() {
        h.postEvent(CanonicalEvent.event("ap-esc", "ap-esc-call", "call.ended").occurredAt("2026-11-24T10:17:05Z").inbound()
                .from("+14155550109").to("+14155550100").members("\"agent\":{\"id\":\"ag_<i>\",\"name\":\"<script>alert(1)</script>\"}").json());
        String page = Wait.until(() -> get("/admin", signIn()).body(), b -> b.contains("ag_&lt;i&gt;"));
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "config/agents.yaml", "not mapped")
                .doesNotContain("<script>alert", AppHarness.ADMIN, AppHarness.WEBHOOK_SECRET, AppHarness.CLIENT_SECRET);
    }

    @Test
    void everythingShownIsEscaped() {
        assertThat(Html.escape("<script>alert('x')</script>&\"")).isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
        assertThat(AdminPage.parse("a=1&b=x%20y&a=2&c")).containsEntry("a", "1").containsEntry("b", "x y").containsEntry("c", "");
    }
}
