package com.simplecallcenter.zohosync.providers;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.ProviderSender;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What is kept of a provider's request (issue 13, findings 2 and 3): its raw body once, and never a webhook secret. */
class StoredBodiesTest {

    static final AppHarness app = AppHarness.sharedProviderApp();

    @Test
    void anAsteriskBatchOfManyCallsStoresItsRawBodyOnceForAllItsEvents() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "1764900000." + i;
            rows.add(AsteriskWebhookTest.row("2026-11-24 10:00:00", "41555501" + (10 + i), "101", "from-trunk", "PJSIP/trunk-" + i,
                    "PJSIP/101-" + i, "Dial", 30, 20, "ANSWERED", id, id, 1, "", ""));
        }
        String body = "[" + String.join(",", rows) + "]";
        HttpResponse<String> r = AsteriskWebhookTest.post(null, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(AppHarness.JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(20);

        List<Long> bodies = app.db().queryForList("""
                select distinct raw_body_id from call_event where call_id like 'asterisk:1764900000.%'""", Long.class);
        assertThat(bodies).as("one raw body referenced by all 20 events").hasSize(1).doesNotContainNull();
        assertThat(app.db().queryForObject("""
                select count(*) from call_event where call_id like 'asterisk:1764900000.%' and raw_body is not null""", Integer.class))
                .as("no inline copy per event").isZero();
        byte[] stored = app.db().queryForObject("select body from raw_body where id = ?", byte[].class, bodies.get(0));
        assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo(body);

        // the bridge's retry stores nothing: no second body either
        long before = app.db().queryForObject("select count(*) from raw_body", Long.class);
        assertThat(AppHarness.JSON.readTree(AsteriskWebhookTest.post(null, body).body()).get("duplicate").asInt()).isEqualTo(20);
        assertThat(app.db().queryForObject("select count(*) from raw_body", Long.class)).isEqualTo(before);
    }

    @Test
    void aircallsBodyTokenIsNotStoredWithTheEvent() {
        String json = AircallWebhookTest.payload("call.ended", 9101, "inbound", 1795947309L, 1795947455, ProviderSender.AIRCALL_TOKEN, "");
        HttpResponse<String> r = app.webhookJson("aircall", null, json, Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> stored = app.db().queryForList("""
                select convert_from(coalesce(b.body, e.raw_body), 'UTF8') from call_event e left join raw_body b on b.id = e.raw_body_id
                where e.call_id = 'aircall:9101'""", String.class);
        assertThat(stored).isNotEmpty().allSatisfy(body -> assertThat(body)
                .doesNotContain(ProviderSender.AIRCALL_TOKEN).doesNotContain("\"token\"")
                .contains("\"raw_digits\":\"+1 415-555-0134\""));
        assertThat(app.db().queryForList("select event::text from call_event where call_id = 'aircall:9101'", String.class))
                .allSatisfy(e -> assertThat(e).doesNotContain(ProviderSender.AIRCALL_TOKEN));
    }
}
