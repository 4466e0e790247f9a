package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.ProviderSender;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** RingCentral telephony-session notifications: handshake, Verification-Token, party status codes, sequence, extension map. */
class RingCentralWebhookTest {

    static final AppHarness app = AppHarness.sharedProviderApp();

    static final Map<String, String> TOKEN = Map.of("Verification-Token", ProviderSender.RINGCENTRAL_TOKEN);

    static String notification(String uuid, String session, int sequence, String eventTime, String direction, String code,
                               String reason, boolean missed, String from, String to, String extensionId) {
        return """
                {"uuid":"%s","event":"/restapi/v1.0/account/37439510/telephony/sessions","timestamp":"%s",
                 "subscriptionId":"0a7fb1f2-9e7c-46ad-9b7e-2ce4d1a1b1c3","ownerId":"400145221008",
                 "body":{"sequence":%d,"sessionId":"4503991004","telephonySessionId":"%s","serverId":"10.13.22.235.TAM",
                  "eventTime":"%s","origin":{"type":"Call"},
                  "parties":[{"accountId":"37439510","extensionId":"%s","id":"cs17262255528361442%d","direction":"%s",
                    "to":{"phoneNumber":"%s","name":"Sam Ito","extensionId":"%s"},"from":{"phoneNumber":"%s","name":"WIRELESS CALLER"},
                    "status":{"code":"%s"%s,"rcc":false},"missedCall":%s,"standAlone":false,"muted":false}]}}"""
                .formatted(uuid, eventTime, sequence, session, eventTime, extensionId, sequence, direction, to, extensionId, from, code,
                        reason == null ? "" : ",\"reason\":\"" + reason + "\"", missed);
    }

    @Test
    void theSubscriptionHandshakeEchoesTheValidationTokenAndStoresNothing() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/webhooks/ringcentral"))
                .timeout(Duration.ofSeconds(10)).header("Validation-Token", "a1b2c3d4-handshake")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> r = com.simplecallcenter.zohosync.support.Http.send(req);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Validation-Token")).contains("a1b2c3d4-handshake");
        long size = r.body().length() + r.headers().map().entrySet().stream()
                .mapToLong(e -> e.getKey().length() + String.join(",", e.getValue()).length() + 4).sum();
        assertThat(size).isLessThan(1024);
    }

    @Test
    void anAnsweredInboundCallInSequenceOrderWhateverTheArrivalOrder() {
        String s = "s-a0d7c5e1f2b34ea9b0c8e2b1f7a6d5c4";
        String proceeding = notification("u-1", s, 1, "2026-11-24T10:15:00.120Z", "Inbound", "Proceeding", null, false, "+14155550134", "+14155550100", "400145221008");
        String answered = notification("u-2", s, 2, "2026-11-24T10:15:09.300Z", "Inbound", "Answered", null, false, "+14155550134", "+14155550100", "400145221008");
        String hangup = notification("u-3", s, 3, "2026-11-24T10:17:05.000Z", "Inbound", "Disconnected", null, false, "+14155550134", "+14155550100", "400145221008");
        for (String n : List.of(hangup, answered, proceeding, hangup)) {
            HttpResponse<String> r = app.webhookJson("ringcentral", null, n, TOKEN);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        List<JsonNode> events = app.storedEvents("ringcentral:" + s);
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("call.started", "call.answered", "call.ended");
        assertThat(events.get(0).get("status").asText()).isEqualTo("ringing");
        assertThat(events.get(1).get("status").asText()).isEqualTo("answered");
        assertThat(events.get(1).get("answeredAt").asText()).startsWith("2026-11-24T10:15:09.3");
        JsonNode end = events.get(2);
        assertThat(end.has("status")).as("a plain hang-up keeps the answer").isFalse();
        assertThat(end.get("direction").asText()).isEqualTo("inbound");
        assertThat(end.get("from").asText()).isEqualTo("+14155550134");
        assertThat(end.get("endedAt").asText()).startsWith("2026-11-24T10:17:05");
        // extensionId 400145221008 is mapped to sam@acme.example in agents.yaml
        assertThat(end.get("agent").get("email").asText()).isEqualTo("sam@acme.example");
    }

    @Test
    void aMissedCallTransfersAndSameMillisecondOrder() {
        String s = "s-missed-77b1";
        app.webhookJson("ringcentral", null, notification("u-m1", s, 1, "2026-11-24T11:00:00.000Z", "Inbound", "Proceeding", null, false, "(415) 555-0177", "+14155550100", "999"), TOKEN);
        app.webhookJson("ringcentral", null, notification("u-m2", s, 2, "2026-11-24T11:00:25.000Z", "Inbound", "Disconnected", null, true, "(415) 555-0177", "+14155550100", "999"), TOKEN);
        JsonNode missed = app.storedEvents("ringcentral:" + s).get(1);
        assertThat(missed.get("status").asText()).isEqualTo("missed");
        assertThat(missed.get("from").asText()).as("a national number in the default region").isEqualTo("+14155550177");
        assertThat(missed.get("agent").get("id").asText()).isEqualTo("ringcentral-ext:999");

        String t = "s-transfer-3c";
        app.webhookJson("ringcentral", null, notification("u-t1", t, 5, "2026-11-24T12:00:00.000Z", "Outbound", "Disconnected", "BlindTransfer", false, "+14155550100", "+442079460018", "400145221008"), TOKEN);
        app.webhookJson("ringcentral", null, notification("u-t2", t, 4, "2026-11-24T12:00:00.000Z", "Outbound", "Answered", null, false, "+14155550100", "+442079460018", "400145221008"), TOKEN);
        List<JsonNode> ordered = app.storedEvents("ringcentral:" + t);
        assertThat(ordered).extracting(e -> e.get("type").asText()).containsExactly("call.answered", "call.updated");
        assertThat(ordered.get(1).has("endedAt")).as("a transfer is not the end").isFalse();
    }

    @Test
    void aWrongOrMissingVerificationTokenIs401() {
        String n = notification("u-x", "s-x", 1, "2026-11-24T13:00:00.000Z", "Inbound", "Proceeding", null, false, "+14155550134", "+14155550100", "1");
        assertThat(app.webhookJson("ringcentral", null, n, Map.of()).statusCode()).isEqualTo(401);
        assertThat(app.webhookJson("ringcentral", null, n, Map.of("Verification-Token", "guess")).statusCode()).isEqualTo(401);
        assertThat(app.countStoredEventsOfCall("ringcentral:s-x")).isZero();
    }
}
