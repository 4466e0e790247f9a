package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-customer lock covers matching and creating the customer only: once the Lead exists, another call of that
 * customer goes ahead even while the first call is still retrying its Call insert (here, for as long as the test lasts).
 */
class SyncCustomerLockTest {

    static AppHarness h;

    @BeforeAll
    static void start() throws Exception {
        // a failing Call insert is retried in place for 50 s, holding that call's lock all along
        h = AppHarness.on("t_sync_customer_lock").settings(Map.of(
                "scc.sync.redelivery.max", "100",
                "scc.sync.redelivery.delay", "500",
                "scc.sync.redelivery.max-delay", "500")).start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void anotherCallOfTheCustomerDoesNotWaitForTheFirstCallsCallInsert() throws Exception {
        h.sandbox().failWhen(r -> r.method().equals("POST") && r.path().equals("/crm/v8/Calls") && r.body() != null
                && r.body().contains("cu-hold-a"), 503, null);
        try {
            h.post(CanonicalEvent.ended("cu-hold-a").from("+14155550401").status("answered").durationSeconds(9));
            // A created the Lead and is now stuck retrying its Call insert
            String lead = com.simplecallcenter.zohosync.support.Wait.until(() -> h.db().queryForList(
                    "SELECT zoho_record_id FROM call_sync WHERE call_id = 'cu-hold-a' AND zoho_record_id IS NOT NULL", String.class),
                    ids -> !ids.isEmpty()).get(0);
            AppHarness other = h.startAnotherInstance();
            try {
                // a fresh instance: no cache, so B takes the customer's lock, which A must no longer hold
                assertThat(other.postEvent(CanonicalEvent.ended("cu-hold-b").from("+14155550401").status("answered")
                        .durationSeconds(5).json()).statusCode()).isEqualTo(202);
                Map<String, Object> b = h.awaitSynced("cu-hold-b");
                assertThat(b.get("zoho_record_id")).isEqualTo(lead);
                assertThat(h.status("cu-hold-a")).as("A still retrying").isEqualTo("pending");
            } finally {
                other.close();
            }
        } finally {
            h.sandbox().clearFaults();
        }
        h.awaitSynced("cu-hold-a");
        assertThat(h.calls("cu-hold-a")).hasSize(1);
    }
}
