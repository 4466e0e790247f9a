package com.simplecallcenter.zohosync.providers;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a 3CX template's keys, durations and local times are read. */
class ThreeCxKeysTest {

    static Map<String, String> body(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(ThreeCxKeys.norm(kv[i]), kv[i + 1]);
        }
        return m;
    }

    @Test
    void oneFieldUnderEverySpelling() {
        ThreeCxKeys k = ThreeCxKeys.defaults();
        for (String key : new String[] {"CallType", "call_type", "callType", "call-type", "CALLTYPE"}) {
            assertThat(k.get(body(key, "Inbound"), "callType")).as(key).isEqualTo("Inbound");
        }
        assertThat(k.get(body("Agent_Extension", "101"), "agent")).isEqualTo("101");
        assertThat(k.get(body("CallStartTimeUTC", "x"), "startUtc")).isEqualTo("x");
        assertThat(k.get(body("CallStartTimeUTC", "x"), "startLocal")).isNull();
        assertThat(k.get(body("DateTime", "y"), "startLocal")).isEqualTo("y");
        // the more specific key wins when a body has two
        assertThat(k.get(body("Queue", "800", "QueueExtension", "801"), "queue")).isEqualTo("801");
    }

    @Test
    void theAdminsKeysComeFirstAndBelongToTheirFieldOnly() {
        ThreeCxKeys k = ThreeCxKeys.parse(" number = Phone_Other , agent=Number");
        Map<String, String> b = body("Phone_Other", "+14155550100", "Number", "101", "Phone", "+14155550199");
        assertThat(k.get(b, "number")).isEqualTo("+14155550100");
        assertThat(k.get(b, "agent")).isEqualTo("101");
        // "number" was given to agent: the number field no longer reads it
        assertThat(k.get(body("Number", "101"), "number")).isNull();
    }

    @Test
    void aBadMappingNamesWhatIsWrong() {
        assertThatThrownBy(() -> ThreeCxKeys.parse("nummer=X")).hasMessageContaining("unknown field 'nummer'");
        assertThatThrownBy(() -> ThreeCxKeys.parse("number=")).hasMessageContaining("needs a key");
        assertThat(ThreeCxKeys.parse("NUMBER=x").get(body("x", "1"), "number")).isEqualTo("1");
    }

    @Test
    void durations() {
        assertThat(ThreeCxAdapter.duration("187")).isEqualTo(187);
        assertThat(ThreeCxAdapter.duration("00:03:07")).isEqualTo(187);
        assertThat(ThreeCxAdapter.duration("3:07")).isEqualTo(187);
        assertThat(ThreeCxAdapter.duration("1.00:00:05")).isEqualTo(86405);
        assertThat(ThreeCxAdapter.duration("00:03:07.4410000")).isEqualTo(187);
        assertThat(ThreeCxAdapter.duration("186.6")).isEqualTo(187);
        assertThatThrownBy(() -> ThreeCxAdapter.duration("3 min")).hasMessageContaining("hh:mm:ss");
    }

    @Test
    void localTimesAsPbxLocalesPrintThem() {
        ZoneId vienna = ZoneId.of("Europe/Vienna");
        assertThat(Times.localIn("06.12.2023 10:15", vienna, "AT", "t")).hasToString("2023-12-06T10:15+01:00");
        assertThat(Times.localIn("6.12.2023 10:15:09", vienna, "US", "t")).hasToString("2023-12-06T10:15:09+01:00");
        // slashes: month first in the US, day first elsewhere, unless a number above 12 says which is which
        assertThat(Times.localIn("12/6/2023 10:15:00 AM", ZoneOffset.UTC, "US", "t")).hasToString("2023-12-06T10:15Z");
        assertThat(Times.localIn("12/6/2023 10:15:00 PM", ZoneOffset.UTC, "GB", "t")).hasToString("2023-06-12T22:15Z");
        assertThat(Times.localIn("24/11/2026 12:00:00 AM", ZoneOffset.UTC, "US", "t")).hasToString("2026-11-24T00:00Z");
        assertThat(Times.localIn("2026-11-24 16:00", ZoneOffset.UTC, null, "t")).hasToString("2026-11-24T16:00Z");
        assertThat(Times.localIn("2026-11-24T16:00:00+02:00", vienna, null, "t")).hasToString("2026-11-24T16:00+02:00");
        assertThatThrownBy(() -> Times.localIn("31.02.2026 10:00", vienna, "AT", "when")).hasMessageContaining("when");
        assertThatThrownBy(() -> Times.localIn("13:00 PM 1/1/2026", vienna, "AT", "when")).hasMessageContaining("date-time");
    }

    @Test
    void everyKeyOfTheShippedTemplateIsOneWeRead() throws Exception {
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(java.nio.file.Path.of("docs/3cx-template.xml").toFile());
        var values = doc.getElementsByTagName("PostValues").item(0).getChildNodes();
        ThreeCxKeys k = ThreeCxKeys.defaults();
        int keys = 0;
        for (int i = 0; i < values.getLength(); i++) {
            if (values.item(i) instanceof org.w3c.dom.Element e) {
                String key = e.getAttribute("Key");
                Map<String, String> b = body(key, "v");
                assertThat(ThreeCxKeys.fields().stream().anyMatch(f -> "v".equals(k.get(b, f)))).as(key).isTrue();
                keys++;
            }
        }
        assertThat(keys).isGreaterThanOrEqualTo(19);
    }
}
