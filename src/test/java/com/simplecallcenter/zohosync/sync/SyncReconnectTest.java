package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls parked because Zoho was not connected go through as soon as an admin connects, not after their park delay. */
class SyncReconnectTest {

    @Test
    void callsParkedForWantOfAConnectionAreSyncedRightAfterConnecting() throws Exception {
        // a park delay of an hour: only the wake-up on connect can get these calls through within the test
        try (AppHarness h = AppHarness.on("t_sync_reconnect")
                .settings(Map.of("scc.sync.park.delay", "1h", "scc.sync.park.max-delay", "2h")).start()) {
            HttpResponse<String> gone = h.admin("DELETE", "/api/v1/admin/zoho", null);
            assertThat(gone.statusCode()).isEqualTo(204);

            h.post(CanonicalEvent.ended("rc-1").from("+14155550601").status("answered").durationSeconds(30));
            h.post(CanonicalEvent.ended("rc-2").from("+14155550602").status("missed"));
            Map<String, Object> parked = h.awaitStatus("rc-1", "parked");
            assertThat(parked.get("last_error_code")).isEqualTo("NOT_CONNECTED");
            h.awaitStatus("rc-2", "parked");
            assertThat(h.sandbox().records("Calls")).isEmpty();

            h.connect();
            h.awaitSynced("rc-1");
            h.awaitSynced("rc-2");
            assertThat(h.onlyCall("rc-1").get("Call_Type")).isEqualTo("Inbound");
            assertThat(h.onlyCall("rc-2").get("Call_Type")).isEqualTo("Missed");
        }
    }
}
