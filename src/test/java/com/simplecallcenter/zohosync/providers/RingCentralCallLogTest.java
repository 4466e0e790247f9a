package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.support.AppHarness;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RingCentral call-log records posted by a forwarder or poller, with RingCentral's own samples
 * ({@code src/test/resources/providers/ringcentral}, see the README there): one record, a list answer, the Detailed
 * view, results, agents, the token, and the record's place after the session notifications of its call.
 */
class RingCentralCallLogTest {

    static final AppHarness app = AppHarness.sharedProviderApp();

    static final Map<String, String> TOKEN = RingCentralWebhookTest.TOKEN;

    static String sample(String name) {
        try (InputStream in = RingCentralCallLogTest.class.getResourceAsStream("/providers/ringcentral/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode sampleRecord() {
        return (ObjectNode) AppHarness.json(sample("call-log-sample.json"));
    }

    /** The docs sample as another call: its own ids, with these fields replaced. */
    static ObjectNode variant(String id, Map<String, String> fields) {
        ObjectNode rec = sampleRecord();
        rec.put("id", id).put("sessionId", id).put("telephonySessionId", "s-" + id);
        fields.forEach(rec::put);
        return rec;
    }

    static HttpResponse<String> post(String json) {
        return app.webhookJson("ringcentral", null, json, TOKEN);
    }

    static JsonNode only(String callId) {
        List<JsonNode> events = app.storedEvents(callId);
        assertThat(events).as(callId).hasSize(1);
        return events.get(0);
    }

    @Test
    void theDocsSampleRecordIsOneAnsweredInboundCallAndARepostIsADuplicate() {
        HttpResponse<String> r = post(sample("call-log-sample.json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(AppHarness.json(r.body()).get("accepted").asInt()).isEqualTo(1);

        // no telephonySessionId in this sample: the call is its sessionId
        JsonNode e = only("ringcentral:session:13916417004");
        assertThat(e.get("eventId").asText()).startsWith("ringcentral:calllog:ASaxDDkSZ5s42MA:");
        assertThat(e.get("type").asText()).isEqualTo("call.ended");
        assertThat(e.get("status").asText()).isEqualTo("answered");
        assertThat(e.get("direction").asText()).isEqualTo("inbound");
        assertThat(e.get("from").asText()).isEqualTo("+14155555900");
        assertThat(e.get("to").asText()).isEqualTo("+15625555772");
        assertThat(OffsetDateTime.parse(e.get("startedAt").asText())).isEqualTo("2023-06-06T23:07:20Z");
        assertThat(OffsetDateTime.parse(e.get("endedAt").asText())).isEqualTo("2023-06-06T23:08:15Z");
        assertThat(e.get("durationSeconds").asInt()).isEqualTo(55);
        assertThat(OffsetDateTime.parse(e.get("occurredAt").asText())).as("the end plus the log's write delay")
                .isEqualTo("2023-06-06T23:08:45Z");
        assertThat(e.get("links").get("recording").asText())
                .isEqualTo("https://media.ringcentral.com/restapi/.../recording/1662272004/content");
        assertThat(e.has("agent")).as("nothing in the record names our extension").isFalse();

        HttpResponse<String> again = post(sample("call-log-sample.json"));
        assertThat(AppHarness.json(again.body()).get("duplicate").asInt()).isEqualTo(1);
        assertThat(app.countStoredEventsOfCall("ringcentral:session:13916417004")).isEqualTo(1);
    }

    @Test
    void theListAnswerStoresEveryRecordAndTheDetailedViewOfARecordAddsItsAgent() {
        HttpResponse<String> r = post(sample("call-log-list.json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(AppHarness.json(r.body()).get("events")).extracting(n -> n.get("callId").asText())
                .containsExactly("ringcentral:s-a0d178729c49dz1876d9b9d11z19269ec0000", "ringcentral:s-b3d178769c49dz1876d9b9d11z19289ec0000");

        JsonNode inbound = app.storedEvents("ringcentral:s-a0d178729c49dz1876d9b9d11z19269ec0000").stream()
                .filter(n -> n.get("eventId").asText().startsWith("ringcentral:calllog:")).findFirst().orElseThrow();
        assertThat(inbound.get("durationSeconds").asInt()).isEqualTo(194);
        // durationMs 194060 is more precise than duration 194
        assertThat(OffsetDateTime.parse(inbound.get("endedAt").asText())).isEqualTo("2023-04-11T00:02:01.654Z");
        assertThat(OffsetDateTime.parse(inbound.get("occurredAt").asText())).as("lastModifiedTime plus the write delay")
                .isEqualTo("2023-04-11T00:07:12.028Z");
        JsonNode outbound = app.storedEvents("ringcentral:s-b3d178769c49dz1876d9b9d11z19289ec0000").stream()
                .filter(n -> n.get("eventId").asText().startsWith("ringcentral:calllog:")).findFirst().orElseThrow();
        assertThat(outbound.get("direction").asText()).isEqualTo("outbound");
        assertThat(outbound.get("status").asText()).as("Call connected").isEqualTo("answered");
        assertThat(outbound.get("from").asText()).isEqualTo("+16505556100");
        assertThat(outbound.get("to").asText()).isEqualTo("+14155555908");
        assertThat(outbound.get("durationSeconds").asInt()).isEqualTo(55);

        // the same record, same lastModifiedTime, in the Detailed view: new content, so a new event (not a duplicate)
        HttpResponse<String> detailed = post(sample("call-log-record-detailed.json"));
        assertThat(AppHarness.json(detailed.body()).get("accepted").asInt()).isEqualTo(1);
        JsonNode withLegs = app.storedEvents("ringcentral:s-a0d178729c49dz1876d9b9d11z19269ec0000").stream()
                .filter(n -> n.has("agent")).findFirst().orElseThrow();
        assertThat(withLegs.get("agent").get("id").asText()).as("the accepting leg's extension").isEqualTo("ringcentral-ext:664573005");
        assertThat(withLegs.get("agent").get("name").asText()).isEqualTo("SDK Engineer Candidate");
    }

    @Test
    void aListIsStoredAllOrNothing() {
        ObjectNode sync = (ObjectNode) AppHarness.json(sample("call-log-sync-fsync.json"));
        ObjectNode broken = sync.deepCopy();
        ((ObjectNode) broken.get("records").get(2)).remove("startTime");
        HttpResponse<String> bad = post(broken.toString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("records[2].startTime");
        List<String> calls = List.of("ringcentral:calllog:IVWtSyis720zMEA", "ringcentral:calllog:IVWtTIvyZ8q9MGA",
                "ringcentral:calllog:IVWtT1J9WIXRMSQ");
        assertThat(calls).allSatisfy(c -> assertThat(app.countStoredEventsOfCall(c)).as(c).isZero());

        HttpResponse<String> ok = post(sync.toString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(AppHarness.json(ok.body()).get("accepted").asInt()).isEqualTo(3);
        // no sessionId nor telephonySessionId in the sync sample: each record is its own call
        JsonNode unknown = only("ringcentral:calllog:IVWtSyis720zMEA");
        assertThat(unknown.has("status")).as("result Unknown says nothing").isFalse();
        assertThat(unknown.get("durationSeconds").asInt()).isZero();
        assertThat(unknown.get("to").asText()).isEqualTo("+2055551234");
        JsonNode connected = only("ringcentral:calllog:IVWtTIvyZ8q9MGA");
        assertThat(connected.get("to").asText()).as("12055550010 without +, in the default region").isEqualTo("+12055550010");
        assertThat(connected.get("durationSeconds").asInt()).isEqualTo(22);
    }

    @Test
    void resultsBecomeStatusesAndFaxesOrDeletedRecordsAreSkipped() {
        Map<String, String> expected = Map.of(
                "Missed", "inbound/missed", "Voicemail", "inbound/voicemail", "Hang Up", "inbound/missed",
                "Busy", "outbound/busy", "No Answer", "outbound/no-answer", "Wrong Number", "outbound/failed",
                "Call connected", "outbound/answered");
        expected.forEach((result, outcome) -> {
            String direction = outcome.substring(0, outcome.indexOf('/'));
            String id = "res-" + result.replace(' ', '-');
            HttpResponse<String> r = post(variant(id, Map.of("result", result,
                    "direction", direction.equals("inbound") ? "Inbound" : "Outbound")).toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode e = only("ringcentral:s-" + id);
            assertThat(e.get("direction").asText() + "/" + e.get("status").asText()).as(result).isEqualTo(outcome);
            assertThat(e.get("durationSeconds").asInt()).as(result + ": talk time")
                    .isEqualTo(outcome.endsWith("answered") ? 55 : 0);
        });

        JsonNode running = only_(post(variant("res-running", Map.of("result", "In Progress")).toString()), "ringcentral:s-res-running");
        assertThat(running.get("type").asText()).isEqualTo("call.updated");
        assertThat(running.has("endedAt")).isFalse();
        assertThat(running.has("status")).isFalse();

        // Answered Elsewhere: the call was answered, but not by this extension (no agent, no duration)
        ObjectNode elsewhere = variant("res-elsewhere", Map.of("result", "Answered Elsewhere"));
        elsewhere.putObject("extension").put("id", "400145221008");
        JsonNode other = only_(post(elsewhere.toString()), "ringcentral:s-res-elsewhere");
        assertThat(other.get("status").asText()).isEqualTo("answered");
        assertThat(other.has("agent")).isFalse();
        assertThat(other.has("durationSeconds")).isFalse();

        ArrayNode skipped = AppHarness.JSON.createArrayNode();
        skipped.add(variant("res-fax", Map.of("type", "Fax", "result", "Received")));
        skipped.add(variant("res-deleted", Map.of()).put("deleted", true));
        HttpResponse<String> r = post(skipped.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(AppHarness.json(r.body()).get("events")).isEmpty();
        assertThat(app.countStoredEventsOfCall("ringcentral:s-res-fax") + app.countStoredEventsOfCall("ringcentral:s-res-deleted")).isZero();
    }

    static JsonNode only_(HttpResponse<String> r, String callId) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return only(callId);
    }

    @Test
    void theAgentComesFromTheRecordsExtensionOrOurExtensionNumber() {
        ObjectNode byId = variant("ag-id", Map.of());
        byId.putObject("extension").put("uri", "https://platform.ringcentral.com/restapi/v1.0/account/1/extension/400145221008")
                .put("id", 400145221008L);
        JsonNode sam = only_(post(byId.toString()), "ringcentral:s-ag-id");
        assertThat(sam.get("agent").get("email").asText()).isEqualTo("sam@acme.example");

        // an internal call from extension 102 to extension 101: digits kept, the agent is 101's (inbound)
        ObjectNode internal = variant("ag-number", Map.of());
        internal.putObject("from").put("extensionNumber", "102").put("name", "Sam Ito");
        internal.putObject("to").put("extensionNumber", "101").put("name", "Dana Ruiz");
        JsonNode dana = only_(post(internal.toString()), "ringcentral:s-ag-number");
        assertThat(dana.get("from").asText()).isEqualTo("102");
        assertThat(dana.get("to").asText()).isEqualTo("101");
        assertThat(dana.get("agent").get("id").asText()).isEqualTo("ag_dana");
        assertThat(dana.get("agent").get("email").asText()).isEqualTo("dana@acme.example");
    }

    @Test
    void theRecordComesAfterEverySessionNotificationOfItsCall() {
        String session = "s-b3d178769c49dz1876d9b9d11z19289ec0000";
        post(sample("call-log-list.json"));
        // a hang-up notification 0.4 s after the record's end (startTime + duration, whole seconds)
        String hangup = RingCentralWebhookTest.notification("u-cl-late", session, 9, "2023-04-11T07:27:30.400Z", "Outbound",
                "Disconnected", null, true, "+16505556100", "+14155555908", "400145221008");
        assertThat(post(hangup).statusCode()).isEqualTo(200);
        List<JsonNode> events = app.storedEvents("ringcentral:" + session);
        assertThat(events).hasSizeGreaterThanOrEqualTo(2);
        assertThat(events.get(events.size() - 1).get("eventId").asText()).startsWith("ringcentral:calllog:ASaoSC9FIMaOF24:");
    }

    @Test
    void aWrongOrMissingTokenIs401AndAnUnreadableRecordIs400() {
        String rec = variant("tok-1", Map.of()).toString();
        assertThat(app.webhookJson("ringcentral", null, rec, Map.of()).statusCode()).isEqualTo(401);
        assertThat(app.webhookJson("ringcentral", null, rec, Map.of("Verification-Token", "guess")).statusCode()).isEqualTo(401);
        assertThat(app.countStoredEventsOfCall("ringcentral:s-tok-1")).isZero();

        ObjectNode noId = variant("tok-2", Map.of());
        noId.remove("id");
        HttpResponse<String> r = post(noId.toString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(r.body()).contains("\"id\"");
        assertThat(post("{\"records\": {\"id\": \"x\"}}").statusCode()).isEqualTo(400);
        assertThat(post(variant("tok-3", Map.of("direction", "Sideways")).toString()).statusCode()).isEqualTo(400);
    }
}
