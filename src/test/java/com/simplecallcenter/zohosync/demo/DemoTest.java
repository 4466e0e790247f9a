package com.simplecallcenter.zohosync.demo;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command: the demo must keep landing its calls on the right records. */
class DemoTest {

    @Test
    void demoCallsLandOnTheRightRecordsOnceEach() throws Exception {
        Demo demo = new Demo(Map.of("scc.http.port", String.valueOf(AppHarness.freePort()), "scc.db.schema", "t_demo",
                "scc.db.url", TestDatabase.URL, "scc.db.user", TestDatabase.USER));
        try {
            demo.run();
            List<Map<String, Object>> calls = demo.sandbox().records("Calls");
            assertThat(calls).hasSize(demo.calls().size());
            for (String callId : demo.calls()) {
                assertThat(calls.stream().filter(c -> callId.equals(c.get("SCC_Call_ID"))).count()).as(callId).isEqualTo(1);
            }
            Map<String, Object> first = byCallId(calls, demo.calls().get(0));
            assertThat(first.get("Call_Type")).isEqualTo("Inbound");
            assertThat(first.get("Call_Duration")).isEqualTo("01:56");
            assertThat(((Map<?, ?>) first.get("Who_Id")).get("name").toString()).contains("Lee");
            Map<String, Object> missed = byCallId(calls, demo.calls().get(2));
            assertThat(missed.get("Call_Type")).isEqualTo("Missed");
            assertThat(missed.get("$se_module")).isEqualTo("Leads");
            assertThat(demo.sandbox().records("Leads")).anyMatch(l -> "Blake".equals(l.get("Last_Name")));
            assertThat(demo.sandbox().records("Tasks")).hasSize(1);
        } finally {
            demo.stop();
        }
    }

    private static Map<String, Object> byCallId(List<Map<String, Object>> calls, String callId) {
        return calls.stream().filter(c -> callId.equals(c.get("SCC_Call_ID"))).findFirst().orElseThrow();
    }
}
