package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One customer, one record: calls from a new customer that arrive together (one instance or two) or right after each
 * other while Zoho's search index lags make one Lead; a record deleted in Zoho after we matched it is matched
 * again instead of killing the call; a Call already in Zoho under our unique call-id field is adopted.
 */
class SyncCustomerTest {

    static AppHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_sync_customer").settings(Map.of(
                "scc.sync.park.delay", "200",
                "scc.sync.sweep-interval", "300")).start();
    }

    @AfterEach
    void clearKnobs() {
        h.sandbox().searchIndexDelay(Duration.ZERO);
        h.sandbox().latency(Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static List<Map<String, Object>> leadsWithPhone(String e164) {
        return h.sandbox().records("Leads").stream().filter(l -> e164.equals(l.get("Phone"))).toList();
    }

    private static String inbound(String callId, String from) {
        return CanonicalEvent.ended(callId).from(from).status("answered").durationSeconds(30).json();
    }

    @Test
    void callsTogetherFromANewNumberMakeOneLead() {
        // slow Zoho widens the window in which every worker would search, miss and create
        h.sandbox().latency(Duration.ofMillis(80));
        h.sandbox().searchIndexDelay(Duration.ofSeconds(30));
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<?>> posts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = "cu-burst-" + i;
            ids.add(id);
            posts.add(CompletableFuture.runAsync(() -> h.post(inbound(id, "+14155550301"))));
        }
        posts.forEach(CompletableFuture::join);
        ids.forEach(h::awaitSynced);

        List<Map<String, Object>> leads = leadsWithPhone("+14155550301");
        assertThat(leads).as("Leads created for one new number").hasSize(1);
        String lead = (String) leads.get(0).get("id");
        for (String id : ids) {
            assertThat(AppHarness.id(h.onlyCall(id).get("What_Id"))).isEqualTo(lead);
        }
    }

    @Test
    void anotherInstanceFindsTheLeadWeJustCreatedThoughSearchDoesNotYet() throws Exception {
        h.sandbox().searchIndexDelay(Duration.ofSeconds(30));
        h.post(inbound("cu-first", "+14155550302"));
        h.awaitSynced("cu-first");
        assertThat(leadsWithPhone("+14155550302")).hasSize(1);

        AppHarness other = h.startAnotherInstance();
        try {
            // a fresh instance: nothing cached, and Zoho's search does not show the new Lead for 30 s
            assertThat(other.postEvent(inbound("cu-second", "+14155550302")).statusCode()).isEqualTo(202);
            h.awaitSynced("cu-second");
        } finally {
            other.close();
        }
        List<Map<String, Object>> leads = leadsWithPhone("+14155550302");
        assertThat(leads).hasSize(1);
        assertThat(AppHarness.id(h.onlyCall("cu-second").get("What_Id"))).isEqualTo(leads.get(0).get("id"));
    }

    @Test
    void twoInstancesTakingCallsOfOneNewCustomerTogetherMakeOneLead() throws Exception {
        h.sandbox().latency(Duration.ofMillis(80));
        h.sandbox().searchIndexDelay(Duration.ofSeconds(30));
        AppHarness other = h.startAnotherInstance();
        try {
            List<CompletableFuture<?>> posts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String id = "cu-two-" + i;
                int port = i % 2 == 0 ? h.port() : other.port();
                posts.add(CompletableFuture.runAsync(() -> Http.postEvent(port, inbound(id, "+14155550303"))));
            }
            posts.forEach(CompletableFuture::join);
            for (int i = 0; i < 4; i++) {
                h.awaitSynced("cu-two-" + i);
            }
        } finally {
            other.close();
        }
        assertThat(leadsWithPhone("+14155550303")).hasSize(1);
    }

    @Test
    void aLeadDeletedInZohoIsMatchedAgainNotDead() {
        h.post(inbound("cu-del-1", "+14155550304"));
        String first = (String) h.awaitSynced("cu-del-1").get("zoho_record_id");
        // a user deletes the Lead; this instance still has it cached, and the database remembers creating it
        assertThat(h.sandbox().deleteRecord("Leads", first)).isTrue();

        h.post(inbound("cu-del-2", "+14155550304"));
        Map<String, Object> row = h.awaitSynced("cu-del-2");
        String second = (String) row.get("zoho_record_id");
        assertThat(second).isNotNull().isNotEqualTo(first);
        assertThat(AppHarness.id(h.onlyCall("cu-del-2").get("What_Id"))).isEqualTo(second);
        assertThat(leadsWithPhone("+14155550304")).extracting(l -> l.get("id")).containsExactly(second);

        // a later update of the first call, whose Call still points at the deleted Lead, is re-linked too
        h.post(CanonicalEvent.event("cu-del-1-u", "cu-del-1", "call.updated").occurredAt("2026-11-24T10:20:00Z").direction("inbound")
                .from("+14155550304").to("+14155550100").members("\"notes\":\"called back\""));
        Wait.until(() -> h.onlyCall("cu-del-1"), c -> c.get("Description") != null && ((String) c.get("Description")).contains("called back"));
        assertThat(h.awaitSynced("cu-del-1").get("zoho_record_id")).isEqualTo(second);
        assertThat(AppHarness.id(h.onlyCall("cu-del-1").get("What_Id"))).isEqualTo(second);
    }

    @Test
    void aCallZohoAlreadyHoldsUnderTheUniqueCallIdIsAdopted() {
        h.sandbox().uniqueField("Calls", "SCC_Call_ID");
        // e.g. the database was restored from a backup older than the insert: no mapping, no marker
        String existing = h.sandbox().seedRecord("Calls", Map.of("Subject", "old", "Call_Type", "Inbound",
                "Call_Start_Time", "2026-11-24T10:15:00+00:00", "Call_Duration", "00:01", "SCC_Call_ID", "cu-dup"));
        h.post(inbound("cu-dup", "+14155550305"));
        Map<String, Object> row = h.awaitSynced("cu-dup");

        assertThat(row.get("zoho_call_id")).isEqualTo(existing);
        Map<String, Object> call = h.onlyCall("cu-dup");
        assertThat(call.get("id")).isEqualTo(existing);
        assertThat(call.get("Call_Duration")).isEqualTo("00:30");
        assertThat(call.get("Subject")).isNotEqualTo("old");
    }

    @Test
    void aDroppedAnswerToTheLeadCreateStillGivesOneLead() {
        // the first Zoho write is the Lead's create: applied, then the connection drops; the redelivery that follows
        // must find the Lead by COQL (search would not show it yet) instead of creating a second one
        h.sandbox().searchIndexDelay(Duration.ofSeconds(30));
        h.sandbox().dropConnectionNext(1);
        h.post(inbound("cu-drop-lead", "+14155550306"));
        Map<String, Object> row = h.awaitSynced("cu-drop-lead");

        List<Map<String, Object>> leads = leadsWithPhone("+14155550306");
        assertThat(leads).hasSize(1);
        assertThat(row.get("zoho_record_id")).isEqualTo(leads.get(0).get("id"));
        assertThat(AppHarness.id(h.onlyCall("cu-drop-lead").get("What_Id"))).isEqualTo(leads.get(0).get("id"));
    }

    @Test
    void anotherCallOfTheCustomerFindsALeadWhoseCreateAnswerWasLost() {
        // call A's Lead create is applied but unanswered, and every retry of A fails until call B has run: B must
        // see A's unknown create (person_created without an id) and find the Lead by COQL rather than make another
        h.sandbox().searchIndexDelay(Duration.ofSeconds(30));
        h.sandbox().dropConnectionNext(1);
        h.sandbox().failWhen(r -> r.method().equals("POST") && r.path().equals("/crm/v8/coql"), 503, null);
        try {
            h.post(inbound("cu-lost-a", "+14155550307"));
            Wait.until(() -> h.status("cu-lost-a"), "parked"::equals);
            // A stays parked until B is done
            h.db().update("UPDATE call_sync SET next_attempt_at = now() + interval '1 hour' WHERE call_id = 'cu-lost-a'");
        } finally {
            h.sandbox().clearFaults();
        }
        assertThat(h.db().queryForObject("SELECT count(*) FROM person_created WHERE match_key = 'phone:+14155550307' AND zoho_id IS NULL",
                Integer.class)).isEqualTo(1);
        h.post(inbound("cu-lost-b", "+14155550307"));
        h.awaitSynced("cu-lost-b");
        h.db().update("UPDATE call_sync SET next_attempt_at = now() WHERE call_id = 'cu-lost-a'");
        h.awaitSynced("cu-lost-a");
        List<Map<String, Object>> leads = leadsWithPhone("+14155550307");
        assertThat(leads).hasSize(1);
        assertThat(AppHarness.id(h.onlyCall("cu-lost-a").get("What_Id"))).isEqualTo(leads.get(0).get("id"));
        assertThat(AppHarness.id(h.onlyCall("cu-lost-b").get("What_Id"))).isEqualTo(leads.get(0).get("id"));
    }
}
