package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.ProviderSender;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Vonage Voice event webhooks with signed-callback JWTs (HS256, payload_hash), built here independently. */
class VonageWebhookTest {

    static final AppHarness app = AppHarness.sharedProviderApp();

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String jwt(String secret, String alg, String claims) {
        try {
            String signingInput = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + b64(claims);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> signed(String body) {
        long now = System.currentTimeMillis() / 1000;
        String claims = "{\"iat\":" + now + ",\"jti\":\"" + java.util.UUID.randomUUID() + "\",\"iss\":\"Vonage\",\"api_key\":\"a1b2c3d4\","
                + "\"application_id\":\"aaaaaaaa-bbbb-cccc-dddd-0123456789ab\",\"payload_hash\":\"" + sha256(body) + "\"}";
        return Map.of("Authorization", "Bearer " + jwt(ProviderSender.VONAGE_SECRET, "HS256", claims));
    }

    static HttpResponse<String> post(String body) {
        return app.webhookJson("vonage", null, body, signed(body));
    }

    static String event(String leg, String conversation, String status, String direction, String from, String to, String timestamp, String extra) {
        return ("{\"headers\":{},\"from\":\"%s\",\"to\":\"%s\",\"uuid\":\"%s\",\"conversation_uuid\":\"%s\",\"status\":\"%s\","
                + "\"direction\":\"%s\",\"timestamp\":\"%s\"%s}").formatted(from, to, leg, conversation, status, direction, timestamp, extra);
    }

    @Test
    void anInboundCallAnsweredOnTheAgentLeg() {
        String con = "CON-7f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b";
        String in = "aaaa1111-0000-4000-8000-000000000001";
        String agent = "bbbb2222-0000-4000-8000-000000000002";
        List<String> deliveries = List.of(
                event(agent, con, "answered", "outbound", "447700900100", "447700900555", "2026-11-24T10:15:09.000Z", ""),
                event(in, con, "started", "inbound", "447700900000", "447700900100", "2026-11-24T10:15:00.000Z", ""),
                event(in, con, "answered", "inbound", "447700900000", "447700900100", "2026-11-24T10:15:01.000Z", ""),
                event(agent, con, "started", "outbound", "447700900100", "447700900555", "2026-11-24T10:15:02.000Z", ""),
                event(agent, con, "completed", "outbound", "447700900100", "447700900555", "2026-11-24T10:17:05.000Z",
                        ",\"duration\":\"116\",\"start_time\":\"2026-11-24T10:15:02.000Z\",\"end_time\":\"2026-11-24T10:17:05.000Z\",\"rate\":\"0.01\",\"price\":\"0.02\",\"network\":\"23410\",\"disconnected_by\":\"user\""),
                event(in, con, "completed", "inbound", "447700900000", "447700900100", "2026-11-24T10:17:06.000Z",
                        ",\"duration\":\"126\",\"start_time\":\"2026-11-24T10:15:00.000Z\",\"end_time\":\"2026-11-24T10:17:06.000Z\""));
        for (String d : deliveries) {
            HttpResponse<String> r = post(d);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        List<JsonNode> events = app.storedEvents("vonage:" + con);
        assertThat(events).hasSize(6);
        JsonNode inboundStart = app.storedEvent("vonage:" + in + ":started");
        assertThat(inboundStart.get("direction").asText()).isEqualTo("inbound");
        assertThat(inboundStart.get("from").asText()).isEqualTo("+447700900000");
        assertThat(app.storedEvent("vonage:" + in + ":answered").has("status")).as("Vonage answering is not a person").isFalse();
        JsonNode agentAnswered = app.storedEvent("vonage:" + agent + ":answered");
        assertThat(agentAnswered.get("status").asText()).isEqualTo("answered");
        assertThat(agentAnswered.has("direction")).isFalse();
        JsonNode agentDone = app.storedEvent("vonage:" + agent + ":completed");
        assertThat(agentDone.get("durationSeconds").asInt()).isEqualTo(116);
        assertThat(agentDone.get("answeredAt").asText()).isEqualTo("2026-11-24T10:15:09Z");
        // the newest event naming a direction is the inbound leg's: the call stays inbound, from the customer
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("direction").asText()).isEqualTo("inbound");
        assertThat(last.get("from").asText()).isEqualTo("+447700900000");
        assertThat(last.get("endedAt").asText()).isEqualTo("2026-11-24T10:17:06Z");
    }

    @Test
    void outboundTerminalStatusesAndReplays() {
        String con = "CON-00000000-0000-4000-8000-00000000beef";
        String leg = "cccc3333-0000-4000-8000-000000000003";
        post(event(leg, con, "started", "outbound", "14155550100", "14155550134", "2026-11-24T12:00:00.000Z", ""));
        String busy = event(leg, con, "busy", "outbound", "14155550100", "14155550134", "2026-11-24T12:00:05.000Z", "");
        assertThat(AppHarness.json(post(busy).body()).get("accepted").asInt()).isEqualTo(1);
        assertThat(AppHarness.json(post(busy).body()).get("duplicate").asInt()).isEqualTo(1);
        // an outbound leg may be an agent's leg: its parties count only where no inbound leg names them
        JsonNode started = app.storedEvent("vonage:" + leg + ":started");
        assertThat(started.has("direction")).isFalse();
        assertThat(started.get("fallback").get("direction").asText()).isEqualTo("outbound");
        assertThat(started.get("fallback").get("to").asText()).isEqualTo("+14155550134");
        assertThat(app.storedEvent("vonage:" + leg + ":busy").get("status").asText()).isEqualTo("busy");

        String leg2 = "dddd4444-0000-4000-8000-000000000004";
        post(event(leg2, "CON-unanswered-1", "unanswered", "inbound", "14155550177", "14155550100", "2026-11-24T12:10:00.000Z", ""));
        assertThat(app.storedEvent("vonage:" + leg2 + ":unanswered").get("status").asText()).isEqualTo("missed");
    }

    @Test
    void aRecordingEventAddsTheLink() {
        String body = "{\"start_time\":\"2026-11-24T10:15:09Z\",\"recording_url\":\"https://api.nexmo.com/v1/files/aaaaaaaa-bbbb-cccc-dddd-0123456789ab\","
                + "\"size\":12222,\"recording_uuid\":\"eeee5555-0000-4000-8000-000000000005\",\"end_time\":\"2026-11-24T10:17:05Z\","
                + "\"conversation_uuid\":\"CON-rec-1\",\"timestamp\":\"2026-11-24T10:17:06.000Z\"}";
        assertThat(post(body).statusCode()).isEqualTo(200);
        JsonNode e = app.storedEvent("vonage:recording:eeee5555-0000-4000-8000-000000000005");
        assertThat(e.get("callId").asText()).isEqualTo("vonage:CON-rec-1");
        assertThat(e.get("links").get("recording").asText()).startsWith("https://api.nexmo.com/v1/files/");
    }

    @Test
    void unsignedTamperedWrongAlgorithmOrExpiredJwtsAre401() {
        String body = event("ffff6666-0000-4000-8000-000000000006", "CON-bad", "started", "inbound", "14155550134", "14155550100", "2026-11-24T13:00:00.000Z", "");
        assertThat(app.webhookJson("vonage", null, body, Map.of()).statusCode()).isEqualTo(401);
        Map<String, String> good = signed(body);
        // the JWT of another body: payload_hash no longer matches
        assertThat(app.webhookJson("vonage", null, body.replace("14155550134", "14155550999"), good).statusCode()).isEqualTo(401);
        long now = System.currentTimeMillis() / 1000;
        String claims = "{\"iat\":" + now + ",\"payload_hash\":\"" + sha256(body) + "\"}";
        assertThat(app.webhookJson("vonage", null, body, Map.of("Authorization", "Bearer " + jwt("wrong-secret", "HS256", claims))).statusCode()).isEqualTo(401);
        String none = b64("{\"alg\":\"none\"}") + "." + b64(claims) + ".";
        assertThat(app.webhookJson("vonage", null, body, Map.of("Authorization", "Bearer " + none)).statusCode()).isEqualTo(401);
        String expired = "{\"iat\":" + (now - 7200) + ",\"exp\":" + (now - 3600) + ",\"payload_hash\":\"" + sha256(body) + "\"}";
        assertThat(app.webhookJson("vonage", null, body, Map.of("Authorization", "Bearer " + jwt(ProviderSender.VONAGE_SECRET, "HS256", expired))).statusCode()).isEqualTo(401);
        assertThat(app.countStoredEventsOfCall("vonage:CON-bad")).isZero();
        // signed correctly: accepted
        assertThat(app.webhookJson("vonage", null, body, good).statusCode()).isEqualTo(200);
    }
}
