package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.ProviderSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-process hand-off from ingest to the sync (the routes' {@code ref: tenantConnected} filter): with the sweep
 * told to leave events alone for an hour, a call accepted while Zoho is connected is synced all the same, from the
 * canonical webhook and from a provider's. Without the hand-off these calls would wait for the sweep.
 */
class HandOffTest {

    static AppHarness h;
    static ProviderSender send;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_sync_hand_off").providers().setting("scc.sync.sweep-grace", "1h").start();
        send = h.providerSender();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aCanonicalEventAcceptedWhileConnectedIsHandedToTheSync() {
        HttpResponse<String> r = h.post(CanonicalEvent.ended("hand-off-1").eventId("hand-off-evt-1").from("+14155550177").status("answered").durationSeconds(30));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        h.awaitSynced("hand-off-1");
        assertThat(h.calls("hand-off-1")).hasSize(1);
    }

    @Test
    void aProviderEventAcceptedWhileConnectedIsHandedToTheSync() {
        String form = OneEventAloneTest.twilioLeg("CAh0000000000000000000000000000001", null, "inbound", "completed",
                        "Tue, 24 Nov 2026 10:19:00 +0000", "+14155550101", "+14155550100", 60).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = send.post("twilio", null, "application/x-www-form-urlencoded", form);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        h.awaitSynced("twilio:CAh0000000000000000000000000000001");
    }
}
