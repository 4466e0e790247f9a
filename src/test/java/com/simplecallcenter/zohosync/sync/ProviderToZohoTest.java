package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6 end to end: a provider's native webhook → canonical events → the sync → exactly one right Call in the
 * Zoho sandbox, even when the provider retries and reorders its deliveries.
 */
class ProviderToZohoTest {

    static final String AIRCALL_TOKEN = "aircall-e2e-token-0123456789abcdef";
    static final String TWILIO_TOKEN = "twilio-e2e-auth-token-0123456789ab";
    static final String BASE_URL = "https://calls.example.com";
    static final String RINGCENTRAL_TOKEN = "ringcentral-e2e-verification-token";
    static AppHarness h;
    static String patLee;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_sync_providers_e2e").settings(Map.of("scc.aircall.token", AIRCALL_TOKEN,
                "scc.twilio.auth-token", TWILIO_TOKEN, "scc.public-base-url", BASE_URL,
                "scc.ringcentral.verification-token", RINGCENTRAL_TOKEN)).start();
        patLee = h.sandbox().seedRecord("Contacts", Map.of("First_Name", "Pat", "Last_Name", "Lee",
                "Phone", "(415) 555-0134", "Email", "pat.lee@example.com"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static HttpResponse<String> post(String provider, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.port() + "/api/v1/webhooks/" + provider))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        HttpResponse<String> r = Http.send(b.build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    static String aircall(String event, long id, Long answeredAt, long timestamp) {
        return """
                {"resource":"call","event":"%s","timestamp":%d,"token":"%s",
                 "data":{"id":%d,"direction":"inbound","status":"done","started_at":1795947300,"answered_at":%s,
                  "ended_at":1795947425,"duration":125,"raw_digits":"+1 415-555-0134",
                  "asset":"https://assets.aircall.io/calls/%d/recording",
                  "user":{"id":456,"name":"Dana Ruiz","email":"dana@acme.example"},
                  "number":{"id":789,"digits":"+1 415-555-0100","country":"US"},
                  "comments":[{"id":11,"content":"Asked about invoice 4411","posted_at":1795947430}],
                  "tags":[{"id":5,"name":"billing"}]}}"""
                .formatted(event, timestamp, AIRCALL_TOKEN, id, answeredAt == null ? "null" : answeredAt.toString(), id);
    }

    @Test
    void aircallCallRetriedAndReorderedEndsAsOneInboundCallOnTheContact() {
        String ended = aircall("call.ended", 7001, 1795947309L, 1795947430);
        post("aircall", "application/json", ended, Map.of());
        post("aircall", "application/json", aircall("call.created", 7001, null, 1795947300), Map.of());
        post("aircall", "application/json", ended, Map.of());          // Aircall retries: at-least-once

        h.awaitSynced("aircall:7001");
        Map<String, Object> call = h.onlyCall("aircall:7001");
        assertThat(call.get("Call_Type")).isEqualTo("Inbound");
        assertThat(AppHarness.id(call.get("Who_Id"))).isEqualTo(patLee);
        assertThat(call.get("Call_Duration")).isEqualTo("01:56");     // talk time: ended_at - answered_at
        assertThat(call.get("Voice_Recording__s")).isEqualTo("https://assets.aircall.io/calls/7001/recording");
        assertThat((String) call.get("Description")).contains("Asked about invoice 4411");
    }

    @Test
    void aircallUnansweredCallIsAMissedCall() {
        post("aircall", "application/json", aircall("call.ended", 7002, null, 1795947430), Map.of());
        h.awaitSynced("aircall:7002");
        assertThat(h.onlyCall("aircall:7002").get("Call_Type")).isEqualTo("Missed");
    }

    static String twilioSignature(Map<String, String> params) {
        try {
            List<String> names = new ArrayList<>(params.keySet());
            Collections.sort(names);
            StringBuilder data = new StringBuilder(BASE_URL + "/api/v1/webhooks/twilio");
            names.forEach(n -> data.append(n).append(params.get(n)));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(TWILIO_TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void twilio(String sid, String parent, String direction, String status, int seq, String time, String from, String to, Integer duration) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
        p.put("CallSid", sid);
        if (parent != null) {
            p.put("ParentCallSid", parent);
        }
        p.put("Direction", direction);
        p.put("CallStatus", status);
        p.put("SequenceNumber", String.valueOf(seq));
        p.put("Timestamp", time);
        p.put("From", from);
        p.put("To", to);
        p.put("CallbackSource", "call-progress-events");
        if (duration != null) {
            p.put("CallDuration", String.valueOf(duration));
        }
        String form = p.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        post("twilio", "application/x-www-form-urlencoded", form, Map.of("X-Twilio-Signature", twilioSignature(p)));
    }

    @Test
    void twilioInboundCallAnsweredOnTheDialedLegBecomesOneLeadWithOneInboundCall() {
        String parent = "CA9a000000000000000000000000000001";
        String child = "CA9a000000000000000000000000000002";
        String customer = "+14155550166";
        String ours = "+14155550100";
        // out of order, and the completed parent delivered twice
        twilio(child, parent, "outbound-dial", "completed", 2, "Tue, 24 Nov 2026 10:17:05 +0000", ours, "client:dana", 116);
        twilio(parent, null, "inbound", "ringing", 0, "Tue, 24 Nov 2026 10:15:00 +0000", customer, ours, null);
        twilio(parent, null, "inbound", "completed", 2, "Tue, 24 Nov 2026 10:17:06 +0000", customer, ours, 126);
        twilio(child, parent, "outbound-dial", "in-progress", 1, "Tue, 24 Nov 2026 10:15:09 +0000", ours, "client:dana", null);
        twilio(parent, null, "inbound", "completed", 2, "Tue, 24 Nov 2026 10:17:06 +0000", customer, ours, 126);

        String callId = "twilio:" + parent;
        h.awaitSynced(callId);
        Map<String, Object> call = h.onlyCall(callId);
        assertThat(call.get("Call_Type")).isEqualTo("Inbound");
        assertThat(call.get("$se_module")).isEqualTo("Leads");
        assertThat(call.get("Caller_ID")).isEqualTo(customer);
        assertThat(h.sandbox().records("Leads")).filteredOn(l -> customer.equals(l.get("Phone"))).hasSize(1);
    }

    static void ringCentral(String json) {
        post("ringcentral", "application/json", json, Map.of("Verification-Token", RINGCENTRAL_TOKEN));
    }

    static String ringCentralNotification(String session, int sequence, String eventTime, String direction, String code,
                                          boolean missed, String from, String to) {
        return """
                {"uuid":"%s-%d","event":"/restapi/v1.0/account/~/telephony/sessions","timestamp":"%s",
                 "body":{"sequence":%d,"telephonySessionId":"%s","eventTime":"%s",
                  "parties":[{"extensionId":"400145221008","id":"p-%s","direction":"%s","missedCall":%s,
                   "from":{"phoneNumber":"%s"},"to":{"phoneNumber":"%s","name":"Sam Ito"},"status":{"code":"%s"}}]}}"""
                .formatted(session, sequence, eventTime, sequence, session, eventTime, session, direction, missed, from, to, code);
    }

    static String ringCentralSample(String name) {
        try (var in = ProviderToZohoTest.class.getResourceAsStream("/providers/ringcentral/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void ringCentralCallLogRecordsAndSessionNotificationsOfTheSameCallsMakeOneRightCallEach() {
        // RingCentral's list sample (docs/voice/call-log/details.md): an inbound call of 194 s, an outbound one of 55 s
        String inbound = "ringcentral:s-a0d178729c49dz1876d9b9d11z19269ec0000";
        String outbound = "ringcentral:s-b3d178769c49dz1876d9b9d11z19289ec0000";
        String session = inbound.substring("ringcentral:".length());
        ringCentral(ringCentralNotification(session, 1, "2023-04-10T23:58:47.700Z", "Inbound", "Proceeding", false, "+14155555908", "+15625555778"));
        ringCentral(ringCentralNotification(session, 2, "2023-04-10T23:58:55.000Z", "Inbound", "Answered", false, "+14155555908", "+15625555778"));
        ringCentral(ringCentralNotification(session, 3, "2023-04-11T00:02:02.000Z", "Inbound", "Disconnected", false, "+14155555908", "+15625555778"));
        h.awaitSynced(inbound);
        assertThat(h.onlyCall(inbound).get("Call_Duration")).as("the session alone: answer to hang-up").isEqualTo("03:07");

        // the records come later (the log is written after the call): the record's duration is the Call's. The call
        // is synced already, so wait for the sync *after* the records (awaitSynced could return between their merge
        // and the Call's update: seen as "03:07" on a loaded machine)
        Object sessionSynced = h.row(inbound).get("synced_at");
        ringCentral(ringCentralSample("call-log-list.json"));
        h.awaitSyncedAgain(inbound, sessionSynced);
        Map<String, Object> first = h.onlyCall(inbound);
        assertThat(first.get("Call_Type")).isEqualTo("Inbound");
        assertThat(first.get("Call_Duration")).isEqualTo("03:14");
        assertThat(first.get("Voice_Recording__s")).isEqualTo("https://media.ringcentral.com/restapi/..snip../recording/1662272004/content");

        // a record alone is a whole Call; a later notification that our party missed it, timed 0.4 s after the
        // record's end (whole seconds), does not undo the record's answer
        Object recordSynced = h.awaitSynced(outbound).get("synced_at");
        assertThat(h.onlyCall(outbound).get("Call_Type")).isEqualTo("Outbound");
        ringCentral(ringCentralNotification(outbound.substring("ringcentral:".length()), 9, "2023-04-11T07:27:30.400Z",
                "Outbound", "Disconnected", true, "+16505556100", "+14155555908"));
        h.awaitSyncedAgain(outbound, recordSynced);
        Map<String, Object> second = h.onlyCall(outbound);
        assertThat(second.get("Call_Type")).isEqualTo("Outbound");
        assertThat(second.get("Call_Duration")).isEqualTo("00:55");
    }
}
