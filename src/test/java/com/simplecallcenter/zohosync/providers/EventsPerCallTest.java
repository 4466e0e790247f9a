package com.simplecallcenter.zohosync.providers;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sync of a call loads all its events, so ingest caps them (issue 13, finding 6): a new event beyond
 * {@code scc.ingest.max-events-per-call} is 422 on the canonical and the provider webhooks, and nothing of its request
 * is stored; a retry of an event already stored is still a duplicate.
 */
class EventsPerCallTest {

    static final String SCHEMA = "t_events_per_call";
    static AppHarness app;
    static JdbcTemplate db;

    @BeforeAll
    static void start() throws Exception {
        app = AppHarness.on(SCHEMA).withoutZoho().providers().setting("scc.ingest.max-events-per-call", "3").start();
        db = app.db();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String updated(String eventId, String callId, int minute) {
        return """
                {"eventId":"%s","callId":"%s","type":"call.updated","occurredAt":"2026-11-24T10:%02d:00Z",
                 "direction":"inbound","from":"+14155550134","to":"+14155550100","notes":"note %d"}""".formatted(eventId, callId, minute, minute);
    }

    static int stored(String callId) {
        return db.queryForObject("select count(*) from call_event where call_id = ?", Integer.class, callId);
    }

    @Test
    void theCanonicalWebhookRefusesANewEventOfAFullCall() {
        for (int i = 1; i <= 3; i++) {
            assertThat(Http.postEvent(app.port(), updated("cap-" + i, "cap-call", i)).statusCode()).isEqualTo(202);
        }
        HttpResponse<String> full = Http.postEvent(app.port(), updated("cap-4", "cap-call", 4));
        assertThat(full.statusCode()).as(full.body()).isEqualTo(422);
        assertThat(full.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(full.body()).contains("cap-call", "already has 3 events");
        assertThat(stored("cap-call")).isEqualTo(3);
        // its eventId was not recorded: the same event is refused again, not a "duplicate"
        assertThat(Http.postEvent(app.port(), updated("cap-4", "cap-call", 4)).statusCode()).isEqualTo(422);
        // a retry of a stored event is answered as before; other calls are untouched
        assertThat(Http.postEvent(app.port(), updated("cap-2", "cap-call", 2)).statusCode()).isEqualTo(200);
        assertThat(Http.postEvent(app.port(), updated("other-1", "other-call", 1)).statusCode()).isEqualTo(202);
    }

    @Test
    void aProviderRequestThatWouldOverfillACallIsRefusedWhole() {
        String linked = "1765000000.1";
        // the PBX posts each leg of one call (same linkedid) as it ends: one event of asterisk:<linkedid> per request
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> leg = postAsterisk("[" + leg(linked, i) + "]");
            assertThat(leg.statusCode()).as(leg.body()).isEqualTo(200);
        }
        assertThat(stored("asterisk:" + linked)).isEqualTo(3);
        long bodies = db.queryForObject("select count(*) from raw_body", Long.class);
        String other = AsteriskWebhookTest.row("2026-11-24 10:05:00", "4155550124", "101", "from-trunk", "PJSIP/trunk-9", "PJSIP/101-9",
                "Dial", 30, 20, "ANSWERED", "1765000001.1", "1765000001.1", 1, "", "");
        String body = "[" + other + "," + leg(linked, 3) + "]";
        HttpResponse<String> r = postAsterisk(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(r.body()).contains("asterisk:" + linked, "already has 3 events");
        assertThat(stored("asterisk:" + linked)).isEqualTo(3);
        assertThat(stored("asterisk:1765000001.1")).as("nothing of the request is stored").isZero();
        assertThat(db.queryForObject("select count(*) from raw_body", Long.class)).isEqualTo(bodies);
        // the other call alone goes through
        assertThat(postAsterisk("[" + other + "]").statusCode()).isEqualTo(200);
        assertThat(stored("asterisk:1765000001.1")).isEqualTo(1);
    }

    static String leg(String linked, int i) {
        return AsteriskWebhookTest.row("2026-11-24 10:00:0" + i, "4155550123", "600", "ext-group", "PJSIP/trunk-" + i,
                "PJSIP/10" + i + "-" + i, "Dial", 30, 0, "NO ANSWER", "1765000000." + (10 + i), linked, i, "", "");
    }

    static HttpResponse<String> postAsterisk(String body) {
        return app.webhookJson("asterisk", null, body, AsteriskWebhookTest.signed(body, "msg_" + System.nanoTime()));
    }
}
