package com.simplecallcenter.zohosync.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.Application;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Wait;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The switches: the admin API, the catalogue and defaults from properties, run-time switching across instances,
 * restarts; the optional routes stay started whatever their switch says.
 */
class FeatureSwitchesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void listsSwitchesAndRefusesBadRequests() throws Exception {
        try (AppHarness h = AppHarness.on("t_feat_api").fastFeatureRefresh().setting("scc.feature.deal-links.enabled", "true").start()) {
            HttpResponse<String> list = h.admin("GET", "/api/v1/admin/features", null);
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
            assertThat(states(list.body())).containsExactly(
                    Map.entry("followup-tasks", false), Map.entry("deal-links", true),
                    Map.entry("recording-links", true), Map.entry("contact-updates", true), Map.entry("reconcile", true));
            for (JsonNode item : JSON.readTree(list.body()).get("items")) {
                assertThat(item.get("description").asText()).isNotBlank();
            }

            // admin auth on both verbs
            assertThat(h.request("GET", "/api/v1/admin/features", null, null).statusCode()).isEqualTo(401);
            HttpResponse<String> wrong = h.request("PUT", "/api/v1/admin/features/followup-tasks",
                    "{\"enabled\":true}", "not-the-token");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("Content-Type")).hasValue("application/problem+json");

            // unknown name: 404 problem
            HttpResponse<String> unknown = h.admin("PUT", "/api/v1/admin/features/coffee-machine", "{\"enabled\":true}");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(unknown.body()).get("status").asInt()).isEqualTo(404);

            // bad bodies: 400 problem naming the field
            for (String bad : new String[]{"", "not json", "[]", "{}", "{\"enabled\":\"yes\"}", "{\"enabled\":1}", "{\"enabled\":null}"}) {
                HttpResponse<String> r = h.admin("PUT", "/api/v1/admin/features/followup-tasks", bad);
                assertThat(r.statusCode()).as("body %s", bad).isEqualTo(400);
                assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(JSON.readTree(r.body()).get("errors").get(0).get("field").asText()).isEqualTo("enabled");
            }
            assertThat(states(h.admin("GET", "/api/v1/admin/features", null).body())).containsEntry("followup-tasks", false);

            // a good one: 200 with the item
            HttpResponse<String> on = h.admin("PUT", "/api/v1/admin/features/followup-tasks", "{\"enabled\":true}");
            assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
            JsonNode item = JSON.readTree(on.body());
            assertThat(item.get("name").asText()).isEqualTo("followup-tasks");
            assertThat(item.get("enabled").asBoolean()).isTrue();
            assertThat(item.get("description").asText())
                    .isEqualTo(h.app().settings().get("scc.feature.followup-tasks.description"));
        }
    }

    @Test
    void aSwitchOnOneInstanceIsSeenByAnotherAndSurvivesARestart() throws Exception {
        try (AppHarness h = AppHarness.on("t_feat_switch").fastFeatureRefresh().start()) {
            // defaults from the properties: followup-tasks off, recording-links on; every optional route started
            assertThat(states(h.admin("GET", "/api/v1/admin/features", null).body()))
                    .containsEntry("followup-tasks", false).containsEntry("recording-links", true);
            assertOptionalRoutesStarted(h.app());
            AppHarness second = h.startAnotherInstance();
            try {
                h.setFeature("followup-tasks", true);
                h.setFeature("recording-links", false);
                // the other instance sees both within its refresh interval; its routes are not touched
                Wait.until(() -> states(second.admin("GET", "/api/v1/admin/features", null).body()), s -> s.get("followup-tasks") && !s.get("recording-links"));
                assertOptionalRoutesStarted(second.app());
                assertThat(com.simplecallcenter.zohosync.support.Http.get(second.baseUrl() + "/health/ready")
                        .statusCode()).isEqualTo(200);

                // and back, from the second instance to the first
                HttpResponse<String> off = second.admin("PUT", "/api/v1/admin/features/followup-tasks", "{\"enabled\":false}");
                assertThat(off.statusCode()).isEqualTo(200);
                Wait.until(() -> states(h.admin("GET", "/api/v1/admin/features", null).body()), s -> !s.get("followup-tasks"));
                h.setFeature("followup-tasks", true);
                Wait.until(() -> states(second.admin("GET", "/api/v1/admin/features", null).body()), s -> s.get("followup-tasks"));
            } finally {
                second.close();
            }

            // a restart keeps the stored switches over the property defaults
            h.restart(Map.of());
            assertThat(states(h.admin("GET", "/api/v1/admin/features", null).body()))
                    .containsEntry("followup-tasks", true).containsEntry("recording-links", false);
            assertOptionalRoutesStarted(h.app());
            assertThat(h.db().queryForList("SELECT name FROM feature_switch ORDER BY name", String.class))
                    .containsExactly("followup-tasks", "recording-links");
        }
    }

    @Test
    void aFeatureSwitchedOffIsSkippedAtTheCallSiteNeverAnError() throws Exception {
        try (AppHarness h = AppHarness.on("t_feat_skipped").fastFeatureRefresh().seed(sb -> {
            sb.seedRecord("Contacts", Map.of("Last_Name", "Lee", "Phone", "+14155550501"));
            return Map.of("scc.feature.followup-tasks.enabled", "true");
        }).start()) {
            // switched off: sync-call's filter skips the route, which stays started; the call syncs at its first attempt
            h.setFeature("followup-tasks", false);
            h.post(CanonicalEvent.ended("s-off").from("+14155550501").status("missed"));
            h.awaitSynced("s-off");
            assertThat(h.onlyCall("s-off").get("Call_Type")).isEqualTo("Missed");
            assertThat(h.tasks("s-off")).isEmpty();
            assertThat(h.db().queryForObject("SELECT attempts FROM call_sync WHERE call_id = 's-off'", Integer.class)).isEqualTo(1);
            assertThat(routeStatus(h.app(), "followup-tasks")).isEqualTo(ServiceStatus.Started);

            // a PUT applies at once on its own instance
            h.setFeature("followup-tasks", true);
            h.post(CanonicalEvent.ended("s-on").from("+14155550501").status("missed"));
            h.awaitSynced("s-on");
            assertThat(h.tasks("s-on")).hasSize(1);
        }
    }

    private static void assertOptionalRoutesStarted(Application app) {
        for (String route : new String[]{"followup-tasks", "deal-links", "recording-links", "recording-links-notes", "contact-updates"}) {
            assertThat(routeStatus(app, route)).as(route).isEqualTo(ServiceStatus.Started);
        }
    }

    static ServiceStatus routeStatus(Application app, String routeId) {
        return app.context().getRouteController().getRouteStatus(routeId);
    }

    static Map<String, Boolean> states(String body) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        try {
            for (JsonNode item : JSON.readTree(body).get("items")) {
                m.put(item.get("name").asText(), item.get("enabled").asBoolean());
            }
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
        return m;
    }
}
