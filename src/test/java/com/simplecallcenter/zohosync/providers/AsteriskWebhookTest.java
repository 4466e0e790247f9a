package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.ProviderSender;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** FreePBX CDR rows posted by a bridge with a Standard Webhooks signature; PBX time zone and region per URL. */
class AsteriskWebhookTest {

    static final AppHarness app = AppHarness.sharedProviderApp();

    static Map<String, String> signed(String body, String id) {
        long ts = System.currentTimeMillis() / 1000;
        return Map.of("webhook-id", id, "webhook-timestamp", String.valueOf(ts),
                "webhook-signature", StandardWebhookVerifier.signature(ProviderSender.ASTERISK_SECRET, id, ts, body.getBytes(StandardCharsets.UTF_8)));
    }

    static HttpResponse<String> post(String query, String body) {
        return app.webhookJson("asterisk", query, body, signed(body, "msg_" + System.nanoTime()));
    }

    static String row(String calldate, String src, String dst, String dcontext, String channel, String dstchannel, String lastapp,
                      int duration, int billsec, String disposition, String uniqueid, String linkedid, int sequence, String did, String extra) {
        return ("{\"calldate\":\"%s\",\"clid\":\"\\\"CALLER\\\" <%s>\",\"src\":\"%s\",\"dst\":\"%s\",\"dcontext\":\"%s\",\"channel\":\"%s\","
                + "\"dstchannel\":\"%s\",\"lastapp\":\"%s\",\"lastdata\":\"PJSIP/101,,tr\",\"duration\":%d,\"billsec\":%d,\"disposition\":\"%s\","
                + "\"amaflags\":3,\"accountcode\":\"\",\"uniqueid\":\"%s\",\"userfield\":\"\",\"did\":\"%s\",\"recordingfile\":\"\","
                + "\"cnum\":\"%s\",\"cnam\":\"CALLER\",\"outbound_cnum\":\"\",\"outbound_cnam\":\"\",\"dst_cnam\":\"Dana Ruiz\","
                + "\"linkedid\":\"%s\",\"peeraccount\":\"\",\"sequence\":%d%s}")
                .formatted(calldate, src, src, dst, dcontext, channel, dstchannel, lastapp, duration, billsec, disposition, uniqueid, did,
                        src, linkedid, sequence, extra);
    }

    @Test
    void anInboundRingGroupCallAnsweredByExtension101InBerlinTime() {
        String linked = "1764000000.101";
        String body = "[" + row("2026-11-24 11:15:00", "030 901820", "600", "ext-group", "PJSIP/trunk-telekom-00000011", "PJSIP/102-00000012",
                "Dial", 9, 0, "NO ANSWER", "1764000000.102", linked, 11, "+4930123456", "") + ","
                + row("2026-11-24 11:15:00", "030 901820", "600", "ext-group", "PJSIP/trunk-telekom-00000011", "PJSIP/101-00000013",
                "Dial", 125, 116, "ANSWERED", "1764000000.103", linked, 12, "+4930123456",
                ",\"recordingfile\":\"https://pbx.example/recordings/in-4930123456-030901820-20261124-111500-1764000000.101.wav\"") + "]";
        HttpResponse<String> r = post("region=DE&tz=Europe/Berlin", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode e = app.storedEvents("asterisk:" + linked).get(0);
        assertThat(e.get("direction").asText()).isEqualTo("inbound");
        assertThat(e.get("status").asText()).isEqualTo("answered");
        assertThat(e.get("from").asText()).as("national number read in region DE").isEqualTo("+4930901820");
        assertThat(e.get("to").asText()).isEqualTo("+4930123456");
        assertThat(e.get("startedAt").asText()).as("calldate in Berlin time, with its offset").isEqualTo("2026-11-24T11:15:00+01:00");
        assertThat(e.get("answeredAt").asText()).isEqualTo("2026-11-24T11:15:09+01:00");
        assertThat(e.get("endedAt").asText()).isEqualTo("2026-11-24T11:17:05+01:00");
        assertThat(e.get("durationSeconds").asInt()).isEqualTo(116);
        assertThat(e.get("agent").get("id").asText()).isEqualTo("ag_dana");
        assertThat(e.get("agent").get("email").asText()).isEqualTo("dana@acme.example");
        assertThat(e.get("links").get("recording").asText()).startsWith("https://pbx.example/recordings/");

        // the bridge retries the same rows (a new webhook-id): same event, stored once
        HttpResponse<String> again = post("region=DE&tz=Europe/Berlin", body);
        assertThat(AppHarness.json(again.body()).get("duplicate").asInt()).isEqualTo(1);
        assertThat(app.countStoredEventsOfCall("asterisk:" + linked)).isEqualTo(1);
    }

    @Test
    void missedInboundVoicemailAndAnOutboundCallInTheDefaultZone() {
        String missed = row("2026-11-24 09:00:00", "4155550177", "101", "from-trunk", "PJSIP/trunk-00000021", "PJSIP/101-00000022",
                "Dial", 20, 0, "NO ANSWER", "1764001000.1", "1764001000.1", 1, "", "");
        assertThat(post(null, missed).statusCode()).isEqualTo(200);
        JsonNode m = app.storedEvents("asterisk:1764001000.1").get(0);
        assertThat(m.get("status").asText()).isEqualTo("missed");
        assertThat(m.get("from").asText()).isEqualTo("+14155550177");
        assertThat(m.get("startedAt").asText()).isEqualTo("2026-11-24T09:00:00Z");
        assertThat(m.get("durationSeconds").asInt()).isZero();

        String vm = row("2026-11-24 09:05:00", "4155550178", "vmu101", "from-trunk", "PJSIP/trunk-00000023", "",
                "VoiceMail", 40, 35, "ANSWERED", "1764001100.1", "1764001100.1", 1, "", "");
        post(null, vm);
        assertThat(app.storedEvents("asterisk:1764001100.1").get(0).get("status").asText()).isEqualTo("voicemail");

        String out = row("2026-11-24 09:10:00", "102", "00442079460018", "from-internal", "PJSIP/102-00000031", "PJSIP/trunk-00000032",
                "Dial", 70, 61, "ANSWERED", "1764001200.1", "1764001200.1", 1, "", ",\"outbound_cnum\":\"+14155550100\"");
        post(null, out);
        JsonNode o = app.storedEvents("asterisk:1764001200.1").get(0);
        assertThat(o.get("direction").asText()).isEqualTo("outbound");
        assertThat(o.get("status").asText()).isEqualTo("answered");
        assertThat(o.get("from").asText()).isEqualTo("+14155550100");
        assertThat(o.get("to").asText()).isEqualTo("+442079460018");
        assertThat(o.get("agent").get("email").asText()).isEqualTo("sam@acme.example");

        String busy = row("2026-11-24 09:20:00", "101", "4155550190", "from-internal", "PJSIP/101-00000041", "PJSIP/trunk-00000042",
                "Dial", 5, 0, "BUSY", "1764001300.1", "1764001300.1", 1, "", "");
        post(null, busy);
        assertThat(app.storedEvents("asterisk:1764001300.1").get(0).get("status").asText()).isEqualTo("busy");

        String internal = row("2026-11-24 09:30:00", "101", "102", "from-internal", "PJSIP/101-00000051", "PJSIP/102-00000052",
                "Dial", 30, 25, "ANSWERED", "1764001400.1", "1764001400.1", 1, "", "");
        assertThat(AppHarness.json(post(null, internal).body()).get("events").size()).as("extension to extension is no CRM call").isZero();
    }

    @Test
    void aBadSignatureBadRegionOrZoneOrABrokenRowIsRefusedAndNothingIsHalfStored() {
        String ok = row("2026-11-24 10:00:00", "4155550155", "101", "from-trunk", "PJSIP/trunk-1", "PJSIP/101-2", "Dial", 10, 5, "ANSWERED",
                "1764002000.1", "1764002000.1", 1, "", "");
        HttpResponse<String> wrong = app.webhookJson("asterisk", null, ok, signed(ok.replace("4155550155", "4155550156"), "msg_x"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(post("region=XX", ok).statusCode()).isEqualTo(400);
        HttpResponse<String> badTz = post("tz=Mars/Olympus", ok);
        assertThat(badTz.statusCode()).isEqualTo(400);
        assertThat(AppHarness.json(badTz.body()).get("errors").get(0).get("field").asText()).isEqualTo("tz");
        // the second row has no calldate: the whole request is refused, the first row is not stored either
        String broken = "[" + ok + ",{\"uniqueid\":\"1764002001.1\",\"disposition\":\"ANSWERED\"}]";
        HttpResponse<String> r = post(null, broken);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(AppHarness.json(r.body()).get("errors").get(0).get("field").asText()).isEqualTo("[1].calldate");
        assertThat(app.countStoredEventsOfCall("asterisk:1764002000.1")).isZero();
    }
}
