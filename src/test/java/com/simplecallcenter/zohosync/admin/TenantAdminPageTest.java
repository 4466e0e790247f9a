package com.simplecallcenter.zohosync.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.support.AppHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page per tenant: a tenant admin signs in with the tenant's token and sees and acts on that tenant only
 * (connect through the consent page, switches, agents); the operator sees the list of tenants and opens any of them.
 */
class TenantAdminPageTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static AppHarness h;
    static String base;
    static String acmeToken;
    static String betaToken;
    static final Map<String, String> SECRETS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        // tenants connect through the page; no fixed API URL: each connection's own api_domain
        h = AppHarness.on("t_tenant_admin_page").notConnected().start();
        base = h.baseUrl();
        acmeToken = create("acme");
        betaToken = create("beta");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static HttpResponse<String> get(String path, String cookie) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .timeout(java.time.Duration.ofSeconds(10));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return com.simplecallcenter.zohosync.support.Http.send(b.GET().build());
    }

    static HttpResponse<String> post(String path, String cookie, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8))
                .append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(base + path))
                .timeout(java.time.Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded");
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return com.simplecallcenter.zohosync.support.Http.send(b.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    static String csrf(String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as("a CSRF token on the page").isTrue();
        return m.group(1);
    }

    static String create(String id) throws Exception {
        HttpResponse<String> r = h.request("POST", "/api/v1/tenants",
                "{\"id\":\"" + id + "\",\"name\":\"" + id + " Support\"}", AppHarness.ADMIN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        SECRETS.put(id, JSON.readTree(r.body()).get("webhookSecret").asText());
        return JSON.readTree(r.body()).get("adminToken").asText();
    }

    static String signIn(String token) {
        HttpResponse<String> r = post("/admin/login", null, Map.of("token", token));
        assertThat(r.statusCode()).isEqualTo(303);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void aTenantAdminSeesAndActsOnItsOwnTenantOnly() throws Exception {
        String cookie = signIn(acmeToken);
        String page = get("/admin", cookie).body();
        assertThat(page).contains("Tenant <strong>acme</strong>", "Not connected", "href=\"oauth/zoho/connect?tenant=acme\"")
                .doesNotContain("beta", ">Tenants</h2>");
        // naming another tenant changes nothing: the page stays acme's
        assertThat(get("/admin?tenant=beta", cookie).body()).contains("Tenant <strong>acme</strong>").doesNotContain("beta");

        // connect acme's own org by clicking through the consent page
        HttpResponse<String> connect = get(URI.create(base + "/admin").resolve("oauth/zoho/connect?tenant=acme").toString(), cookie);
        assertThat(connect.statusCode()).as(connect.body()).isEqualTo(302);
        HttpResponse<String> atZoho = get(connect.headers().firstValue("Location").orElseThrow(), null);
        // Zoho's redirect back is cross-site: the browser brings the connect cookie (SameSite=Lax), not the session's
        HttpResponse<String> callback = get(atZoho.headers().firstValue("Location").orElseThrow(),
                com.simplecallcenter.zohosync.support.Http.cookieSetBy(connect, "scc_oauth_nonce"));
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(200);
        assertThat(h.request("GET", "/api/v1/tenants/acme/admin/zoho", null, acmeToken).body())
                .contains("\"state\":\"connected\"");
        assertThat(h.request("GET", "/api/v1/admin/zoho", null, AppHarness.ADMIN).body())
                .contains("\"state\":\"disconnected\"");
        // acme's session cannot start beta's consent
        assertThat(get(base + "/oauth/zoho/connect?tenant=beta", cookie).statusCode()).isEqualTo(404);

        // a switch flipped on acme's page is acme's alone, even if the form names another tenant
        String connected = get("/admin", cookie).body();
        assertThat(connected).contains("Connected", "Disconnect");
        HttpResponse<String> on = post("/admin/features/followup-tasks", cookie,
                Map.of("enabled", "true", "csrf", csrf(connected), "tenant", "beta"));
        assertThat(on.statusCode()).isEqualTo(303);
        assertThat(h.request("GET", "/api/v1/tenants/acme/admin/features", null, acmeToken).body())
                .contains("{\"name\":\"followup-tasks\",\"enabled\":true");
        assertThat(h.request("GET", "/api/v1/tenants/beta/admin/features", null, betaToken).body())
                .contains("{\"name\":\"followup-tasks\",\"enabled\":false");

        // the agent map saved through the API shows on the page
        h.request("PUT", "/api/v1/tenants/acme/admin/agents",
                "{\"items\":[{\"agent\":\"ag_17\",\"zohoUserId\":\"4150868000000225013\"}]}", acmeToken);
        assertThat(get("/admin", cookie).body()).contains("ag_17", "4150868000000225013");
    }

    static void postEvent(String tenant, String json) {
        HttpResponse<String> r = com.simplecallcenter.zohosync.support.Http.send(com.simplecallcenter.zohosync.support.Http.signed(
                h.port(), "/api/v1/tenants/" + tenant + "/calls/events", json, SECRETS.get(tenant), "msg_" + System.nanoTime()));
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
    }

    @Test
    void theNewFormsActOnTheSignedInTenantOnlyAndItsPageShowsOnlyItsCalls() throws Exception {
        String gammaToken = create("gamma");
        String deltaToken = create("delta");
        postEvent("delta", com.simplecallcenter.zohosync.support.CanonicalEvent.ended("delta-call").from("+14155550170")
                .members("\"agent\":{\"id\":\"delta_agent\",\"name\":\"Delta Agent\"}").json());
        postEvent("gamma", com.simplecallcenter.zohosync.support.CanonicalEvent.ended("gamma-call").from("+14155550171")
                .members("\"agent\":{\"id\":\"gamma_agent\",\"name\":\"Gamma Agent\"}").json());
        String cookie = signIn(gammaToken);
        String page = com.simplecallcenter.zohosync.support.Wait.until(() -> get("/admin", cookie).body(),
                b -> b.contains("gamma_agent") && b.contains("gamma-call"));
        assertThat(page).contains("gamma-call", "Gamma Agent", "/api/v1/tenants/gamma/calls/events")
                .doesNotContain("delta", "Delta Agent");
        String token = csrf(page);

        // each form names delta: every change lands on gamma's own settings, agents, calls
        assertThat(post("/admin/settings", cookie, Map.of("csrf", token, "tenant", "delta", "createMissing", "Contacts",
                "updateFields.sent", "1", "updateFields.Company", "1", "defaultOwnerId", "123")).statusCode()).isEqualTo(303);
        assertThat(post("/admin/agents", cookie, Map.of("csrf", token, "tenant", "delta", "count", "1", "agent.0", "gamma_agent",
                "user.0", "456")).statusCode()).isEqualTo(303);
        HttpResponse<String> test = post("/admin/test-call", cookie, Map.of("csrf", token, "tenant", "delta", "number", "+1 415 555 0172"));
        assertThat(test.statusCode()).isEqualTo(303);
        assertThat(test.headers().firstValue("Location").orElseThrow()).contains("tenant=gamma", "testcall=scc-test-");

        JsonNodeAssert gamma = new JsonNodeAssert(h.request("GET", "/api/v1/tenants/gamma", null, gammaToken).body());
        gamma.contains("\"createMissing\":\"Contacts\"", "\"updateFields\":[\"Company\"]", "\"defaultOwnerId\":\"123\"");
        new JsonNodeAssert(h.request("GET", "/api/v1/tenants/delta", null, deltaToken).body()).lacks("\"defaultOwnerId\":\"123\"", "Company");
        assertThat(h.request("GET", "/api/v1/tenants/gamma/admin/agents", null, gammaToken).body()).contains("gamma_agent", "456");
        assertThat(h.request("GET", "/api/v1/tenants/delta/admin/agents", null, deltaToken).body()).doesNotContain("gamma_agent");
        assertThat(h.db().queryForList("SELECT DISTINCT tenant_id FROM call_event WHERE call_id LIKE 'scc-test-%'", String.class))
                .containsExactly("gamma");
        // a bad value from gamma's page: 400 and nothing changed
        assertThat(post("/admin/settings", cookie, Map.of("csrf", token, "defaultOwnerId", "not-digits")).statusCode()).isEqualTo(400);
        assertThat(h.request("GET", "/api/v1/tenants/gamma", null, gammaToken).body()).contains("\"defaultOwnerId\":\"123\"");
    }

    @Test
    void theSubjectTemplateAndTheOverwriteRuleAreEditedOnTheTenantsOwnPage() throws Exception {
        String zetaToken = create("zeta");
        String etaToken = create("eta");
        // connected, so that its call is merged and synced: the preview is made on it
        String code = h.sandbox().issueGrantCode(AppHarness.CLIENT_ID, AppHarness.SCOPES);
        assertThat(h.request("POST", "/api/v1/tenants/zeta/admin/zoho/grant", "{\"code\":\"" + code + "\",\"accountsUrl\":\""
                + h.sandbox().accountsUrl() + "\"}", zetaToken).statusCode()).isEqualTo(200);
        // a recent call whose agent name is markup: the preview's values carry it escaped
        postEvent("zeta", com.simplecallcenter.zohosync.support.CanonicalEvent.ended("zeta-call").from("+14155550180").status("answered")
                .members("\"agent\":{\"id\":\"z_agent\",\"name\":\"<script>alert('x')</script> \\\"Zed\\\"\"}").json());
        String cookie = signIn(zetaToken);
        String page = com.simplecallcenter.zohosync.support.Wait.until(() -> get("/admin", cookie).body(),
                b -> b.contains("Your last call (zeta-call) gets:"));
        assertThat(page).contains("<form method=\"post\"", "name=\"subjectTemplate\"",
                        "value=\"{Direction} call {fromTo} ({status})\"", "<code>{fromTo}</code>", "<code>{agent}</code>",
                        "id=\"subject-preview\"", "Inbound call from +14155550180 (answered)</q>",
                        "&quot;agent&quot;:&quot;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; \\&quot;Zed\\&quot;&quot;",
                        "name=\"overwriteFields.First_Name\"")
                .doesNotContain("<script>alert");
        String token = csrf(page);

        // saved through the tenant's settings; the form naming eta changes zeta's
        HttpResponse<String> saved = post("/admin/settings", cookie, Map.of("csrf", token, "tenant", "eta", "subjectTemplate", "{callId} · {agent}"));
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(saved.headers().firstValue("Location").orElseThrow()).contains("done=subject");
        assertThat(JSON.readTree(h.request("GET", "/api/v1/tenants/zeta", null, zetaToken).body()).get("settings").get("subjectTemplate").asText())
                .isEqualTo("{callId} · {agent}");
        assertThat(h.request("GET", "/api/v1/tenants/eta", null, etaToken).body()).contains("\"subjectTemplate\":\"{Direction} call {fromTo} ({status})\"");
        String after = get("/admin?done=subject", cookie).body();
        assertThat(after).contains("Call subject saved", "value=\"{callId} · {agent}\"",
                "zeta-call · &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;Zed&quot;</q>").doesNotContain("<script>alert");

        // refused by the server with the reason, the template as typed (escaped), nothing changed
        HttpResponse<String> bad = post("/admin/settings", cookie, Map.of("csrf", token, "subjectTemplate", "{callId} <b>{bogus}</b>"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("unknown placeholder {bogus}", "aria-invalid=\"true\"", "id=\"subject-error\"",
                "value=\"{callId} &lt;b&gt;{bogus}&lt;/b&gt;\"").doesNotContain("<b>{bogus}");
        HttpResponse<String> tooLong = post("/admin/settings", cookie, Map.of("csrf", token, "subjectTemplate", "x".repeat(300)));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("at most 255");
        assertThat(h.request("GET", "/api/v1/tenants/zeta", null, zetaToken).body()).contains("\"subjectTemplate\":\"{callId} · {agent}\"");
        // without the session's CSRF token: refused
        assertThat(post("/admin/settings", cookie, Map.of("subjectTemplate", "{callId}")).statusCode()).isEqualTo(403);

        // the overwrite rule, next to the fields that may be filled
        assertThat(post("/admin/settings", cookie, Map.of("csrf", token, "updateFields.sent", "1", "updateFields.Email", "1",
                "overwriteFields.sent", "1", "overwriteFields.First_Name", "1", "overwriteFields.Company", "1")).statusCode()).isEqualTo(303);
        new JsonNodeAssert(h.request("GET", "/api/v1/tenants/zeta", null, zetaToken).body())
                .contains("\"updateFields\":[\"Email\"]", "\"overwriteFields\":[\"First_Name\",\"Company\"]");
        new JsonNodeAssert(h.request("GET", "/api/v1/tenants/eta", null, etaToken).body()).contains("\"overwriteFields\":[]");
        assertThat(get("/admin?done=settings", cookie).body()).contains("name=\"overwriteFields.First_Name\" value=\"1\" checked",
                "name=\"overwriteFields.Company\" value=\"1\" checked", "name=\"overwriteFields.Email\" value=\"1\">");

        // an empty template: back to the deployment's
        assertThat(post("/admin/settings", cookie, Map.of("csrf", token, "subjectTemplate", " ")).statusCode()).isEqualTo(303);
        assertThat(JSON.readTree(h.request("GET", "/api/v1/tenants/zeta", null, zetaToken).body()).get("inherited").toString())
                .contains("subjectTemplate");
    }

    /** A JSON answer's text, checked for pieces. */
    record JsonNodeAssert(String body) {
        void contains(String... pieces) {
            assertThat(body).contains(pieces);
        }

        void lacks(String... pieces) {
            assertThat(body).doesNotContain(pieces);
        }
    }

    @Test
    void theChecklistAsksZohoWhetherTheCallIdFieldExists() throws Exception {
        String token = create("epsilon");
        String code = h.sandbox().issueGrantCode(AppHarness.CLIENT_ID, AppHarness.SCOPES);
        assertThat(h.request("POST", "/api/v1/tenants/epsilon/admin/zoho/grant", "{\"code\":\"" + code + "\",\"accountsUrl\":\""
                + h.sandbox().accountsUrl() + "\"}", token).statusCode()).isEqualTo(200);
        assertThat(h.request("PATCH", "/api/v1/tenants/epsilon/settings", "{\"callIdField\":\"No_Such_Field\"}", token).statusCode())
                .isEqualTo(200);
        String cookie = signIn(token);
        long fieldsAsked = h.sandbox().count("GET", "/crm/v8/settings/fields");
        String page = get("/admin", cookie).body();
        assertThat(page).contains("Call-id field No_Such_Field on Calls and Tasks", "Missing on Calls and Tasks", "<code>No_Such_Field</code>");
        assertThat(h.sandbox().count("GET", "/crm/v8/settings/fields")).isEqualTo(fieldsAsked + 2);
        // the answer is kept: a second view does not ask Zoho again
        get("/admin", cookie);
        assertThat(h.sandbox().count("GET", "/crm/v8/settings/fields")).isEqualTo(fieldsAsked + 2);

        // fixed: "Check again" asks Zoho afresh
        h.request("PATCH", "/api/v1/tenants/epsilon/settings", "{\"callIdField\":\"SCC_Call_ID\"}", token);
        assertThat(post("/admin/zoho/recheck", cookie, Map.of("csrf", csrf(page))).statusCode()).isEqualTo(303);
        assertThat(get("/admin", cookie).body()).contains("Found on both modules").doesNotContain("Missing on");
        assertThat(h.sandbox().count("GET", "/crm/v8/settings/fields")).isEqualTo(fieldsAsked + 4);
    }

    @Test
    void theOperatorSeesEveryTenantAndOpensAny() {
        String cookie = signIn(AppHarness.ADMIN);
        String page = get("/admin", cookie).body();
        assertThat(page).contains(">Tenants</h2>", "href=\"admin?tenant=acme\"", "href=\"admin?tenant=beta\"",
                "Tenant <strong>default</strong>");
        String beta = get("/admin?tenant=beta", cookie).body();
        assertThat(beta).contains("Tenant <strong>beta</strong>", "href=\"oauth/zoho/connect?tenant=beta\"",
                "name=\"tenant\" value=\"beta\"");
        assertThat(get("/admin?tenant=nobody", cookie).statusCode()).isEqualTo(404);
    }

    @Test
    void aDisabledTenantsSessionEndsAndATamperedOneIsNoSession() throws Exception {
        String gone = create("gone");
        String cookie = signIn(gone);
        assertThat(get("/admin", cookie).body()).contains("Tenant <strong>gone</strong>");
        // claiming to be the operator (or another tenant) with gone's signature is no session
        String value = cookie.substring(cookie.indexOf('=') + 1);
        String rest = value.substring(value.indexOf('.'));
        assertThat(get("/admin", AdminAuth.COOKIE + "=" + AdminAuth.OPERATOR + rest).body()).contains("name=\"token\"");
        assertThat(get("/admin", AdminAuth.COOKIE + "=acme" + rest).body()).contains("name=\"token\"");

        assertThat(h.request("DELETE", "/api/v1/tenants/gone", null, AppHarness.ADMIN).statusCode())
                .isEqualTo(204);
        assertThat(get("/admin", cookie).body()).contains("name=\"token\"").doesNotContain("Tenant <strong>gone</strong>");
        assertThat(post("/admin/login", null, Map.of("token", gone)).statusCode()).isEqualTo(401);
    }
}
