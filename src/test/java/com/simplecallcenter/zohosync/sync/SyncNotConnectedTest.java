package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Zoho not connected: calls are parked with the reason (no tight loop), visible through the admin API. */
class SyncNotConnectedTest {

    static AppHarness h;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        // no Zoho configured at all, and the service's own park delays
        h = AppHarness.on("t_sync_notconnected").withoutZoho().setting("scc.admin.token", AppHarness.ADMIN)
                .setting("scc.sync.sweep-interval", "200").start();
        base = h.baseUrl();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aCallIsParkedUntilZohoIsConnected() {
        String json = CanonicalEvent.event("nc-e1", "nc-call-1", "call.ended").occurredAt("2026-11-24T10:17:05Z").direction("inbound")
                .from("+1 415 555 0134").to("+14155550100").status("answered").durationSeconds(12).json();
        assertThat(h.postEvent(json).statusCode()).isEqualTo(202);

        String body = Wait.until(() -> get("/api/v1/calls/nc-call-1").body(), b -> b.contains("\"status\":\"parked\""));
        assertThat(body).contains("\"callId\":\"nc-call-1\"", "\"code\":\"NOT_CONNECTED\"", "\"attempts\":1",
                "\"zoho\":{\"module\":null,\"recordId\":null,\"callActivityId\":null}");
        HttpResponse<String> failures = get("/api/v1/admin/failures");
        assertThat(failures.statusCode()).isEqualTo(200);
        assertThat(failures.body()).contains("\"callId\":\"nc-call-1\"", "\"status\":\"parked\"", "\"code\":\"NOT_CONNECTED\"");
        // parked means waiting for its time: the sweep does not retry it in a tight loop
        Wait.pause(1000);
        assertThat(get("/api/v1/calls/nc-call-1").body()).contains("\"attempts\":1");
        // parked at database speed: no lock, no merge; the event is merged once a connection exists
        assertThat(h.db().queryForObject("SELECT count(*) FROM call_event WHERE call_id = 'nc-call-1' AND processed_at IS NULL",
                Integer.class)).isEqualTo(1);
        assertThat(h.db().queryForObject("SELECT state::text FROM call_sync WHERE call_id = 'nc-call-1'", String.class)).isEqualTo("{}");
    }

    @Test
    void unknownCallsAre404AndTheAdminTokenIsRequired() {
        HttpResponse<String> unknown = get("/api/v1/calls/no-such-call");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> replay = h.admin("POST", "/api/v1/admin/calls/no-such-call/replay", null);
        assertThat(replay.statusCode()).isEqualTo(404);
        HttpResponse<String> anonymous = Http.get(base + "/api/v1/calls/nc-call-1");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(Http.get(base + "/api/v1/admin/failures").statusCode()).isEqualTo(401);
    }

    static HttpResponse<String> get(String path) {
        return h.admin("GET", path, null);
    }
}
