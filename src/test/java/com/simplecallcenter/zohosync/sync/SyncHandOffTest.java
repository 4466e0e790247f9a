package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * The happy path needs no sweep: with the sweep an hour away, a stored event of a connected service is handed to the
 * sync right after its commit (ingest's and the provider route's wire-tap, behind the connection gate), so the call is
 * in Zoho within seconds.
 */
class SyncHandOffTest {

    static AppHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_sync_hand_off").setting("scc.sync.sweep-interval", "1h").start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aStoredEventIsSyncedWithoutTheSweep() {
        // the gate may still hold "not connected" from before the connect for up to a second
        Wait.pause(1100);
        h.post(CanonicalEvent.ended("ho-1").from("+14155550501").status("answered").durationSeconds(5));
        Wait.until(() -> h.status("ho-1"), "synced"::equals, Duration.ofSeconds(10));
        h.onlyCall("ho-1");
    }
}
