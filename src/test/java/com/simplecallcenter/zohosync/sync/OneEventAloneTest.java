package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.ProviderSender;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Senders configured to send only some events, and lost events: the one terminal event of a call, arriving alone,
 * gives a right Call (never "Missed, 00:00" for a call that lasted minutes), and the agent's leg, arriving before or
 * after, corrects the same Call.
 */
class OneEventAloneTest {

    static AppHarness h;
    static ProviderSender send;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_sync_one_event").providers().setting("scc.aircall.token", "aircall-one-event-token-0123456789").start();
        send = h.providerSender();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static void twilio(Map<String, String> params) {
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = send.post("twilio", null, "application/x-www-form-urlencoded", form);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** A status callback as Twilio sends it when only "completed" is subscribed (the default). */
    static Map<String, String> twilioLeg(String sid, String parent, String direction, String status, String time, String from, String to,
                                         Integer duration) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", sid);
        if (parent != null) {
            p.put("ParentCallSid", parent);
        }
        p.put("CallStatus", status);
        p.put("Direction", direction);
        p.put("From", from);
        p.put("To", to);
        p.put("Timestamp", time);
        p.put("CallbackSource", "call-progress-events");
        p.put("SequenceNumber", "0");
        if (duration != null) {
            p.put("CallDuration", String.valueOf(duration));
            p.put("Duration", String.valueOf((duration + 59) / 60));
        }
        return p;
    }

    static void vonage(String json) {
        HttpResponse<String> r = send.post("vonage", null, "application/json", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void twilioParentCompletedAloneIsAnAnsweredInboundCallOfItsDuration() {
        twilio(twilioLeg("CAa1000000000000000000000000000001", null, "inbound", "completed",
                "Tue, 24 Nov 2026 10:19:00 +0000", "+14155550101", "+14155550100", 240));
        String callId = "twilio:CAa1000000000000000000000000000001";
        h.awaitSynced(callId);
        Map<String, Object> call = h.onlyCall(callId);
        assertThat(call.get("Call_Type")).isEqualTo("Inbound");
        assertThat(call.get("Call_Duration")).isEqualTo("04:00");
        assertThat(call.get("Caller_ID")).isEqualTo("+14155550101");
        assertThat((String) call.get("Call_Start_Time")).startsWith("2026-11-24T10:15:00");
    }

    @Test
    void twilioChildLegThatNobodyAnsweredCorrectsTheParentsCall() {
        String parent = "CAa1000000000000000000000000000002";
        twilio(twilioLeg(parent, null, "inbound", "completed", "Tue, 24 Nov 2026 11:00:40 +0000", "+14155550102", "+14155550100", 40));
        String callId = "twilio:" + parent;
        h.awaitSynced(callId);
        assertThat(h.onlyCall(callId).get("Call_Type")).isEqualTo("Inbound");
        // the <Dial> leg to the agent reports late: nobody answered
        twilio(twilioLeg("CAa1000000000000000000000000000003", parent, "outbound-dial", "no-answer",
                "Tue, 24 Nov 2026 11:00:30 +0000", "+14155550102", "client:dana", 0));
        Wait.until(() -> h.onlyCall(callId).get("Call_Type"), "Missed"::equals);
        assertThat(h.onlyCall(callId).get("Caller_ID")).isEqualTo("+14155550102");
    }

    @Test
    void twilioDialActionBeforeTheParentDecidesTalkTime() {
        String parent = "CAa1000000000000000000000000000004";
        Map<String, String> action = twilioLeg(parent, null, "inbound", "in-progress", "Tue, 24 Nov 2026 12:05:00 +0000",
                "+14155550104", "+14155550100", null);
        action.remove("CallbackSource");
        action.remove("SequenceNumber");
        action.put("DialCallStatus", "completed");
        action.put("DialCallSid", "CAa1000000000000000000000000000005");
        action.put("DialCallDuration", "95");
        twilio(action);
        twilio(twilioLeg(parent, null, "inbound", "completed", "Tue, 24 Nov 2026 12:05:01 +0000", "+14155550104", "+14155550100", 130));
        String callId = "twilio:" + parent;
        Wait.until(() -> h.calls(callId).isEmpty() ? null : h.onlyCall(callId).get("Call_Duration"), "01:35"::equals);
        assertThat(h.onlyCall(callId).get("Call_Type")).isEqualTo("Inbound");
    }

    static String vonageEvent(String leg, String conversation, String status, String direction, String from, String to, String at,
                              String extra) {
        return ("{\"from\":\"%s\",\"to\":\"%s\",\"uuid\":\"%s\",\"conversation_uuid\":\"%s\",\"status\":\"%s\",\"direction\":\"%s\","
                + "\"timestamp\":\"%s\"%s}").formatted(from, to, leg, conversation, status, direction, at, extra);
    }

    @Test
    void vonageInboundCompletedAloneIsAnsweredWithItsDuration() {
        String con = "CON-a1000000-0000-4000-8000-000000000001";
        vonage(vonageEvent("aaaa0000-0000-4000-8000-000000000001", con, "completed", "inbound", "447700900001", "447700900000",
                "2026-11-24T13:04:00.000Z", ",\"start_time\":\"2026-11-24T13:00:00.000Z\",\"end_time\":\"2026-11-24T13:04:00.000Z\","
                        + "\"duration\":\"240\",\"rate\":\"0.00450000\",\"price\":\"0.01800000\",\"network\":\"23410\""));
        String callId = "vonage:" + con;
        h.awaitSynced(callId);
        Map<String, Object> call = h.onlyCall(callId);
        assertThat(call.get("Call_Type")).isEqualTo("Inbound");
        assertThat(call.get("Call_Duration")).isEqualTo("04:00");
        assertThat(call.get("Caller_ID")).isEqualTo("+447700900001");
    }

    @Test
    void vonageOutboundCompletedAloneGivesItsNumbers() {
        String con = "CON-a1000000-0000-4000-8000-000000000002";
        vonage(vonageEvent("aaaa0000-0000-4000-8000-000000000002", con, "completed", "outbound", "447700900000", "447700900002",
                "2026-11-24T13:11:01.000Z", ",\"start_time\":\"2026-11-24T13:10:00.000Z\",\"end_time\":\"2026-11-24T13:11:01.000Z\","
                        + "\"duration\":\"61\""));
        String callId = "vonage:" + con;
        h.awaitSynced(callId);
        Map<String, Object> call = h.onlyCall(callId);
        assertThat(call.get("Call_Type")).isEqualTo("Outbound");
        assertThat(call.get("Call_Duration")).isEqualTo("01:01");
        assertThat(call.get("Dialled_Number")).isEqualTo("+447700900002");
    }

    @Test
    void vonageAgentLegThatTimedOutMakesTheInboundCallMissedWithTheCustomersNumber() {
        String con = "CON-a1000000-0000-4000-8000-000000000003";
        vonage(vonageEvent("aaaa0000-0000-4000-8000-000000000003", con, "started", "inbound", "447700900003", "447700900000",
                "2026-11-24T14:00:00.000Z", ""));
        // the agent leg's numbers are ours and the agent's: they must not replace the customer's
        vonage(vonageEvent("aaaa0000-0000-4000-8000-000000000004", con, "timeout", "outbound", "447700900000", "447700900999",
                "2026-11-24T14:00:30.000Z", ""));
        vonage(vonageEvent("aaaa0000-0000-4000-8000-000000000003", con, "completed", "inbound", "447700900003", "447700900000",
                "2026-11-24T14:00:45.000Z", ",\"start_time\":\"2026-11-24T14:00:00.000Z\",\"end_time\":\"2026-11-24T14:00:45.000Z\","
                        + "\"duration\":\"45\""));
        String callId = "vonage:" + con;
        h.awaitSynced(callId);
        Map<String, Object> call = h.onlyCall(callId);
        assertThat(call.get("Call_Type")).isEqualTo("Missed");
        assertThat(call.get("Caller_ID")).isEqualTo("+447700900003");
        assertThat(h.sandbox().records("Leads")).noneMatch(l -> "+447700900999".equals(l.get("Phone")));
    }

    @Test
    void ringCentralDisconnectedAloneIsNotAMissedCall() {
        String body = """
                {"uuid":"5f7f1f3e-0000-4000-8000-00000000a001","event":"/restapi/v1.0/account/37439510/telephony/sessions",
                 "timestamp":"2026-11-24T15:03:00.000Z","subscriptionId":"a1b2c3d4-0000-4000-8000-000000000001",
                 "ownerId":"37439510",
                 "body":{"sequence":9,"sessionId":"4503992004","telephonySessionId":"s-a1000000000000000001",
                  "serverId":"10.13.123.29.TAM","eventTime":"2026-11-24T15:03:00.000Z","origin":{"type":"Call"},
                  "parties":[{"accountId":"37439510","extensionId":"63449511","id":"p-a1-1","direction":"Inbound",
                   "to":{"phoneNumber":"+14155550100","name":"Dana Ruiz","extensionId":"63449511"},
                   "from":{"phoneNumber":"+14155550105","name":"WIRELESS CALLER"},
                   "status":{"code":"Disconnected","rcc":false},"missedCall":false,"standAlone":false,"muted":false}]}}""";
        HttpResponse<String> r = send.post("ringcentral", null, "application/json", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String callId = "ringcentral:s-a1000000000000000001";
        h.awaitSynced(callId);
        assertThat(h.onlyCall(callId).get("Call_Type")).isEqualTo("Inbound");
        assertThat(h.onlyCall(callId).get("Caller_ID")).isEqualTo("+14155550105");
    }

    @Test
    void nulCharactersAreAcceptedAndNeverReachZoho() {
        String json = CanonicalEvent.ended("odd-nul").from("+14155550106").status("answered").durationSeconds(60)
                .members("\"notes\":\"before\\u0000after\"," + "\"caller\":{\"firstName\":\"Ro\\u0000sa\",\"lastName\":\"Nu\\u0000ll\"},\"tags\":[\"vip\\u0000\"]").json();
        HttpResponse<String> r = h.postEvent(json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        h.awaitSynced("odd-nul");
        Map<String, Object> call = h.onlyCall("odd-nul");
        assertThat((String) call.get("Description")).contains("beforeafter").doesNotContain("\u0000");
        assertThat(h.sandbox().records("Leads")).filteredOn(l -> "+14155550106".equals(l.get("Phone")))
                .singleElement().satisfies(l -> assertThat(l.get("Last_Name")).isEqualTo("Null"));
        // the raw body is kept as received, NUL escape and all
        byte[] raw = h.db().queryForObject("SELECT b.body FROM call_event e JOIN raw_body b ON b.id = e.raw_body_id WHERE e.call_id = 'odd-nul'", byte[].class);
        assertThat(new String(raw, StandardCharsets.UTF_8)).contains("before\\u0000after");
    }

    @Test
    void notesLongerThanZohosDescriptionAreKeptWholeAndWrittenCutWithAMarker() {
        String notes = "x".repeat(200_000);
        String json = CanonicalEvent.ended("odd-long-notes").from("+14155550107").status("answered").durationSeconds(60)
                .members("\"notes\":\"" + notes + "\"").json();
        HttpResponse<String> r = h.postEvent(json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        h.awaitSynced("odd-long-notes");
        String description = (String) h.onlyCall("odd-long-notes").get("Description");
        assertThat(description).hasSizeLessThanOrEqualTo(32_000).endsWith("more characters]").contains("… [truncated: 1");
        String stored = h.db().queryForObject("SELECT event->>'notes' FROM call_event WHERE call_id = 'odd-long-notes'", String.class);
        assertThat(stored).hasSize(200_000);
    }

    @Test
    void namesLongerThanZohosFieldsNeverMakeTheCallDead() {
        String json = CanonicalEvent.ended("odd-long-names").from("+14155550108").status("answered").durationSeconds(60)
                .members("\"caller\":{\"firstName\":\"" + "F".repeat(300)
                        + "\",\"lastName\":\"" + "L".repeat(300) + "\",\"company\":\"" + "C".repeat(600) + "\"},"
                        + "\"agent\":{\"name\":\"" + "A".repeat(400) + "\"}").json();
        HttpResponse<String> r = h.postEvent(json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        h.awaitSynced("odd-long-names");
        List<Map<String, Object>> leads = h.sandbox().records("Leads").stream()
                .filter(l -> "+14155550108".equals(l.get("Phone"))).toList();
        assertThat(leads).singleElement().satisfies(l -> {
            assertThat((String) l.get("Last_Name")).hasSize(80).endsWith("…");
            assertThat((String) l.get("First_Name")).hasSize(40);
            assertThat((String) l.get("Company")).hasSize(200);
        });
        assertThat((String) h.onlyCall("odd-long-names").get("Subject")).hasSizeLessThanOrEqualTo(255);
    }
}
