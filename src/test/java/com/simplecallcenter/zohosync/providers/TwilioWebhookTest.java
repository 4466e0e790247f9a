package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.ProviderSender;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.simplecallcenter.zohosync.support.ProviderSender.TWILIO_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/** Twilio status and recording callbacks over real HTTP, signed the way Twilio signs them, stored in PostgreSQL. */
class TwilioWebhookTest {

    static final AppHarness app = AppHarness.sharedProviderApp();

    static final String PATH = "/api/v1/webhooks/twilio";

    /** Computed here, independently of the production verifier: Base64(HMAC-SHA1(token, url + sorted name+value)). */
    static String sign(String token, String url, Map<String, String> params) {
        try {
            List<String> names = new ArrayList<>(params.keySet());
            Collections.sort(names);
            StringBuilder data = new StringBuilder(url);
            for (String n : names) {
                data.append(n).append(params.get(n));
            }
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> deliver(Map<String, String> params, String query, String signedUrl) {
        String sig = sign(TWILIO_TOKEN, signedUrl, params);
        return app.webhook("twilio", query, "application/x-www-form-urlencoded",
                ProviderSender.form(params).getBytes(StandardCharsets.UTF_8), Map.of("X-Twilio-Signature", sig, "I-Twilio-Idempotency-Token", "idem-" + params.hashCode()));
    }

    static HttpResponse<String> deliver(Map<String, String> params) {
        return deliver(params, null, ProviderSender.BASE_URL + PATH);
    }

    /** A status callback as captured from Twilio (extra geo fields empty, spaces in Timestamp form-encoded as '+'). */
    static Map<String, String> status(String callSid, String parentSid, String direction, String callStatus, int seq,
                                      String timestamp, String from, String to, Integer duration) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Called", to);
        p.put("ToState", "CA");
        p.put("CallerCountry", "US");
        p.put("Direction", direction);
        p.put("Timestamp", timestamp);
        p.put("CallbackSource", "call-progress-events");
        p.put("CallerState", "");
        p.put("SequenceNumber", String.valueOf(seq));
        p.put("CallSid", callSid);
        p.put("To", to);
        p.put("CallerZip", "");
        p.put("CallStatus", callStatus);
        p.put("ApiVersion", "2010-04-01");
        p.put("Caller", from);
        p.put("From", from);
        p.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
        if (parentSid != null) {
            p.put("ParentCallSid", parentSid);
        }
        if (duration != null) {
            p.put("CallDuration", String.valueOf(duration));
            p.put("Duration", String.valueOf((duration + 59) / 60));
            p.put("SipResponseCode", "200");
        }
        return p;
    }

    /** A {@code <Dial action>} request: the parent call's parameters (no SequenceNumber) plus the Dial outcome. */
    static Map<String, String> dialAction(String parentSid, String dialSid, String dialStatus, Integer talk, String from, String to) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", parentSid);
        p.put("CallStatus", "in-progress");
        p.put("Direction", "inbound");
        p.put("From", from);
        p.put("To", to);
        p.put("Caller", from);
        p.put("Called", to);
        p.put("DialCallStatus", dialStatus);
        p.put("DialBridged", talk != null && talk > 0 ? "true" : "false");
        if (dialSid != null) {
            p.put("DialCallSid", dialSid);
        }
        if (talk != null) {
            p.put("DialCallDuration", String.valueOf(talk));
        }
        return p;
    }

    @Test
    void aGetCallbackIsVerifiedOverItsWholeUrlAndStoredLikeAPost() {
        // StatusCallbackMethod=GET: the parameters are the query string, the signature covers the URL alone (§1.6, 9)
        String sid = "CA71111111111111111111111111111111";
        Map<String, String> p = status(sid, null, "inbound", "completed", 3, "Tue, 24 Nov 2026 10:17:06 +0000",
                "+14155550136", "+14155550100", 30);
        String query = ProviderSender.form(p) + "&agentEmail=dana%40acme.example";
        String url = ProviderSender.BASE_URL + PATH + "?" + query;
        HttpResponse<String> ok = app.webhookGet("twilio", query, Map.of("X-Twilio-Signature", sign(TWILIO_TOKEN, url, Map.of())));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode e = app.storedEvent("twilio:" + sid + ":3");
        assertThat(e.get("type").asText()).isEqualTo("call.ended");
        assertThat(e.get("from").asText()).isEqualTo("+14155550136");
        assertThat(e.get("agent").get("email").asText()).isEqualTo("dana@acme.example");

        // signed the POST way (the parameters appended to the URL): refused, and so is a tampered query
        HttpResponse<String> postStyle = app.webhookGet("twilio", query, Map.of("X-Twilio-Signature", sign(TWILIO_TOKEN, url, p)));
        assertThat(postStyle.statusCode()).isEqualTo(401);
        String tampered = query.replace("CallDuration=30", "CallDuration=31");
        assertThat(app.webhookGet("twilio", tampered, Map.of("X-Twilio-Signature", sign(TWILIO_TOKEN, url, Map.of()))).statusCode())
                .isEqualTo(401);
        // only Twilio sends GET callbacks
        HttpResponse<String> other = app.webhookGet("aircall", null, Map.of());
        assertThat(other.statusCode()).isEqualTo(405);
        assertThat(other.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void aDialActionAnsweredEndsTheCallAnsweredAndGetsTwiMLBack() {
        String parent = "CA51111111111111111111111111111111";
        Map<String, String> action = dialAction(parent, "CA52222222222222222222222222222222", "completed", 116,
                "+14155550134", "+14155550100");
        HttpResponse<String> r = deliver(action);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // Twilio executes the answer of an action URL: TwiML, an empty Response (hang up), never JSON
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        assertThat(r.body()).contains("<Response/>");

        JsonNode e = app.storedEvent("twilio:" + parent + ":dial:CA52222222222222222222222222222222");
        assertThat(e.get("callId").asText()).isEqualTo("twilio:" + parent);
        assertThat(e.get("type").asText()).isEqualTo("call.ended");
        assertThat(e.get("status").asText()).isEqualTo("answered");
        assertThat(e.get("durationSeconds").asInt()).isEqualTo(116);
        assertThat(e.get("direction").asText()).isEqualTo("inbound");
        assertThat(e.get("from").asText()).isEqualTo("+14155550134");

        // Twilio retrying the same action request stores nothing new
        assertThat(deliver(action).statusCode()).isEqualTo(200);
        assertThat(app.countStoredEventsOfCall("twilio:" + parent)).isEqualTo(1);
    }

    @Test
    void aDialActionNotAnsweredIsAMissedCall() {
        String parent = "CA61111111111111111111111111111111";
        for (String dialStatus : List.of("no-answer", "busy", "canceled", "failed")) {
            String sid = parent.substring(0, parent.length() - dialStatus.length()) + dialStatus.replace("-", "x");
            HttpResponse<String> r = deliver(dialAction(sid, null, dialStatus, 0, "+14155550135", "+14155550100"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode e = app.storedEvent("twilio:" + sid + ":dial:" + dialStatus);
            assertThat(e.get("type").asText()).isEqualTo("call.ended");
            assertThat(e.get("status").asText()).as(dialStatus).isEqualTo("missed");
        }
        HttpResponse<String> bad = deliver(dialAction(parent, null, "maybe", null, "+14155550135", "+14155550100"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("DialCallStatus");
    }

    @Test
    void inboundCallAnsweredByTheDialedAgentArrivingInAnyOrder() {
        String parent = "CA11111111111111111111111111111111";
        String child = "CA22222222222222222222222222222222";
        String customer = "+14155550134";
        String ours = "+14155550100";
        List<Map<String, String>> deliveries = List.of(
                status(child, parent, "outbound-dial", "completed", 2, "Tue, 24 Nov 2026 10:17:05 +0000", ours, "client:dana", 116),
                status(parent, null, "inbound", "ringing", 0, "Tue, 24 Nov 2026 10:15:00 +0000", customer, ours, null),
                status(parent, null, "inbound", "completed", 2, "Tue, 24 Nov 2026 10:17:06 +0000", customer, ours, 126),
                status(child, parent, "outbound-dial", "in-progress", 1, "Tue, 24 Nov 2026 10:15:09 +0000", ours, "client:dana", null),
                status(parent, null, "inbound", "in-progress", 1, "Tue, 24 Nov 2026 10:15:00 +0000", customer, ours, null));
        for (Map<String, String> d : deliveries) {
            HttpResponse<String> r = deliver(d);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(AppHarness.json(r.body()).get("accepted").asInt()).isEqualTo(1);
        }
        String callId = "twilio:" + parent;
        assertThat(app.countStoredEventsOfCall(callId)).isEqualTo(5);

        JsonNode ringing = app.storedEvent("twilio:" + parent + ":0");
        assertThat(ringing.get("type").asText()).isEqualTo("call.started");
        assertThat(ringing.get("direction").asText()).isEqualTo("inbound");
        assertThat(ringing.get("status").asText()).isEqualTo("ringing");
        assertThat(ringing.get("from").asText()).isEqualTo(customer);
        assertThat(ringing.get("to").asText()).isEqualTo(ours);
        assertThat(ringing.get("startedAt").asText()).isEqualTo("2026-11-24T10:15:00Z");

        // Twilio's TwiML answering the parent is not a person answering
        JsonNode parentAnswered = app.storedEvent("twilio:" + parent + ":1");
        assertThat(parentAnswered.get("type").asText()).isEqualTo("call.updated");
        assertThat(parentAnswered.has("status")).isFalse();
        assertThat(parentAnswered.has("answeredAt")).isFalse();

        JsonNode agentAnswered = app.storedEvent("twilio:" + child + ":1");
        assertThat(agentAnswered.get("callId").asText()).isEqualTo(callId);
        assertThat(agentAnswered.get("status").asText()).isEqualTo("answered");
        assertThat(agentAnswered.get("answeredAt").asText()).isEqualTo("2026-11-24T10:15:09Z");
        assertThat(agentAnswered.get("agent").get("id").asText()).isEqualTo("dana");
        // the child leg's numbers are the agent's side: they never replace the customer's
        assertThat(agentAnswered.has("direction")).isFalse();
        assertThat(agentAnswered.has("from")).isFalse();

        JsonNode agentDone = app.storedEvent("twilio:" + child + ":2");
        assertThat(agentDone.get("status").asText()).isEqualTo("answered");
        assertThat(agentDone.get("durationSeconds").asInt()).isEqualTo(116);
        assertThat(agentDone.get("answeredAt").asText()).isEqualTo("2026-11-24T10:15:09Z");

        JsonNode parentDone = app.storedEvent("twilio:" + parent + ":2");
        assertThat(parentDone.get("type").asText()).isEqualTo("call.ended");
        assertThat(parentDone.get("direction").asText()).isEqualTo("inbound");
        assertThat(parentDone.get("endedAt").asText()).isEqualTo("2026-11-24T10:17:06Z");
        assertThat(parentDone.get("startedAt").asText()).isEqualTo("2026-11-24T10:15:00Z");
        assertThat(parentDone.has("status")).as("the parent's 'completed' does not prove a person answered").isFalse();
        assertThat(parentDone.has("durationSeconds")).isFalse();

        // merged in occurredAt order, the newest status is the agent's answer
        List<JsonNode> ordered = app.storedEvents(callId);
        String lastStatus = null;
        for (JsonNode e : ordered) {
            if (e.has("status")) {
                lastStatus = e.get("status").asText();
            }
        }
        assertThat(lastStatus).isEqualTo("answered");
    }

    @Test
    void inboundCallThatNoAgentAnsweredIsMissed() {
        String parent = "CA33333333333333333333333333333333";
        String child = "CA44444444444444444444444444444444";
        assertThat(deliver(status(parent, null, "inbound", "ringing", 0, "Tue, 24 Nov 2026 11:00:00 +0000", "+14155550177", "+14155550100", null)).statusCode()).isEqualTo(200);
        assertThat(deliver(status(child, parent, "outbound-dial", "no-answer", 1, "Tue, 24 Nov 2026 11:00:30 +0000", "+14155550100", "+14155550199", 0)).statusCode()).isEqualTo(200);
        assertThat(deliver(status(parent, null, "inbound", "completed", 1, "Tue, 24 Nov 2026 11:00:45 +0000", "+14155550177", "+14155550100", 45)).statusCode()).isEqualTo(200);

        JsonNode noAnswer = app.storedEvent("twilio:" + child + ":1");
        assertThat(noAnswer.get("callId").asText()).isEqualTo("twilio:" + parent);
        assertThat(noAnswer.get("status").asText()).isEqualTo("missed");
        assertThat(noAnswer.has("answeredAt")).isFalse();
        JsonNode done = app.storedEvent("twilio:" + parent + ":1");
        assertThat(done.get("type").asText()).isEqualTo("call.ended");
        assertThat(done.has("status")).isFalse();
        assertThat(app.storedEvents("twilio:" + parent)).noneMatch(e -> e.has("answeredAt"));

        // the caller hung up before Twilio answered: missed on the parent itself
        String early = "CA55555555555555555555555555555555";
        assertThat(deliver(status(early, null, "inbound", "canceled", 1, "Tue, 24 Nov 2026 11:05:00 +0000", "+14155550178", "+14155550100", 0)).statusCode()).isEqualTo(200);
        assertThat(app.storedEvent("twilio:" + early + ":1").get("status").asText()).isEqualTo("missed");
    }

    @Test
    void outboundApiCallsAnsweredBusyAndMachine() {
        String answered = "CA66666666666666666666666666666666";
        deliver(status(answered, null, "outbound-api", "initiated", 0, "Tue, 24 Nov 2026 12:00:00 +0000", "+14155550100", "+442079460018", null));
        HttpResponse<String> r = deliver(status(answered, null, "outbound-api", "completed", 3, "Tue, 24 Nov 2026 12:01:00 +0000", "+14155550100", "+442079460018", 49));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode e = app.storedEvent("twilio:" + answered + ":3");
        assertThat(e.get("direction").asText()).isEqualTo("outbound");
        assertThat(e.get("status").asText()).isEqualTo("answered");
        assertThat(e.get("durationSeconds").asInt()).isEqualTo(49);
        assertThat(e.get("answeredAt").asText()).isEqualTo("2026-11-24T12:00:11Z");
        assertThat(e.get("endedAt").asText()).isEqualTo("2026-11-24T12:01:00Z");
        assertThat(e.get("to").asText()).isEqualTo("+442079460018");
        assertThat(app.storedEvent("twilio:" + answered + ":0").get("status").asText()).isEqualTo("ringing");

        String busy = "CA77777777777777777777777777777777";
        deliver(status(busy, null, "outbound-api", "busy", 2, "Tue, 24 Nov 2026 12:05:00 +0000", "+14155550100", "+14155550155", 0));
        JsonNode b = app.storedEvent("twilio:" + busy + ":2");
        assertThat(b.get("status").asText()).isEqualTo("busy");
        assertThat(b.get("durationSeconds").asInt()).isZero();

        String machine = "CA88888888888888888888888888888888";
        Map<String, String> m = status(machine, null, "outbound-api", "completed", 3, "Tue, 24 Nov 2026 12:10:30 +0000", "+14155550100", "+14155550156", 30);
        m.put("AnsweredBy", "machine_end_beep");
        deliver(m);
        JsonNode vm = app.storedEvent("twilio:" + machine + ":3");
        assertThat(vm.get("status").asText()).isEqualTo("voicemail");
        assertThat(vm.has("answeredAt")).isFalse();
    }

    @Test
    void recordingCallbackAddsTheLinkToTheSameCall() {
        String call = "CA99999999999999999999999999999999";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
        p.put("CallSid", call);
        p.put("RecordingSid", "RE0123456789abcdef0123456789abcdef");
        p.put("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef");
        p.put("RecordingStatus", "completed");
        p.put("RecordingDuration", "47");
        p.put("RecordingChannels", "1");
        p.put("RecordingStartTime", "Tue, 24 Nov 2026 13:00:10 +0000");
        p.put("RecordingSource", "DialVerb");
        HttpResponse<String> r = deliver(p);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode e = app.storedEvent("twilio:" + call + ":rec:RE0123456789abcdef0123456789abcdef");
        assertThat(e.get("callId").asText()).isEqualTo("twilio:" + call);
        assertThat(e.get("type").asText()).isEqualTo("call.updated");
        assertThat(e.get("links").get("recording").asText()).startsWith("https://api.twilio.com/");
        assertThat(e.get("occurredAt").asText()).isEqualTo("2026-11-24T13:00:57Z");

        // an in-progress recording carries no link yet: answered 200, nothing stored
        p.put("RecordingStatus", "in-progress");
        p.put("RecordingSid", "RE1111111111111111111111111111111f");
        HttpResponse<String> none = deliver(p);
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(AppHarness.json(none.body()).get("events").size()).isZero();
    }

    @Test
    void aReplayedCallbackIsStoredOnce() {
        Map<String, String> p = status("CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", null, "outbound-api", "completed", 4,
                "Tue, 24 Nov 2026 14:00:00 +0000", "+14155550100", "+14155550123", 12);
        HttpResponse<String> first = deliver(p);
        HttpResponse<String> again = deliver(p);
        assertThat(AppHarness.json(first.body()).get("accepted").asInt()).isEqualTo(1);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(AppHarness.json(again.body()).get("duplicate").asInt()).isEqualTo(1);
        assertThat(AppHarness.json(again.body()).get("events").get(0).get("status").asText()).isEqualTo("duplicate");
        assertThat(app.countStoredEvent("twilio:CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:4")).isEqualTo(1);
    }

    @Test
    void signaturesOverTheExactUrlPassAndTamperedOnesFail() {
        Map<String, String> p = status("CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", null, "outbound-api", "ringing", 1,
                "Tue, 24 Nov 2026 15:00:00 +0000", "+14155550100", "+14155550124", null);
        byte[] body = ProviderSender.form(p).getBytes(StandardCharsets.UTF_8);
        String url = ProviderSender.BASE_URL + PATH;

        // missing header, wrong token, tampered parameter, wrong scheme, missing path prefix: 401, nothing stored
        assertThat(app.webhook("twilio", null, "application/x-www-form-urlencoded", body, Map.of()).statusCode()).isEqualTo(401);
        assertThat(app.webhook("twilio", null, "application/x-www-form-urlencoded", body,
                Map.of("X-Twilio-Signature", sign("another-token", url, p))).statusCode()).isEqualTo(401);
        Map<String, String> tampered = new LinkedHashMap<>(p);
        tampered.put("To", "+14155550999");
        HttpResponse<String> t = app.webhook("twilio", null, "application/x-www-form-urlencoded",
                ProviderSender.form(tampered).getBytes(StandardCharsets.UTF_8), Map.of("X-Twilio-Signature", sign(TWILIO_TOKEN, url, p)));
        assertThat(t.statusCode()).isEqualTo(401);
        assertThat(t.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(t.body()).doesNotContain(TWILIO_TOKEN);
        assertThat(app.webhook("twilio", null, "application/x-www-form-urlencoded", body,
                Map.of("X-Twilio-Signature", sign(TWILIO_TOKEN, url.replace("https:", "http:"), p))).statusCode()).isEqualTo(401);
        assertThat(app.webhook("twilio", null, "application/x-www-form-urlencoded", body,
                Map.of("X-Twilio-Signature", sign(TWILIO_TOKEN, "https://calls.example.com" + PATH, p))).statusCode()).isEqualTo(401);
        assertThat(app.countStoredEvent("twilio:CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb:1")).isZero();

        // the same URL with the explicit default port is accepted too
        HttpResponse<String> withPort = app.webhook("twilio", null, "application/x-www-form-urlencoded", body,
                Map.of("X-Twilio-Signature", sign(TWILIO_TOKEN, "https://calls.example.com:443/scc" + PATH, p)));
        assertThat(withPort.statusCode()).as(withPort.body()).isEqualTo(200);
        assertThat(app.countStoredEvent("twilio:CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb:1")).isEqualTo(1);
    }

    @Test
    void theQueryStringIsSignedAsSentAndTamperingWithItFails() {
        Map<String, String> p = status("CAcccccccccccccccccccccccccccccccc", null, "inbound", "ringing", 0,
                "Tue, 24 Nov 2026 16:00:00 +0000", "+4930901820", "+4930123456", null);
        String query = "region=DE&agentEmail=dana%40acme.example";
        HttpResponse<String> ok = deliver(p, query, ProviderSender.BASE_URL + PATH + "?" + query);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode e = app.storedEvent("twilio:CAcccccccccccccccccccccccccccccccc:0");
        assertThat(e.get("from").asText()).isEqualTo("+4930901820");
        assertThat(e.get("agent").get("email").asText()).isEqualTo("dana@acme.example");

        String sig = sign(TWILIO_TOKEN, ProviderSender.BASE_URL + PATH + "?" + query, p);
        HttpResponse<String> bad = app.webhook("twilio", "region=US&agentEmail=dana%40acme.example", "application/x-www-form-urlencoded",
                ProviderSender.form(p).getBytes(StandardCharsets.UTF_8), Map.of("X-Twilio-Signature", sig));
        assertThat(bad.statusCode()).isEqualTo(401);
    }

    @Test
    void aCallbackWithoutCallSidOrWithABrokenTimestampIs400() {
        Map<String, String> p = status("CAdddddddddddddddddddddddddddddddd", null, "inbound", "ringing", 0,
                "yesterday at noon", "+14155550100", "+14155550101", null);
        HttpResponse<String> r = deliver(p);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(AppHarness.json(r.body()).get("errors").get(0).get("field").asText()).isEqualTo("Timestamp");
        p.remove("CallSid");
        assertThat(deliver(p).statusCode()).isEqualTo(400);
    }
}
