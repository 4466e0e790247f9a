package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.ProviderSender;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Aircall call events over real HTTP: body token, Unix times, answered vs missed, agent, comments, tags, stable links. */
class AircallWebhookTest {

    static final AppHarness app = AppHarness.sharedProviderApp();

    static String payload(String event, long id, String direction, Long answeredAt, long timestamp, String token, String extra) {
        return """
                {"resource":"call","event":"%s","timestamp":%d,"token":"%s",
                 "data":{"id":%d,"direct_link":"https://api.aircall.io/v1/calls/%d","call_uuid":"CA0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                  "direction":"%s","status":"done","started_at":1795947300,"answered_at":%s,"ended_at":1795947425,"duration":125,
                  "raw_digits":"+1 415-555-0134","missed_call_reason":%s,
                  "recording":"https://aircall-recordings.s3.amazonaws.com/calls/%d.mp3?X-Amz-Expires=600",
                  "asset":"https://assets.aircall.io/calls/%d/recording",
                  "user":{"id":456,"direct_link":"https://api.aircall.io/v1/users/456","name":"Dana Ruiz","email":"dana@acme.example","available":true},
                  "number":{"id":789,"name":"Support US","digits":"+1 415-555-0100","country":"US","time_zone":"America/Los_Angeles"},
                  "contact":{"id":42,"first_name":"Pat","last_name":"Lee","company_name":"Example Ltd",
                    "phone_numbers":[{"id":1,"label":"Work","value":"+14155550134"}],"emails":[{"id":2,"label":"Work","value":"pat.lee@example.com"}]},
                  "comments":[{"id":11,"content":"Asked about invoice 4411","posted_at":1795947430}],
                  "tags":[{"id":5,"name":"billing","color":"#ff0000"}],
                  "participants":[{"type":"user","id":"456","name":"Dana Ruiz"}]%s}}"""
                .formatted(event, timestamp, token, id, id, direction, answeredAt == null ? "null" : answeredAt.toString(),
                        answeredAt == null ? "\"agents_did_not_answer\"" : "null", id, id, extra);
    }

    static HttpResponse<String> post(String json) {
        return app.webhookJson("aircall", null, json, Map.of());
    }

    @Test
    void answeredInboundCallEndsWithTalkTimeAgentNotesTagsAndTheStableRecordingLink() {
        HttpResponse<String> r = post(payload("call.ended", 1001, "inbound", 1795947309L, 1795947455, ProviderSender.AIRCALL_TOKEN, ""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode e = app.storedEvent("aircall:call.ended:1001");
        assertThat(e.get("callId").asText()).isEqualTo("aircall:1001");
        assertThat(e.get("type").asText()).isEqualTo("call.ended");
        assertThat(e.get("direction").asText()).isEqualTo("inbound");
        assertThat(e.get("status").asText()).isEqualTo("answered");
        assertThat(e.get("from").asText()).isEqualTo("+14155550134");
        assertThat(e.get("to").asText()).isEqualTo("+14155550100");
        assertThat(e.get("startedAt").asText()).isEqualTo("2026-11-29T10:15:00Z");
        assertThat(e.get("answeredAt").asText()).isEqualTo("2026-11-29T10:15:09Z");
        assertThat(e.get("endedAt").asText()).isEqualTo("2026-11-29T10:17:05Z");
        assertThat(e.get("durationSeconds").asInt()).as("talk time, not Aircall's duration with ringing").isEqualTo(116);
        assertThat(e.get("agent").get("email").asText()).isEqualTo("dana@acme.example");
        assertThat(e.get("agent").get("name").asText()).isEqualTo("Dana Ruiz");
        assertThat(e.get("caller").get("email").asText()).isEqualTo("pat.lee@example.com");
        assertThat(e.get("notes").asText()).isEqualTo("Asked about invoice 4411");
        assertThat(e.get("tags").get(0).asText()).isEqualTo("billing");
        assertThat(e.get("links").get("recording").asText()).isEqualTo("https://assets.aircall.io/calls/1001/recording");
        assertThat(e.toString()).doesNotContain("X-Amz-Expires").doesNotContain(ProviderSender.AIRCALL_TOKEN);
    }

    @Test
    void unansweredCallsAreMissedInboundAndNoAnswerOutbound() {
        post(payload("call.ended", 1002, "inbound", null, 1795947455, ProviderSender.AIRCALL_TOKEN, ",\"voicemail\":null"));
        JsonNode missed = app.storedEvent("aircall:call.ended:1002");
        assertThat(missed.get("status").asText()).isEqualTo("missed");
        assertThat(missed.get("durationSeconds").asInt()).isZero();
        assertThat(missed.has("answeredAt")).isFalse();

        post(payload("call.ended", 1003, "inbound", null, 1795947455, ProviderSender.AIRCALL_TOKEN,
                ",\"voicemail\":\"https://aircall-voicemails.s3.amazonaws.com/1003.mp3\""));
        assertThat(app.storedEvent("aircall:call.ended:1003").get("status").asText()).isEqualTo("voicemail");

        post(payload("call.ended", 1004, "outbound", null, 1795947455, ProviderSender.AIRCALL_TOKEN, ""));
        JsonNode out = app.storedEvent("aircall:call.ended:1004");
        assertThat(out.get("direction").asText()).isEqualTo("outbound");
        assertThat(out.get("status").asText()).isEqualTo("no-answer");
        assertThat(out.get("from").asText()).isEqualTo("+14155550100");
        assertThat(out.get("to").asText()).isEqualTo("+14155550134");
    }

    @Test
    void eventsOfOneCallArriveUnorderedAndRetriesAreStoredOnce() {
        String ended = payload("call.ended", 1005, "inbound", 1795947309L, 1795947455, ProviderSender.AIRCALL_TOKEN, "");
        String created = payload("call.created", 1005, "inbound", null, 1795947300, ProviderSender.AIRCALL_TOKEN, "");
        String answered = payload("call.answered", 1005, "inbound", 1795947309L, 1795947309, ProviderSender.AIRCALL_TOKEN, "");
        for (String p : new String[]{ended, created, answered, ended, created}) {
            assertThat(post(p).statusCode()).isEqualTo(200);
        }
        assertThat(app.countStoredEventsOfCall("aircall:1005")).isEqualTo(3);
        var events = app.storedEvents("aircall:1005");
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("call.started", "call.answered", "call.ended");
        // call.created says ringing; never "missed" before the call is over
        assertThat(events.get(0).get("status").asText()).isEqualTo("ringing");

        // a new comment is a new event; the same comment list again is a duplicate
        String commented = payload("call.commented", 1005, "inbound", 1795947309L, 1795947600, ProviderSender.AIRCALL_TOKEN, "");
        assertThat(AppHarness.json(post(commented).body()).get("accepted").asInt()).isEqualTo(1);
        assertThat(AppHarness.json(post(commented).body()).get("duplicate").asInt()).isEqualTo(1);
        assertThat(app.storedEvent("aircall:call.commented:1005:11").get("type").asText()).isEqualTo("call.updated");
    }

    @Test
    void aWrongOrMissingTokenIs401AndOtherResourcesAreIgnored() {
        HttpResponse<String> wrong = post(payload("call.ended", 1006, "inbound", null, 1795947455, "not-the-token", ""));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(ProviderSender.AIRCALL_TOKEN);
        assertThat(post("{\"resource\":\"call\",\"event\":\"call.ended\",\"data\":{\"id\":1006}}").statusCode()).isEqualTo(401);
        assertThat(app.countStoredEventsOfCall("aircall:1006")).isZero();

        HttpResponse<String> user = post("{\"resource\":\"user\",\"event\":\"user.opened\",\"timestamp\":1795947455,\"token\":\""
                + ProviderSender.AIRCALL_TOKEN + "\",\"data\":{\"id\":456}}");
        assertThat(user.statusCode()).isEqualTo(200);
        assertThat(AppHarness.json(user.body()).get("events").size()).isZero();

        HttpResponse<String> broken = post("{\"token\":\"" + ProviderSender.AIRCALL_TOKEN + "\", \"event\": ");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.headers().firstValue("Content-Type")).contains("application/problem+json");
    }
}
