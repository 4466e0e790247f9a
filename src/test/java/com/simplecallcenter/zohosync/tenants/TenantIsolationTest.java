package com.simplecallcenter.zohosync.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two tenants of one deployment, each connected to its own Zoho org (two sandboxes, two accounts servers and API
 * domains): the same eventId and callId in both are two calls, each written only to its own org, with its own
 * settings, agent map and switches; one tenant's admin token finds nothing of the other's.
 */
class TenantIsolationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static AppHarness h;
    static ZohoSandbox orgA;
    static ZohoSandbox orgB;
    static Tenant acme;
    static Tenant globex;

    record Tenant(String id, String adminToken, String webhookSecret, String zohoUser) {
    }

    @BeforeAll
    static void start() throws Exception {
        orgA = ZohoSandbox.start();
        orgB = ZohoSandbox.start();
        // the harness sets no fixed API URL: each tenant's calls go to the api_domain of its own connection
        h = AppHarness.on("t_tenant_isolation").sandbox(orgA).notConnected()
                .setting("scc.zoho.trusted-accounts-servers", orgA.accountsUrl() + "," + orgB.accountsUrl()).start();
        acme = create("acme", AppHarness.prepareSandbox(orgA, h.port()));
        // a dash in the id: it travels through route expressions too
        globex = create("globex-2", AppHarness.prepareSandbox(orgB, h.port()));
        connect(acme, orgA);
        connect(globex, orgB);
    }

    @AfterAll
    static void stop() {
        try {
            if (h != null) {
                h.close();
            }
        } finally {
            orgA.stop();
            orgB.stop();
        }
    }

    @Test
    void theSameEventAndCallIdInTwoTenantsAreTwoCallsEachInItsOwnOrg() throws Exception {
        String event = event("evt-same-1", "call-same-1", "+14155550101", "answered", null);
        assertThat(post(acme, event).statusCode()).isEqualTo(202);
        assertThat(post(globex, event).statusCode()).isEqualTo(202);
        // a retry is a duplicate in its own tenant only
        assertThat(post(acme, event).statusCode()).isEqualTo(200);

        awaitSynced(acme, "call-same-1");
        awaitSynced(globex, "call-same-1");
        assertThat(calls(orgA, "call-same-1")).hasSize(1);
        assertThat(calls(orgB, "call-same-1")).hasSize(1);
        // each org got its own person: no record of one org is linked from the other's Call
        String personA = status(acme, "call-same-1").path("zoho").path("recordId").asText();
        String personB = status(globex, "call-same-1").path("zoho").path("recordId").asText();
        assertThat(orgA.records("Contacts").stream().map(r -> r.get("id")).toList()
                .contains(personA) || orgA.records("Leads").stream().map(r -> r.get("id")).toList().contains(personA)).isTrue();
        assertThat(orgB.records("Contacts").stream().map(r -> r.get("id")).toList()
                .contains(personB) || orgB.records("Leads").stream().map(r -> r.get("id")).toList().contains(personB)).isTrue();
    }

    @Test
    void eachTenantsSettingsDecideItsOwnWrites() throws Exception {
        patch(acme, "{\"createMissing\":\"Leads\"}");
        patch(globex, "{\"createMissing\":\"Contacts\"}");
        String callA = "call-settings-a";
        String callB = "call-settings-b";
        assertThat(post(acme, event("evt-set-a", callA, "+14155550202", "answered", null)).statusCode()).isEqualTo(202);
        assertThat(post(globex, event("evt-set-b", callB, "+14155550203", "answered", null)).statusCode()).isEqualTo(202);
        assertThat(awaitSynced(acme, callA).path("zoho").path("module").asText()).isEqualTo("Leads");
        assertThat(awaitSynced(globex, callB).path("zoho").path("module").asText()).isEqualTo("Contacts");
    }

    @Test
    void eachTenantsSubjectTemplateAndOverwriteRuleAreWhatItsCallsAndUpdatesGet() throws Exception {
        // the same person in both orgs, with a first name the call knows better
        String contactA = orgA.seedRecord("Contacts", Map.of("First_Name", "Kim", "Last_Name", "Park", "Phone", "+14155550801"));
        String contactB = orgB.seedRecord("Contacts", Map.of("First_Name", "Kim", "Last_Name", "Park", "Phone", "+14155550801"));
        patch(acme, "{\"subjectTemplate\":\"{callId}: {Direction} {number} by {agent}\",\"overwriteFields\":[\"First_Name\"]}");
        String members = "\"agent\":{\"id\":\"ag_9\",\"name\":\"Dana Ruiz\"},\"caller\":{\"firstName\":\"Kimberly\"}";
        post(acme, CanonicalEvent.ended("call-tmpl").eventId("evt-tmpl-a").from("+14155550801").status("answered").durationSeconds(30)
                .members(members).json());
        post(globex, CanonicalEvent.ended("call-tmpl").eventId("evt-tmpl-b").from("+14155550801").status("answered").durationSeconds(30)
                .members(members).json());
        awaitSynced(acme, "call-tmpl");
        awaitSynced(globex, "call-tmpl");

        // acme's own template and overwrite rule
        assertThat(calls(orgA, "call-tmpl")).singleElement().satisfies(c ->
                assertThat(c.get("Subject")).isEqualTo("call-tmpl: Inbound +14155550801 by Dana Ruiz"));
        assertThat(orgA.record("Contacts", contactA).get("First_Name")).isEqualTo("Kimberly");
        // globex has none of its own: the deployment's template, and nothing overwritten
        assertThat(calls(orgB, "call-tmpl")).singleElement().satisfies(c ->
                assertThat(c.get("Subject")).isEqualTo("Inbound call from +14155550801 (answered)"));
        assertThat(orgB.record("Contacts", contactB).get("First_Name")).isEqualTo("Kim");

        // cleared: acme follows the deployment again
        patch(acme, "{\"subjectTemplate\":null,\"overwriteFields\":null}");
        JsonNode settings = JSON.readTree(request(acme, "GET", "", null).body()).get("settings");
        assertThat(settings.get("subjectTemplate").asText()).isEqualTo("{Direction} call {fromTo} ({status})");
        assertThat(settings.get("overwriteFields")).isEmpty();
    }

    @Test
    void aTenantsOwnDailyCreditBudgetParksOnlyItsOwnCalls() throws Exception {
        // acme has spent credits (a call synced), then its admin sets the org's own budget below that
        post(acme, event("evt-cred-0", "call-cred-0", "+14155550901", "answered", null));
        awaitSynced(acme, "call-cred-0");
        patch(acme, "{\"dailyCredits\":1}");
        try {
            assertThat(JSON.readTree(request(acme, "GET", "", null).body()).get("settings").get("dailyCredits").asLong()).isEqualTo(1);
            post(acme, event("evt-cred-a", "call-cred-a", "+14155550902", "answered", null));
            post(globex, event("evt-cred-b", "call-cred-b", "+14155550903", "answered", null));
            // globex follows the deployment's budget (scc.zoho.daily-credits): synced
            awaitSynced(globex, "call-cred-b");
            JsonNode parked = Wait.until(() -> status(acme, "call-cred-a"), st -> "parked".equals(st.path("status").asText()));
            assertThat(parked.path("lastError").path("code").asText()).isEqualTo("CREDITS_EXHAUSTED");
            assertThat(calls(orgA, "call-cred-a")).isEmpty();
            // a budget that is not a whole number from 0 is refused with the reason, nothing changed
            HttpResponse<String> bad = h.request("PATCH", "/api/v1/tenants/" + acme.id() + "/settings", "{\"dailyCredits\":-5}",
                    acme.adminToken());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("dailyCredits");
        } finally {
            patch(acme, "{\"dailyCredits\":null}");
        }
        // back on the deployment's budget: the call goes through when replayed
        assertThat(request(acme, "POST", "/admin/calls/call-cred-a/replay", null).statusCode()).isLessThan(300);
        awaitSynced(acme, "call-cred-a");
        assertThat(calls(orgA, "call-cred-a")).hasSize(1);
    }

    @Test
    void eachTenantsAgentMapOwnsItsCalls() throws Exception {
        HttpResponse<String> put = request(acme, "PUT", "/admin/agents",
                "{\"items\":[{\"agent\":\"ag_7\",\"zohoUserId\":\"" + acme.zohoUser() + "\"}]}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(JSON.readTree(request(globex, "GET", "/admin/agents", null).body()).get("items")).isEmpty();

        post(acme, event("evt-agent-a", "call-agent", "+14155550301", "answered", "ag_7"));
        post(globex, event("evt-agent-b", "call-agent", "+14155550301", "answered", "ag_7"));
        assertThat(awaitSynced(acme, "call-agent").path("ownerId").asText()).isEqualTo(acme.zohoUser());
        // the same agent id means nothing in the other tenant: no owner from acme's map
        assertThat(awaitSynced(globex, "call-agent").path("ownerId").isNull()).isTrue();
    }

    @Test
    void aSwitchFlippedByOneTenantLeavesTheOtherAlone() throws Exception {
        HttpResponse<String> on = request(acme, "PUT", "/admin/features/followup-tasks", "{\"enabled\":true}");
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        JsonNode globexFeatures = JSON.readTree(request(globex, "GET", "/admin/features", null).body());
        for (JsonNode f : globexFeatures.get("items")) {
            if (f.get("name").asText().equals("followup-tasks")) {
                assertThat(f.get("enabled").asBoolean()).isFalse();
            }
        }
        post(acme, event("evt-missed-a", "call-missed", "+14155550401", "missed", null));
        post(globex, event("evt-missed-b", "call-missed", "+14155550401", "missed", null));
        awaitSynced(acme, "call-missed");
        awaitSynced(globex, "call-missed");
        Wait.until(() -> orgA.records("Tasks").size(), n -> n >= 1);
        assertThat(orgB.records("Tasks")).isEmpty();
    }

    @Test
    void aTenantTokenFindsNothingOfAnotherTenant() throws Exception {
        post(globex, event("evt-secret-b", "call-secret", "+14155550501", "answered", null));
        awaitSynced(globex, "call-secret");
        for (String[] r : new String[][]{{"GET", "/calls/call-secret"}, {"GET", "/admin/zoho"}, {"GET", "/admin/failures"},
                {"GET", "/admin/features"}, {"GET", "/admin/agents"}, {"POST", "/admin/calls/call-secret/replay"},
                {"DELETE", "/admin/zoho"}}) {
            HttpResponse<String> answer = h.request(r[0], "/api/v1/tenants/globex-2" + r[1], null,
                    acme.adminToken());
            assertThat(answer.statusCode()).as(r[0] + " " + r[1]).isEqualTo(404);
            assertThat(answer.body()).doesNotContain("call-secret").doesNotContain("globex");
        }
        // not even the default tenant's paths: those need the operator token
        assertThat(h.request("GET", "/api/v1/admin/failures", null, acme.adminToken()).statusCode())
                .isEqualTo(401);
        // globex is still connected after acme's DELETE attempt
        assertThat(JSON.readTree(request(globex, "GET", "/admin/zoho", null).body()).get("state").asText()).isEqualTo("connected");
        // and a signature with another tenant's secret is refused
        HttpResponse<String> forged = Http.send(Http.signed(h.port(), "/api/v1/tenants/globex-2/calls/events",
                event("evt-forged", "call-forged", "+14155550502", "answered", null), acme.webhookSecret(), "m-forged"));
        assertThat(forged.statusCode()).isEqualTo(401);
    }

    @Test
    void anUnknownOrMalformedTenantIs404NotAnError() {
        String event = event("evt-x", "call-x", "+14155550601", "answered", null);
        for (String path : List.of("/api/v1/tenants/nobody/calls/events", "/api/v1/tenants/NOPE/calls/events",
                "/api/v1/tenants/nobody/webhooks/twilio")) {
            assertThat(Http.send(Http.signed(h.port(), path, event, acme.webhookSecret(), "m-x")).statusCode())
                    .as(path).isEqualTo(404);
        }
    }

    @Test
    void disablingATenantRevokesItsZohoTokenAndStopsItsWebhooksButNotTheOthers() throws Exception {
        Tenant gone = create("gone-3", null);
        connect(gone, orgA);
        assertThat(h.db().queryForObject("SELECT count(*) FROM zoho_connection WHERE tenant_id = 'gone-3'", Long.class)).isOne();
        orgA.clearJournal();

        assertThat(h.request("DELETE", "/api/v1/tenants/gone-3", null, AppHarness.ADMIN).statusCode()).isEqualTo(204);
        // its refresh token revoked at its org's accounts server and forgotten here
        assertThat(orgA.journal()).anyMatch(e -> e.path().contains("/oauth/v2/token/revoke"));
        assertThat(h.db().queryForObject("SELECT count(*) FROM zoho_connection WHERE tenant_id = 'gone-3'", Long.class)).isZero();
        // its webhooks and its admin token stop; the other tenants go on
        assertThat(post(gone, CanonicalEvent.ended("call-after-disable").from("+14155550701").to("+14155550100").json())
                .statusCode()).isEqualTo(404);
        assertThat(request(gone, "GET", "/admin/zoho", null).statusCode()).isIn(401, 404);
        assertThat(JSON.readTree(request(acme, "GET", "/admin/zoho", null).body()).get("state").asText()).isEqualTo("connected");
    }

    // ------------------------------------------------------------------ helpers

    private static Tenant create(String id, String zohoUser) throws Exception {
        HttpResponse<String> r = h.request("POST", "/api/v1/tenants",
                "{\"id\":\"" + id + "\",\"name\":\"" + id + " support\"}", AppHarness.ADMIN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode j = JSON.readTree(r.body());
        return new Tenant(id, j.get("adminToken").asText(), j.get("webhookSecret").asText(), zohoUser);
    }

    /** The tenant's own admin connects its own org with a self-client grant code of that org's accounts server. */
    private static void connect(Tenant t, ZohoSandbox org) {
        String code = org.issueGrantCode(AppHarness.CLIENT_ID, AppHarness.SCOPES);
        HttpResponse<String> r = request(t, "POST", "/admin/zoho/grant",
                "{\"code\":\"" + code + "\",\"accountsUrl\":\"" + org.accountsUrl() + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static HttpResponse<String> request(Tenant t, String method, String path, String body) {
        return h.request(method, "/api/v1/tenants/" + t.id() + path, body, t.adminToken());
    }

    private static void patch(Tenant t, String body) {
        HttpResponse<String> r = h.request("PATCH", "/api/v1/tenants/" + t.id() + "/settings", body,
                t.adminToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static HttpResponse<String> post(Tenant t, String event) {
        return Http.send(Http.signed(h.port(), "/api/v1/tenants/" + t.id() + "/calls/events", event, t.webhookSecret(),
                "m-" + System.nanoTime()));
    }

    private static JsonNode status(Tenant t, String callId) {
        try {
            return JSON.readTree(request(t, "GET", "/calls/" + callId, null).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode awaitSynced(Tenant t, String callId) {
        return Wait.until(() -> status(t, callId), s -> "synced".equals(s.path("status").asText()));
    }

    private static List<Map<String, Object>> calls(ZohoSandbox org, String callId) {
        return org.records("Calls").stream().filter(r -> callId.equals(r.get("SCC_Call_ID"))).toList();
    }

    /** The {@code call.ended} of {@link CanonicalEvent#ended} from {@code from}, with an agent id if not null. */
    private static String event(String eventId, String callId, String from, String status, String agent) {
        return CanonicalEvent.ended(callId).eventId(eventId).from(from).status(status)
                .durationSeconds("answered".equals(status) ? 116 : 0)
                .members(agent == null ? null : "\"agent\":{\"id\":\"" + agent + "\"}").json();
    }
}
