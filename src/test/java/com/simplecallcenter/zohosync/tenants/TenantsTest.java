package com.simplecallcenter.zohosync.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.Application;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.support.AdjustableClock;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.Wait;
import com.simplecallcenter.zohosync.sync.SyncSettings;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant registry and the operator API on the real application and PostgreSQL: secrets shown once and stored only
 * hashed or encrypted, who may see which tenant, settings with their fallback, provider secrets, rotation, disabling,
 * agents, and one tenant never seeing another's.
 */
class TenantsTest {

    static final String OPERATOR = "operator-token-for-tests-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    static final AdjustableClock CLOCK = new AdjustableClock();
    static AppHarness h;
    static Tenants tenants;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_tenants").withoutZoho().clock(CLOCK).setting("scc.admin.token", OPERATOR)
                .setting("scc.token.key", "VGVuYW50U2VjcmV0c0tleUZvclRlc3RzT25seTAxMjM=")
                .setting("scc.aircall.token", "deployment-aircall").start();
        tenants = h.bean("tenants", Tenants.class);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void createShowsTheSecretsOnceAndStoresThemOnlyHashedOrEncrypted() throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/tenants", "{\"id\":\"acme\",\"name\":\"Acme Support\"}", OPERATOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode created = JSON.readTree(r.body());
        assertThat(created.get("id").asText()).isEqualTo("acme");
        assertThat(created.get("name").asText()).isEqualTo("Acme Support");
        assertThat(created.get("createdAt").asText()).isNotBlank();
        String adminToken = created.get("adminToken").asText();
        String webhookSecret = created.get("webhookSecret").asText();
        assertThat(java.util.Base64.getUrlDecoder().decode(adminToken)).hasSizeGreaterThanOrEqualTo(32);
        assertThat(webhookSecret).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(webhookSecret.substring(6))).hasSize(32);

        // stored: the token's SHA-256 and the secret sealed; neither appears in any column
        Map<String, Object> row = h.db().queryForMap("SELECT admin_token_hash, webhook_secret_enc, settings::text AS s FROM tenant WHERE id = 'acme'");
        assertThat(row.get("admin_token_hash")).isEqualTo(HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(adminToken.getBytes(StandardCharsets.UTF_8))));
        String everything = h.db().queryForObject("SELECT string_agg(t::text, ' ') FROM tenant t", String.class);
        assertThat(everything).doesNotContain(adminToken).doesNotContain(webhookSecret)
                .doesNotContain(webhookSecret.substring(6)).doesNotContain(hex(webhookSecret.substring(6)));
        assertThat(tenants.webhookSecrets("acme")).containsExactly(webhookSecret);

        // never again in an answer
        assertThat(call("GET", "/api/v1/tenants/acme", null, OPERATOR).body()).doesNotContain(adminToken).doesNotContain(webhookSecret);
        assertThat(call("GET", "/api/v1/tenants/acme", null, adminToken).statusCode()).isEqualTo(200);
    }

    @Test
    void createRefusesTakenAndBadIds() throws Exception {
        create("dup");
        assertProblem(call("POST", "/api/v1/tenants", "{\"id\":\"dup\",\"name\":\"Again\"}", OPERATOR), 409);
        assertProblem(call("POST", "/api/v1/tenants", "{\"id\":\"default\",\"name\":\"Mine\"}", OPERATOR), 409);
        for (String bad : new String[]{"a", "-acme", "Acme", "acme_1", "acme.com", "a".repeat(41), "", "ac me", "ä-corp"}) {
            HttpResponse<String> r = call("POST", "/api/v1/tenants", JSON.writeValueAsString(Map.of("id", bad, "name", "X")), OPERATOR);
            assertProblem(r, 400);
            assertThat(JSON.readTree(r.body()).get("errors").get(0).get("field").asText()).isEqualTo("id");
        }
        assertProblem(call("POST", "/api/v1/tenants", "{\"id\":\"noname\"}", OPERATOR), 400);
        assertProblem(call("POST", "/api/v1/tenants", "{\"id\":7,\"name\":\"X\"}", OPERATOR), 400);
        assertProblem(call("POST", "/api/v1/tenants", "not json", OPERATOR), 400);
        assertProblem(call("POST", "/api/v1/tenants", "[]", OPERATOR), 400);
        assertProblem(call("POST", "/api/v1/tenants", "{\"id\":\"x1\",\"name\":\"X\"}", null), 401);
        assertProblem(call("POST", "/api/v1/tenants", "{\"id\":\"x1\",\"name\":\"X\"}", "not-a-token"), 401);
        assertThat(tenants.find("x1")).isEmpty();
    }

    @Test
    void theOperatorListsEveryTenantWithItsState() throws Exception {
        create("list-a");
        String b = create("list-b").get("adminToken").asText();
        call("DELETE", "/api/v1/tenants/list-b", null, OPERATOR);
        HttpResponse<String> r = call("GET", "/api/v1/tenants", null, OPERATOR);
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> seen = new ArrayList<>();
        for (JsonNode item : JSON.readTree(r.body()).get("items")) {
            seen.add(item.get("id").asText() + ":" + item.get("state").asText());
            assertThat(item.get("createdAt").asText()).isNotBlank();
        }
        assertThat(seen.get(0)).isEqualTo("default:disconnected");
        assertThat(seen).contains("list-a:disconnected", "list-b:disabled");
        String a = create("list-c").get("adminToken").asText();
        assertProblem(call("GET", "/api/v1/tenants", null, a), 403);
        assertProblem(call("GET", "/api/v1/tenants", null, b), 401);
        assertProblem(call("GET", "/api/v1/tenants", null, null), 401);
    }

    @Test
    void aTenantAdminSeesOnlyItsOwnTenant() throws Exception {
        String red = create("red").get("adminToken").asText();
        String blue = create("blue").get("adminToken").asText();
        assertThat(call("GET", "/api/v1/tenants/red", null, red).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/tenants/red", null, OPERATOR).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/tenants/blue", null, OPERATOR).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/tenants/default", null, OPERATOR).statusCode()).isEqualTo(200);
        // another tenant's path, existing or not, looks the same: 404
        for (String path : new String[]{"/api/v1/tenants/blue", "/api/v1/tenants/nobody", "/api/v1/tenants/default",
                "/api/v1/tenants/blue?tenant=red", "/api/v1/tenants/blue/admin/agents"}) {
            HttpResponse<String> r = call("GET", path, null, red);
            assertProblem(r, 404);
            assertThat(r.body()).doesNotContain("blue");
        }
        assertProblem(call("PATCH", "/api/v1/tenants/blue/settings", "{\"leadSource\":\"Red\"}", red), 404);
        assertProblem(call("POST", "/api/v1/tenants/blue/webhook-secret", "", red), 404);
        assertProblem(call("PUT", "/api/v1/tenants/blue/admin/agents", "{\"items\":[]}", red), 404);
        assertProblem(call("GET", "/api/v1/tenants/nobody", null, OPERATOR), 404);
        // the operator's endpoints stay the operator's
        assertProblem(call("DELETE", "/api/v1/tenants/red", null, red), 403);
        assertProblem(call("DELETE", "/api/v1/tenants/blue", null, red), 403);
        // no or a bad token: 401 whatever the path
        assertProblem(call("GET", "/api/v1/tenants/red", null, null), 401);
        assertProblem(call("GET", "/api/v1/tenants/red", null, red + "x"), 401);
        assertProblem(call("GET", "/api/v1/tenants/nobody", null, null), 401);
        assertThat(call("GET", "/api/v1/tenants/blue", null, blue).statusCode()).isEqualTo(200);
    }

    @Test
    void settingsRoundTripFallBackWhenClearedAndAreRefusedWhenBad() throws Exception {
        String token = create("green").get("adminToken").asText();
        create("other-green");
        JsonNode fresh = JSON.readTree(call("GET", "/api/v1/tenants/green", null, token).body());
        assertThat(fresh.get("settings").get("createMissing").asText()).isEqualTo("Leads");        // the deployment's
        assertThat(fresh.get("inherited")).hasSize(TenantSettings.NAMES.size());

        HttpResponse<String> r = call("PATCH", "/api/v1/tenants/green/settings", """
                {"createMissing":"contacts","callIdField":"Green_Call_ID","defaultRegion":"de","defaultOwnerId":"5725767000000411001",
                 "leadSource":"Green line","updateFields":["Email","Company"],"zohoConcurrency":3}""", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode s = JSON.readTree(r.body()).get("settings");
        assertThat(s.get("createMissing").asText()).isEqualTo("Contacts");
        assertThat(s.get("callIdField").asText()).isEqualTo("Green_Call_ID");
        assertThat(s.get("defaultRegion").asText()).isEqualTo("DE");
        assertThat(s.get("defaultOwnerId").asText()).isEqualTo("5725767000000411001");
        assertThat(s.get("leadSource").asText()).isEqualTo("Green line");
        assertThat(s.get("updateFields").toString()).isEqualTo("[\"Email\",\"Company\"]");
        assertThat(s.get("zohoConcurrency").asInt()).isEqualTo(3);
        assertThat(JSON.readTree(r.body()).get("inherited").toString()).isEqualTo("[\"subjectTemplate\",\"overwriteFields\",\"dailyCredits\"]");
        assertThat(tenants.settings("green")).isEqualTo(new TenantSettings("Contacts", "Green_Call_ID", "DE", "5725767000000411001",
                "Green line", List.of("Email", "Company"), 3, null, null, null));

        // PATCH touches only what it names; null clears back to the deployment's
        r = call("PATCH", "/api/v1/tenants/green/settings", "{\"createMissing\":null,\"zohoConcurrency\":null}", OPERATOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode after = JSON.readTree(r.body());
        assertThat(after.get("settings").get("createMissing").asText()).isEqualTo("Leads");
        assertThat(after.get("settings").get("zohoConcurrency").asInt()).isEqualTo(10);
        assertThat(after.get("settings").get("leadSource").asText()).isEqualTo("Green line");
        assertThat(after.get("inherited").toString()).isEqualTo("[\"createMissing\",\"zohoConcurrency\",\"subjectTemplate\",\"overwriteFields\",\"dailyCredits\"]");
        assertThat(tenants.settings("green").createMissing()).isNull();
        assertThat(tenants.effectiveSettings("green").createMissing()).isEqualTo("Leads");

        // bad values: 400 naming each field, nothing stored
        for (String bad : new String[]{"{\"createMissing\":\"Deals\"}", "{\"callIdField\":\"1bad\"}", "{\"defaultRegion\":\"XX\"}",
                "{\"defaultRegion\":\"DEU\"}", "{\"defaultOwnerId\":\"abc\"}", "{\"leadSource\":\"\"}", "{\"updateFields\":[\"Owner\"]}",
                "{\"updateFields\":\"Email\"}", "{\"zohoConcurrency\":0}", "{\"zohoConcurrency\":\"3\"}", "{\"zohoConcurrency\":201}",
                "{\"colour\":\"green\"}", "{\"providers\":{\"skype\":{\"key\":\"x\"}}}", "{\"providers\":{\"twilio\":{\"token\":\"x\"}}}",
                "{\"providers\":{\"asterisk\":{\"webhookSecret\":\"plain\"}}}", "{\"providers\":{\"twilio\":\"x\"}}",
                "{\"leadSource\":\"Fine\",\"zohoConcurrency\":-1}"}) {
            HttpResponse<String> refused = call("PATCH", "/api/v1/tenants/green/settings", bad, token);
            assertProblem(refused, 400);
            assertThat(JSON.readTree(refused.body()).get("errors")).as(bad).isNotEmpty();
        }
        assertProblem(call("PATCH", "/api/v1/tenants/green/settings", "[1]", token), 400);
        assertThat(tenants.settings("green").leadSource()).isEqualTo("Green line");

        // one tenant's settings are not another's
        assertThat(tenants.settings("other-green")).isEqualTo(TenantSettings.NONE);
        assertThat(JSON.readTree(call("GET", "/api/v1/tenants/other-green", null, OPERATOR).body()).get("settings")
                .get("leadSource").asText()).isEqualTo("Phone call");
    }

    @Test
    void theSubjectTemplateAndOverwriteFieldsAreATenantsOwnAndFallBack() throws Exception {
        String token = create("subject-tpl").get("adminToken").asText();
        String otherToken = create("other-subject-tpl").get("adminToken").asText();
        // unset: the deployment's
        JsonNode fresh = JSON.readTree(call("GET", "/api/v1/tenants/subject-tpl", null, token).body());
        assertThat(fresh.get("settings").get("subjectTemplate").asText()).isEqualTo("{Direction} call {fromTo} ({status})");
        assertThat(fresh.get("settings").get("overwriteFields")).isEmpty();
        assertThat(fresh.get("inherited").toString()).contains("\"subjectTemplate\"", "\"overwriteFields\"");

        HttpResponse<String> r = call("PATCH", "/api/v1/tenants/subject-tpl/settings",
                "{\"subjectTemplate\":\"  {Direction} {fromTo} · {agent} [{callId}] \",\"overwriteFields\":[\"First_Name\",\"Company\",\"First_Name\"]}", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode s = JSON.readTree(r.body()).get("settings");
        assertThat(s.get("subjectTemplate").asText()).isEqualTo("{Direction} {fromTo} · {agent} [{callId}]");
        assertThat(s.get("overwriteFields").toString()).isEqualTo("[\"First_Name\",\"Company\"]");
        JsonNode shown = JSON.readTree(call("GET", "/api/v1/tenants/subject-tpl", null, OPERATOR).body());
        assertThat(shown.get("settings").get("subjectTemplate").asText()).isEqualTo("{Direction} {fromTo} · {agent} [{callId}]");
        assertThat(shown.get("inherited").toString()).doesNotContain("subjectTemplate", "overwriteFields");
        // refused with the reason, nothing stored
        Map<String, String> refused = Map.of(
                "{\"subjectTemplate\":\"{Direction} call {from}\"}", "unknown placeholder {from}",
                "{\"subjectTemplate\":\"" + "x".repeat(256) + "\"}", "at most 255",
                "{\"subjectTemplate\":\"\"}", "must not be empty",
                "{\"subjectTemplate\":\"a\\nb\"}", "one line",
                "{\"subjectTemplate\":42}", "must be text",
                "{\"overwriteFields\":[\"Owner\"]}", "must be a list of Phone, Email",
                "{\"overwriteFields\":\"First_Name\"}", "must be a list of");
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            HttpResponse<String> answer = call("PATCH", "/api/v1/tenants/subject-tpl/settings", bad.getKey(), token);
            assertProblem(answer, 400);
            assertThat(answer.body()).as(bad.getKey()).contains(bad.getValue());
        }
        assertThat(tenants.settings("subject-tpl").subjectTemplate()).isEqualTo("{Direction} {fromTo} · {agent} [{callId}]");

        // another tenant's admin can neither change nor see them
        assertProblem(call("PATCH", "/api/v1/tenants/subject-tpl/settings", "{\"subjectTemplate\":\"{callId}\"}", otherToken), 404);
        assertProblem(call("GET", "/api/v1/tenants/subject-tpl", null, otherToken), 404);
        assertThat(tenants.settings("other-subject-tpl")).isEqualTo(TenantSettings.NONE);

        // null: back to the deployment's
        r = call("PATCH", "/api/v1/tenants/subject-tpl/settings", "{\"subjectTemplate\":null,\"overwriteFields\":null}", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("settings").get("subjectTemplate").asText()).isEqualTo("{Direction} call {fromTo} ({status})");
        assertThat(JSON.readTree(r.body()).get("settings").get("overwriteFields")).isEmpty();
        assertThat(tenants.settings("subject-tpl").subjectTemplate()).isNull();
    }

    @Test
    void providerSecretsAreWriteOnly() throws Exception {
        String token = create("violet").get("adminToken").asText();
        String asterisk = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        HttpResponse<String> r = call("PATCH", "/api/v1/tenants/violet/settings", JSON.writeValueAsString(Map.of("providers", Map.of(
                "twilio", Map.of("authToken", "violet-twilio-token"), "asterisk", Map.of("webhookSecret", asterisk),
                "3cx", Map.of("apiKey", "violet-3cx-key")))), token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("violet-twilio-token").doesNotContain(asterisk).doesNotContain("violet-3cx-key");
        assertThat(JSON.readTree(r.body()).get("providers").toString()).isEqualTo("[\"twilio\",\"asterisk\",\"3cx\"]");
        assertThat(call("GET", "/api/v1/tenants/violet", null, OPERATOR).body()).doesNotContain("violet-twilio-token");
        assertThat(tenants.providerSecret("violet", "twilio", "authToken")).hasValue("violet-twilio-token");
        assertThat(tenants.providerSecret("violet", "asterisk", "webhookSecret")).hasValue(asterisk);
        assertThat(tenants.providerSecret("violet", "3cx", "apiKey")).hasValue("violet-3cx-key");
        assertThat(tenants.providerSecret("violet", "aircall", "token")).isEmpty();      // never the deployment's
        assertThat(tenants.providerSecret("violet", "twilio", "apiKey")).isEmpty();
        assertThat(h.db().queryForObject("SELECT string_agg(t::text, ' ') FROM tenant_provider_secret t", String.class))
                .doesNotContain("violet-twilio-token").doesNotContain("violet-3cx-key");

        // null removes one; the others stay
        call("PATCH", "/api/v1/tenants/violet/settings", "{\"providers\":{\"twilio\":null,\"3cx\":{\"apiKey\":null}}}", token);
        assertThat(tenants.providerSecret("violet", "twilio", "authToken")).isEmpty();
        assertThat(tenants.providerSecret("violet", "3cx", "apiKey")).isEmpty();
        assertThat(tenants.providers("violet")).containsExactly("asterisk");

        // the default tenant's are the configuration's, and are not written through the API
        assertThat(tenants.providerSecret(Tenants.DEFAULT, "aircall", "token")).hasValue("deployment-aircall");
        assertProblem(call("PATCH", "/api/v1/tenants/default/settings", "{\"providers\":{\"aircall\":{\"token\":\"x\"}}}", OPERATOR), 400);
    }

    @Test
    void aRotatedWebhookSecretKeepsThePreviousOneFor24Hours() throws Exception {
        JsonNode created = create("amber");
        String first = created.get("webhookSecret").asText();
        HttpResponse<String> r = call("POST", "/api/v1/tenants/amber/webhook-secret", "", created.get("adminToken").asText());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String second = JSON.readTree(r.body()).get("webhookSecret").asText();
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);
        assertThat(tenants.webhookSecrets("amber")).containsExactly(second, first);
        assertThat(call("GET", "/api/v1/tenants/amber", null, OPERATOR).body()).doesNotContain(second);

        CLOCK.advance(Duration.ofHours(23));
        assertThat(tenants.webhookSecrets("amber")).containsExactly(second, first);
        CLOCK.advance(Duration.ofHours(1).plusSeconds(1));
        assertThat(tenants.webhookSecrets("amber")).containsExactly(second);

        assertProblem(call("POST", "/api/v1/tenants/default/webhook-secret", "", OPERATOR), 409);
        assertThat(tenants.webhookSecrets(Tenants.DEFAULT)).containsExactly(AppHarness.WEBHOOK_SECRET);
    }

    @Test
    void aDisabledTenantIsGoneForEveryone() throws Exception {
        String token = create("grey").get("adminToken").asText();
        assertThat(tenants.active("grey")).isTrue();
        HttpResponse<String> r = call("DELETE", "/api/v1/tenants/grey", null, OPERATOR);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(tenants.active("grey")).isFalse();
        assertThat(tenants.webhookSecrets("grey")).isEmpty();
        assertProblem(call("GET", "/api/v1/tenants/grey", null, token), 401);
        assertProblem(call("GET", "/api/v1/tenants/grey", null, OPERATOR), 404);
        assertProblem(call("DELETE", "/api/v1/tenants/grey", null, OPERATOR), 404);
        assertProblem(call("DELETE", "/api/v1/tenants/default", null, OPERATOR), 409);
        assertProblem(call("POST", "/api/v1/tenants", "{\"id\":\"grey\",\"name\":\"Again\"}", OPERATOR), 409);
        assertThat(tenants.active(Tenants.DEFAULT)).isTrue();
        assertThat(tenants.active("nobody")).isFalse();
    }

    @Test
    void aTenantDisabledOnOneInstanceIsRefusedByAnotherWithinTheCacheTime() throws Exception {
        String token = create("ochre").get("adminToken").asText();
        try (AppHarness second = h.startAnotherInstance()) {
            assertThat(second.request("GET", "/api/v1/tenants/ochre", null, token).statusCode()).isEqualTo(200);    // now cached there
            assertThat(call("DELETE", "/api/v1/tenants/ochre", null, OPERATOR).statusCode()).isEqualTo(204);
            // scc.tenants.cache-ttl is 2s: seen there within that, plus slack for a busy machine
            Wait.until(() -> second.request("GET", "/api/v1/tenants/ochre", null, token).statusCode(), code -> code == 401,
                    Duration.ofSeconds(8));
        }
    }

    @Test
    void disablingHandsTheTenantToAfterDisable() {
        create("slate");
        List<String> revoked = new ArrayList<>();
        TenantsApi api = new TenantsApi(tenants, new Problems(JSON), JSON, t -> "connected", revoked::add);
        Exchange exchange = new DefaultExchange(h.app().context());
        exchange.getMessage().setHeader(TenantAuth.TENANT, "slate");
        api.disable(exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(204);
        assertThat(revoked).containsExactly("slate");
        assertThat(tenants.active("slate")).isFalse();

        // a failure after the disable does not undo it, nor turn it into a 500
        create("shale");
        TenantsApi failing = new TenantsApi(tenants, new Problems(JSON), JSON, t -> "connected", t -> {
            throw new IllegalStateException("Zoho unreachable");
        });
        Exchange second = new DefaultExchange(h.app().context());
        second.getMessage().setHeader(TenantAuth.TENANT, "shale");
        failing.disable(second);
        assertThat(second.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(204);
        assertThat(tenants.active("shale")).isFalse();
    }

    @Test
    void agentsRoundTripPerTenant() throws Exception {
        String token = create("teal").get("adminToken").asText();
        create("navy");
        assertThat(call("GET", "/api/v1/tenants/teal/admin/agents", null, token).body()).isEqualTo("{\"items\":[]}");
        HttpResponse<String> r = call("PUT", "/api/v1/tenants/teal/admin/agents", """
                {"items":[{"agent":"ag_17","zohoUserId":"5725767000000411001"},{"agent":"Dana@Teal.example","zohoUserId":"5725767000000411002"}]}""",
                token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(tenants.agents("teal")).containsExactly(Map.entry("ag_17", "5725767000000411001"),
                Map.entry("dana@teal.example", "5725767000000411002"));
        assertThat(JSON.readTree(call("GET", "/api/v1/tenants/teal/admin/agents", null, OPERATOR).body()).get("items")).hasSize(2);
        assertThat(tenants.agents("navy")).isEmpty();

        // PUT replaces the whole map
        call("PUT", "/api/v1/tenants/teal/admin/agents", "{\"items\":[{\"agent\":\"ag_9\",\"zohoUserId\":\"9\"}]}", token);
        assertThat(tenants.agents("teal")).containsExactly(Map.entry("ag_9", "9"));

        for (String bad : new String[]{"{}", "{\"items\":{}}", "{\"items\":[{\"agent\":\"a\"}]}", "{\"items\":[{\"zohoUserId\":\"1\"}]}",
                "{\"items\":[{\"agent\":\"a\",\"zohoUserId\":\"x1\"}]}",
                "{\"items\":[{\"agent\":\"a\",\"zohoUserId\":\"1\"},{\"agent\":\"a\",\"zohoUserId\":\"2\"}]}"}) {
            assertProblem(call("PUT", "/api/v1/tenants/teal/admin/agents", bad, token), 400);
        }
        assertThat(tenants.agents("teal")).containsExactly(Map.entry("ag_9", "9"));
        assertProblem(call("GET", "/api/v1/tenants/default/admin/agents", null, OPERATOR), 409);
        assertProblem(call("PUT", "/api/v1/tenants/default/admin/agents", "{\"items\":[]}", OPERATOR), 409);
    }

    @Test
    void aCacheTimeAboveAMinuteStopsTheStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Application.startForTest(Map.of("scc.tenants.cache-ttl", "5m")))
                .isInstanceOf(com.simplecallcenter.zohosync.config.SettingsException.class)
                .hasMessageContaining("SCC_TENANTS_CACHE_TTL");
    }

    @Test
    void theUpdateFieldsAreTheSyncs() {
        assertThat(TenantSettings.PERSON_FIELDS).isEqualTo(SyncSettings.PERSON_FIELDS);
    }

    // ------------------------------------------------------------------ helpers

    static JsonNode create(String id) {
        HttpResponse<String> r = call("POST", "/api/v1/tenants", "{\"id\":\"" + id + "\",\"name\":\"Tenant " + id + "\"}", OPERATOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> call(String method, String path, String body, String token) {
        return h.request(method, path, body, token);
    }

    static void assertProblem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    static String hex(String base64) {
        return HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(base64));
    }
}
