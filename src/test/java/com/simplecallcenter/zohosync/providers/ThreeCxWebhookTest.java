package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.ProviderSender;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** 3CX CRM-template ReportCall journaling: X-Api-Key, CallType, derived call id, local times and national numbers. */
class ThreeCxWebhookTest {

    static final AppHarness app = AppHarness.sharedProviderApp();

    static final Map<String, String> KEY = Map.of("X-Api-Key", ProviderSender.THREECX_KEY);

    static String report(String callType, String number, String agent, String start, String established, String end, String duration) {
        return """
                {"CallType":"%s","CallDirection":"%s","Number":"%s","Name":"Pat Lee","EntityId":"5725767000000523001","EntityType":"Contacts",
                 "Agent":"%s","AgentEmail":"","AgentFirstName":"Dana","AgentLastName":"Ruiz","QueueExtension":"800","Duration":"%s",
                 "CallStartTimeUTC":"%s","CallEstablishedTimeUTC":"%s","CallEndTimeUTC":"%s",
                 "RecordingUrl":"https://pbx.example:5001/recordings/abc.wav","Summary":"Customer asked for a callback"}"""
                .formatted(callType, callType.startsWith("In") || callType.equals("Missed") ? "Inbound" : "Outbound", number, agent, duration,
                        start, established, end);
    }

    @Test
    void anAnsweredInboundReportWithANationalNumberAndItsReplay() {
        String body = report("Inbound", "0207 946 0018", "101", "2026-11-24T10:15:00Z", "2026-11-24T10:15:09Z", "2026-11-24T10:17:05Z", "00:01:56");
        HttpResponse<String> r = app.webhookJson("3cx", "region=GB", body, KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String callId = AppHarness.json(r.body()).get("events").get(0).get("callId").asText();
        assertThat(callId).matches("3cx:[0-9a-f]{32}");
        JsonNode e = app.storedEvents(callId).get(0);
        assertThat(e.get("direction").asText()).isEqualTo("inbound");
        assertThat(e.get("status").asText()).isEqualTo("answered");
        assertThat(e.get("from").asText()).isEqualTo("+442079460018");
        assertThat(e.get("durationSeconds").asInt()).isEqualTo(116);
        assertThat(e.get("answeredAt").asText()).isEqualTo("2026-11-24T10:15:09Z");
        assertThat(e.get("agent").get("email").asText()).isEqualTo("dana@acme.example");
        assertThat(e.get("caller").get("lastName").asText()).isEqualTo("Lee");
        assertThat(e.get("notes").asText()).isEqualTo("Customer asked for a callback");
        assertThat(e.get("links").get("recording").asText()).startsWith("https://pbx.example");

        // the same report again, even with the number written differently, is the same call and event
        String again = body.replace("0207 946 0018", "+44 20 7946 0018");
        HttpResponse<String> dup = app.webhookJson("3cx", "region=GB", again, KEY);
        assertThat(AppHarness.json(dup.body()).get("events").get(0).get("callId").asText()).isEqualTo(callId);
        assertThat(AppHarness.json(dup.body()).get("duplicate").asInt()).isEqualTo(1);
        assertThat(app.countStoredEventsOfCall(callId)).isEqualTo(1);
    }

    @Test
    void missedAndNotAnsweredOutboundWithLocalTimeInTheUrlZone() {
        String missed = """
                {"CallType":"Missed","Number":"(415) 555-0177","Agent":"102","Duration":"00:00:00","CallStartTimeLocal":"2026-11-24 02:15:00"}""";
        HttpResponse<String> r = app.webhookJson("3cx", "tz=America/Los_Angeles", missed, KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode m = app.storedEvents(AppHarness.json(r.body()).get("events").get(0).get("callId").asText()).get(0);
        assertThat(m.get("status").asText()).isEqualTo("missed");
        assertThat(m.get("direction").asText()).isEqualTo("inbound");
        assertThat(m.get("from").asText()).isEqualTo("+14155550177");
        assertThat(m.get("startedAt").asText()).isEqualTo("2026-11-24T02:15:00-08:00");
        assertThat(m.has("answeredAt")).isFalse();
        assertThat(m.get("agent").get("email").asText()).isEqualTo("sam@acme.example");

        String form = "CallType=Notanswered&Number=%2B14155550190&Agent=101&Duration=00%3A00%3A00&CallStartTimeUTC=2026-11-24T12%3A00%3A00Z";
        HttpResponse<String> f = app.webhook("3cx", null, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8), KEY);
        assertThat(f.statusCode()).as(f.body()).isEqualTo(200);
        JsonNode o = app.storedEvents(AppHarness.json(f.body()).get("events").get(0).get("callId").asText()).get(0);
        assertThat(o.get("direction").asText()).isEqualTo("outbound");
        assertThat(o.get("status").asText()).isEqualTo("no-answer");
        assertThat(o.get("to").asText()).isEqualTo("+14155550190");
    }

    @Test
    void aWrongKeyIs401AndAReportWithoutCallTypeIs400() {
        String body = report("Outbound", "+14155550191", "101", "2026-11-24T13:00:00Z", "2026-11-24T13:00:05Z", "2026-11-24T13:01:00Z", "00:00:55");
        assertThat(app.webhookJson("3cx", null, body, Map.of()).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = app.webhookJson("3cx", null, body, Map.of("X-Api-Key", "nope"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(ProviderSender.THREECX_KEY);
        HttpResponse<String> bad = app.webhookJson("3cx", null, "{\"Number\":\"+14155550191\"}", KEY);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(AppHarness.json(bad.body()).get("errors").get(0).get("field").asText()).isEqualTo("CallType");
    }
}
