package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.support.AppHarness;
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
 * Personal data is kept only as long as needed (issue 13, finding 3): retention clears the personal fields of calls
 * synced longer than {@code scc.retention.events} ago, and an admin erases one person's data on request; ids and sync
 * state stay, Zoho's records are untouched.
 */
class PersonalDataTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static AppHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_personal_data").setting("scc.retention.interval", "1s").start();
    }

    /** An inbound call.ended of {@code callId} from {@code from} to our line, with {@code extra} fields. */
    static String ended(String callId, String from, String extra) {
        return "{\"eventId\":\"" + callId + "-ended\",\"callId\":\"" + callId + "\",\"type\":\"call.ended\","
                + "\"occurredAt\":\"2026-11-24T10:17:05Z\",\"direction\":\"inbound\",\"from\":\"" + from + "\",\"to\":\"+14155550100\","
                + "\"startedAt\":\"2026-11-24T10:15:00Z\",\"endedAt\":\"2026-11-24T10:17:05Z\"," + extra + "}";
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static final String PERSONAL = "\"agent\":{\"id\":\"ag_17\",\"email\":\"dana@acme.example\",\"name\":\"Dana Ruiz\"},"
            + "\"caller\":{\"email\":\"Pat.Lee@Example.com\",\"firstName\":\"Pat\",\"lastName\":\"Lee\"},"
            + "\"notes\":\"Asked about invoice 4411\",\"links\":{\"recording\":\"https://rec.example/r/1\"}";

    static String event(String callId, String from) {
        return ended(callId, from, "\"status\":\"answered\"," + PERSONAL);
    }

    JsonNode storedEvent(String callId) throws Exception {
        return JSON.readTree(h.db().queryForObject("SELECT event::text FROM call_event WHERE call_id = ?", String.class, callId));
    }

    JsonNode storedState(String callId) throws Exception {
        return JSON.readTree(h.db().queryForObject("SELECT state::text FROM call_sync WHERE call_id = ?", String.class, callId));
    }

    int rawBodies(String callId) {
        return h.db().queryForObject("""
                SELECT count(*) FROM call_event e JOIN raw_body b ON b.id = e.raw_body_id WHERE e.call_id = ?""", Integer.class, callId);
    }

    static void assertCleared(JsonNode call) {
        assertThat(call.has("from")).isFalse();
        assertThat(call.has("to")).isFalse();
        assertThat(call.has("caller")).isFalse();
        assertThat(call.has("notes")).isFalse();
        assertThat(call.has("links")).isFalse();
        assertThat(call.path("agent").has("email")).isFalse();
        assertThat(call.path("agent").has("name")).isFalse();
        assertThat(call.toString()).doesNotContain("415555", "Pat", "Dana", "invoice", "rec.example");
    }

    @Test
    void callsSyncedLongerAgoThanTheRetentionLoseTheirPersonalDataAndKeepIdsAndSyncState() throws Exception {
        h.post(event("ret-old", "+14155550161"));
        h.post(event("ret-new", "+14155550162"));
        Map<String, Object> old = h.awaitSynced("ret-old");
        h.awaitSynced("ret-new");
        h.db().update("UPDATE call_sync SET synced_at = now() - interval '31 days' WHERE call_id = 'ret-old'");

        Wait.until(() -> h.db().queryForObject("SELECT personal_data_removed_at IS NOT NULL FROM call_sync WHERE call_id = 'ret-old'",
                Boolean.class), Boolean::booleanValue);
        JsonNode e = storedEvent("ret-old");
        assertCleared(e);
        assertThat(e.path("eventId").asText()).isEqualTo("ret-old-ended");
        assertThat(e.path("agent").path("id").asText()).isEqualTo("ag_17");
        assertThat(e.path("status").asText()).isEqualTo("answered");
        assertCleared(storedState("ret-old").path("call"));
        assertThat(rawBodies("ret-old")).isZero();
        assertThat(h.db().queryForObject("SELECT raw_body IS NULL FROM call_event WHERE call_id = 'ret-old'", Boolean.class)).isTrue();
        Map<String, Object> after = h.row("ret-old");
        assertThat(after.get("status")).isEqualTo("synced");
        assertThat(after.get("zoho_call_id")).isEqualTo(old.get("zoho_call_id"));
        assertThat(after.get("zoho_record_id")).isEqualTo(old.get("zoho_record_id"));
        // Zoho's Call is the customer's record: untouched
        assertThat(h.onlyCall("ret-old").get("Description").toString()).contains("invoice 4411");

        // a call synced lately keeps everything
        assertThat(storedEvent("ret-new").path("from").asText()).isEqualTo("+14155550162");
        assertThat(storedEvent("ret-new").path("caller").path("email").asText()).isEqualTo("Pat.Lee@Example.com");
        assertThat(rawBodies("ret-new")).isEqualTo(1);
        assertThat(h.row("ret-new").get("personal_data_removed_at")).isNull();
    }

    @Test
    void anErasureByPhoneClearsThatPersonsCallsTheirMatchRecordsAndTheCache() throws Exception {
        // matched by phone only (no caller email, which would be a cache key of its own)
        h.post(ended("erase-1", "(415) 555-0171", "\"status\":\"answered\",\"notes\":\"invoice 4411\""));
        h.post(event("keep-1", "+14155550172"));
        h.awaitSynced("erase-1");
        h.awaitSynced("keep-1");
        assertThat(h.db().queryForObject("SELECT count(*) FROM person_created WHERE match_key = 'phone:+14155550171'", Integer.class))
                .as("the lead we created for them").isEqualTo(1);

        HttpResponse<String> r = h.admin("DELETE", "/api/v1/admin/people?phone=%2B1%20415%20555%200171", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.path("calls").asInt()).isEqualTo(1);
        assertThat(answer.path("events").asInt()).isEqualTo(1);
        assertThat(answer.path("rawBodies").asInt()).isEqualTo(1);
        assertThat(answer.path("matchRecords").asInt()).isEqualTo(1);
        assertCleared(storedEvent("erase-1"));
        assertCleared(storedState("erase-1").path("call"));
        assertThat(rawBodies("erase-1")).isZero();
        assertThat(h.db().queryForObject("SELECT count(*) FROM person_created WHERE match_key = 'phone:+14155550171'", Integer.class)).isZero();
        assertThat(storedEvent("keep-1").path("from").asText()).as("another person's call").isEqualTo("+14155550172");
        assertThat(h.sandbox().records("Leads")).as("Zoho's records are untouched")
                .anySatisfy(l -> assertThat(l.get("Phone")).isEqualTo("+14155550171"));

        // the match cache forgot them too: their next call looks them up in Zoho again
        long searches = h.sandbox().count("GET", "/crm/v8/Leads/search") + h.sandbox().count("GET", "/crm/v8/Contacts/search");
        h.post(ended("erase-2", "+14155550171", "\"status\":\"answered\""));
        h.awaitSynced("erase-2");
        assertThat(h.sandbox().count("GET", "/crm/v8/Leads/search") + h.sandbox().count("GET", "/crm/v8/Contacts/search"))
                .isGreaterThan(searches);
    }

    @Test
    void anErasureByEmailMatchesCaseInsensitively() throws Exception {
        h.post(ended("mail-1", "anonymous", "\"status\":\"missed\",\"caller\":{\"email\":\"Erin.Mail@Example.com\",\"firstName\":\"Erin\"}"));
        h.awaitSynced("mail-1");
        HttpResponse<String> r = h.admin("DELETE", "/api/v1/admin/people?email=erin.mail%40example.COM", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("calls").asInt()).isEqualTo(1);
        assertThat(storedEvent("mail-1").toString()).doesNotContain("Erin");
    }

    @Test
    void anErasureNeedsExactlyOneOfPhoneOrEmailAndAnAdmin() {
        for (String query : new String[]{"", "?phone=", "?phone=%2B14155550100&email=a%40b.example", "?phone=call-me", "?email=nobody"}) {
            HttpResponse<String> r = h.admin("DELETE", "/api/v1/admin/people" + query, null);
            assertThat(r.statusCode()).as(query).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        assertThat(AppHarness.request(h.port(), "DELETE", "/api/v1/admin/people?phone=%2B14155550100", null, "wrong")
                .statusCode()).isEqualTo(401);
    }

    @Test
    void aTenantAdminErasesInItsOwnTenantOnly() throws Exception {
        HttpResponse<String> created = h.admin("POST", "/api/v1/tenants", "{\"id\":\"erase-acme\",\"name\":\"Acme\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode acme = JSON.readTree(created.body());
        String phone = "+14155550181";
        HttpResponse<String> posted = Http.send(Http.signed(h.port(), "/api/v1/tenants/erase-acme/calls/events",
                event("t-call", phone), acme.get("webhookSecret").asText(), "m-t-call"));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        h.post(event("t-call", phone));   // the same call id in the tenant default: another call

        HttpResponse<String> r = AppHarness.request(h.port(), "DELETE", "/api/v1/tenants/erase-acme/admin/people?phone=%2B14155550181",
                null, acme.get("adminToken").asText());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("events").asInt()).isEqualTo(1);
        List<String> froms = h.db().queryForList("SELECT tenant_id || '=' || coalesce(event->>'from', '-') FROM call_event WHERE call_id = 't-call'",
                String.class);
        assertThat(froms).containsExactlyInAnyOrder("erase-acme=-", "default=" + phone);
        // a tenant admin cannot erase in the tenant default
        assertThat(AppHarness.request(h.port(), "DELETE", "/api/v1/admin/people?phone=%2B14155550181", null,
                acme.get("adminToken").asText()).statusCode()).isIn(401, 403, 404);
    }
}
