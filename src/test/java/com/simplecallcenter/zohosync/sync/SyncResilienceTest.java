package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Wait;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Retries, ordering, Zoho failures and several instances: every call ends as exactly one correct Call. */
class SyncResilienceTest {

    static AppHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_sync_resilience").setting("scc.sync.redelivery.max", "3").start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static long callInserts() {
        return h.sandbox().count("POST", "/crm/v8/Calls");
    }

    @Test
    void theSameEventAtOnceAndLaterHasOneEffectAndNewEventsUpdateTheSameCall() {
        String ended = CanonicalEvent.ended("r-retry").from("+14155550301").status("answered").durationSeconds(40)
                .members("\"notes\":\"first\"").json();
        long before = callInserts();
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            posts.add(CompletableFuture.supplyAsync(() -> h.postEvent(ended)));
        }
        posts.forEach(p -> assertThat(p.join().statusCode()).isIn(200, 202));
        h.awaitSynced("r-retry");
        // the same event again "hours later": a duplicate at ingest, nothing more in Zoho
        assertThat(h.post(ended).body()).contains("\"duplicate\"");
        String callId = (String) h.onlyCall("r-retry").get("id");
        assertThat(callInserts() - before).isEqualTo(1);

        h.post(CanonicalEvent.event("r-retry-upd", "r-retry", "call.updated").occurredAt("2026-11-24T10:20:00Z").direction("inbound")
                .from("+14155550301").to("+14155550100")
                .members("\"notes\":\"called back later\",\"links\":{\"recording\":\"https://rec/r1\"}"));
        Wait.until(() -> h.onlyCall("r-retry"), c -> "https://rec/r1".equals(c.get("Voice_Recording__s")));
        Map<String, Object> call = h.onlyCall("r-retry");
        assertThat(call.get("id")).isEqualTo(callId);
        assertThat((String) call.get("Description")).contains("called back later").doesNotContain("first");
        assertThat(callInserts() - before).isEqualTo(1);
    }

    @Test
    void outOfOrderEventsAndALateOlderUpdate() {
        String n = "+14155550302";
        // nothing is written while the call has not ended
        h.post(CanonicalEvent.event("o-started", "r-order", "call.started").occurredAt("2026-11-24T10:15:00Z").direction("inbound")
                .from(n).to("+14155550100").status("ringing").members("\"startedAt\":\"2026-11-24T10:15:00Z\""));
        h.awaitStatus("r-order", "waiting");
        assertThat(h.calls("r-order")).isEmpty();
        // the newest update arrives before the end, and an older update arrives last
        h.post(CanonicalEvent.event("o-upd-new", "r-order", "call.updated").occurredAt("2026-11-24T10:30:00Z").direction("inbound")
                .from(n).to("+14155550100").members("\"notes\":\"newest notes\""));
        h.post(CanonicalEvent.event("o-ended", "r-order", "call.ended").occurredAt("2026-11-24T10:17:05Z").direction("inbound")
                .from(n).to("+14155550100").status("answered")
                .members("\"endedAt\":\"2026-11-24T10:17:05Z\",\"answeredAt\":\"2026-11-24T10:15:05Z\",\"notes\":\"at the end\""));
        h.awaitSynced("r-order");
        h.post(CanonicalEvent.event("o-upd-old", "r-order", "call.updated").occurredAt("2026-11-24T10:16:00Z").direction("inbound")
                .from(n).to("+14155550100").members("\"notes\":\"older notes\",\"tags\":[\"late\"]"));
        Wait.until(() -> h.onlyCall("r-order"), c -> ((String) c.get("Description")).contains("Tags: late"));
        Map<String, Object> call = h.onlyCall("r-order");
        assertThat((String) call.get("Description")).contains("newest notes").doesNotContain("older notes", "at the end");
        assertThat(call.get("Call_Type")).isEqualTo("Inbound");
        assertThat(call.get("Call_Duration")).isEqualTo("02:00");
        assertThat(call.get("Call_Start_Time").toString()).startsWith("2026-11-24T10:15:00");
    }

    @Test
    void storms429And5xxEndSynced() {
        h.sandbox().failNext(12, 429, "TOO_MANY_REQUESTS");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = "r-storm-429-" + i;
            ids.add(id);
            h.post(CanonicalEvent.ended(id).from("+1415555031" + i).status("answered").durationSeconds(5));
        }
        ids.forEach(h::awaitSynced);
        h.sandbox().failNext(12, 503, null);
        for (int i = 0; i < 6; i++) {
            String id = "r-storm-5xx-" + i;
            ids.add(id);
            h.post(CanonicalEvent.ended(id).from("+1415555032" + i).status("answered").durationSeconds(5));
        }
        ids.forEach(h::awaitSynced);
        ids.forEach(h::onlyCall);
    }

    @Test
    void aDroppedConnectionOnTheCallInsertStillGivesExactlyOneCall() {
        h.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Dropped", "Phone", "+14155550340", "Email", "d@example.com"));
        // warm the match so that the next Zoho write is the Call insert
        h.post(CanonicalEvent.ended("r-drop-warm").from("+14155550340").status("answered").durationSeconds(5));
        h.awaitSynced("r-drop-warm");
        long coql = h.sandbox().count("POST", "/crm/v8/coql");
        h.sandbox().dropConnectionNext(1);
        h.post(CanonicalEvent.ended("r-drop").from("+14155550340").status("answered").durationSeconds(5));
        Map<String, Object> row = h.awaitSynced("r-drop");
        Map<String, Object> call = h.onlyCall("r-drop");
        assertThat(row.get("zoho_call_id")).isEqualTo(call.get("id"));
        assertThat(h.sandbox().count("POST", "/crm/v8/coql")).isGreaterThan(coql); // found again by COQL, not by search
    }

    @Test
    void aDroppedConnectionOnTheLeadCreateStillGivesExactlyOneLead() {
        // a new caller: after the two searches, the first write is the Lead create, whose answer is lost; the
        // redelivery re-runs only the create step, which must look the Lead up (COQL) instead of creating another
        String number = "+14155550345";
        long coql = h.sandbox().count("POST", "/crm/v8/coql");
        h.sandbox().dropConnectionNext(1);
        h.post(CanonicalEvent.ended("r-drop-lead").from(number).status("answered").durationSeconds(5));
        Map<String, Object> row = h.awaitSynced("r-drop-lead");
        List<Map<String, Object>> leads = h.sandbox().records("Leads").stream().filter(l -> number.equals(l.get("Phone"))).toList();
        assertThat(leads).hasSize(1);
        assertThat(row.get("zoho_record_id")).isEqualTo(leads.get(0).get("id"));
        assertThat(AppHarness.id(h.onlyCall("r-drop-lead").get("What_Id"))).isEqualTo(leads.get(0).get("id"));
        assertThat(h.sandbox().count("POST", "/crm/v8/coql")).isGreaterThan(coql);
    }

    @Test
    void invalidDataGoesDeadIsListedAndAReplayAfterTheFixSyncs() {
        h.sandbox().failWhen(r -> r.method().equals("POST") && r.path().equals("/crm/v8/Calls"), 400, "INVALID_DATA");
        try {
            h.post(CanonicalEvent.ended("r-dead").from("+14155550350").status("answered").durationSeconds(5));
            h.awaitStatus("r-dead", "dead");
        } finally {
            h.sandbox().clearFaults();
        }
        assertThat(h.calls("r-dead")).isEmpty();
        String failures = h.admin("GET", "/api/v1/admin/failures", null).body();
        assertThat(failures).contains("\"callId\":\"r-dead\"", "\"status\":\"dead\"", "\"code\":\"INVALID_DATA\"");
        assertThat(h.admin("GET", "/api/v1/calls/r-dead", null).body()).contains("\"status\":\"dead\"", "\"code\":\"INVALID_DATA\"");

        HttpResponse<String> replay = h.admin("POST", "/api/v1/admin/calls/r-dead/replay", null);
        assertThat(replay.statusCode()).isEqualTo(202);
        h.awaitSynced("r-dead");
        h.onlyCall("r-dead");
        assertThat(h.admin("GET", "/api/v1/calls/r-dead", null).body()).contains("\"status\":\"synced\"", "\"lastError\":null");
        assertThat(h.admin("GET", "/api/v1/admin/failures", null).body()).doesNotContain("r-dead");
    }

    @Test
    void tokenExpiryMidBurst() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "r-token-" + i;
            ids.add(id);
            h.post(CanonicalEvent.ended(id).from("+141555504" + (10 + i)).status("answered").durationSeconds(5));
            if (i == 8) {
                h.sandbox().expireAccessTokens();
            }
        }
        ids.forEach(h::awaitSynced);
        ids.forEach(h::onlyCall);
    }

    @Test
    void twoInstancesOnOneDatabaseLogEachCallOnce() throws Exception {
        AppHarness other = h.startAnotherInstance();
        try {
            List<String> ids = new ArrayList<>();
            List<CompletableFuture<?>> posts = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String id = "r-two-" + i;
                ids.add(id);
                String n = "+141555505" + (10 + i);
                String started = CanonicalEvent.event(id + "-s", id, "call.started").occurredAt("2026-11-24T10:15:00Z")
                        .direction("inbound").from(n).to("+14155550100").status("ringing").json();
                String ended = CanonicalEvent.ended(id).from(n).status("answered").durationSeconds(5).json();
                String updated = CanonicalEvent.event(id + "-u", id, "call.updated").occurredAt("2026-11-24T10:18:00Z")
                        .direction("inbound").from(n).to("+14155550100").members("\"notes\":\"n" + i + "\"").json();
                // the events of one call reach both instances at once
                posts.add(CompletableFuture.runAsync(() -> h.postEvent(started)));
                posts.add(CompletableFuture.runAsync(() -> other.postEvent(ended)));
                posts.add(CompletableFuture.runAsync(() -> h.postEvent(updated)));
            }
            posts.forEach(CompletableFuture::join);
            ids.forEach(h::awaitSynced);
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                String note = "n" + i;
                Wait.until(() -> h.onlyCall(id), c -> c.get("Description") != null && ((String) c.get("Description")).contains(note));
            }
        } finally {
            other.close();
        }
    }
}
