package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.ProviderSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 3CX ReportCall bodies as admins write their templates (keys in snake_case, camelCase, PascalCase, short and long,
 * local day-first times, hh:mm:ss or seconds, keys mapped in scc.3cx.keys), synced to the sandbox; a body naming the
 * Zoho record is logged on it with one read and no search.
 */
class ThreeCxTemplateTest {

    static AppHarness h;
    static ProviderSender send;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_sync_3cx_template").providers().setting("scc.aircall.token", "aircall-3cx-template-token-0123456789")
                .setting("scc.3cx.keys", "number=Anrufer_Nummer, startLocal=Beginn, agent=Nebenstelle").start();
        send = h.providerSender();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String report(String query, String json) {
        HttpResponse<String> r = send.post("3cx", query, "application/json", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try {
            return new ObjectMapper().readTree(r.body()).get("events").get(0).get("callId").asText();
        } catch (Exception e) {
            throw new AssertionError(r.body(), e);
        }
    }

    @Test
    void snakeCaseKeysWithADayFirstLocalTimeAndSeconds() {
        String callId = report("region=DE&tz=Europe/Berlin", """
                {"call_type":"Inbound","phone_number":"0171 2345678","caller_name":"Jonas Weber","agent_extension":"101",
                 "duration_seconds":"187","date_time":"24.11.2026 10:15:30"}""");
        h.awaitSynced(callId);
        Map<String, Object> call = h.onlyCall(callId);
        assertThat(call.get("Call_Type")).isEqualTo("Inbound");
        assertThat(call.get("Caller_ID")).isEqualTo("+491712345678");
        assertThat(call.get("Call_Duration")).isEqualTo("03:07");
        // 10:15:30 in Berlin (UTC+1 in November)
        assertThat((String) call.get("Call_Start_Time")).isEqualTo("2026-11-24T10:15:30+01:00");
    }

    @Test
    void camelCaseKeysWithAMonthFirstTwelveHourTimeAndHhMmSs() {
        String callId = report("region=US&tz=America/New_York", """
                {"callType":"Outbound","customerNumber":"(415) 555-0188","agentExt":"102","callDuration":"00:02:05",
                 "callStartTimeLocal":"11/24/2026 2:05:00 PM","summary":"Quote sent"}""");
        h.awaitSynced(callId);
        Map<String, Object> call = h.onlyCall(callId);
        assertThat(call.get("Call_Type")).isEqualTo("Outbound");
        assertThat(call.get("Dialled_Number")).isEqualTo("+14155550188");
        assertThat(call.get("Call_Duration")).isEqualTo("02:05");
        assertThat((String) call.get("Call_Start_Time")).startsWith("2026-11-24T14:05:00-05:00");
        assertThat((String) call.get("Description")).contains("Quote sent");
    }

    @Test
    void keysTheAdminMappedAndADirectionInsteadOfACallType() {
        String callId = report("region=DE&tz=Europe/Berlin", """
                {"Richtung":"ignored","CallDirection":"Inbound","Anrufer_Nummer":"+49 30 1234567","Nebenstelle":"103",
                 "Beginn":"2026-11-24 16:00","Duration":"0"}""");
        h.awaitSynced(callId);
        Map<String, Object> call = h.onlyCall(callId);
        // no call type, inbound and nobody talked: a missed call
        assertThat(call.get("Call_Type")).isEqualTo("Missed");
        assertThat(call.get("Caller_ID")).isEqualTo("+49301234567");
        assertThat((String) call.get("Call_Start_Time")).isEqualTo("2026-11-24T16:00:00+01:00");
    }

    @Test
    void aBodyNamingTheZohoRecordIsLoggedOnItWithoutASearch() {
        // the stored number differs from the caller's: only the named id can lead to this Contact
        String contact = h.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Named", "Phone", "+14155550999"));
        long searches = searches();
        String callId = report("region=US", """
                {"CallType":"Inbound","Number":"+14155550177","Agent":"101","Duration":"00:01:00",
                 "CallStartTimeUTC":"2026-11-24T18:00:00Z","EntityType":"Contacts","EntityId":"%s"}""".formatted(contact));
        Map<String, Object> row = h.awaitSynced(callId);
        assertThat(row.get("zoho_module")).isEqualTo("Contacts");
        assertThat(row.get("zoho_record_id")).isEqualTo(contact);
        assertThat(AppHarness.id(h.onlyCall(callId).get("Who_Id"))).isEqualTo(contact);
        assertThat(searches()).isEqualTo(searches);
        assertThat(h.sandbox().count("GET", "/crm/v8/Contacts/" + contact)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aNamedRecordZohoDoesNotHaveFallsBackToMatchingByNumber() {
        String lead = h.sandbox().seedRecord("Leads", Map.of("Last_Name", "ByNumber", "Company", "Acme", "Phone", "+14155550166"));
        String callId = report("region=US", """
                {"CallType":"Inbound","Number":"+14155550166","Agent":"101","Duration":"30",
                 "CallStartTimeUTC":"2026-11-24T19:00:00Z","EntityType":"Lead","EntityId":"5725767000000999999"}""");
        Map<String, Object> row = h.awaitSynced(callId);
        assertThat(row.get("zoho_module")).isEqualTo("Leads");
        assertThat(row.get("zoho_record_id")).isEqualTo(lead);
    }

    @Test
    void anUnfilledTemplateVariableCountsAsEmptyAndAnUnknownCallTypeIs400() {
        HttpResponse<String> bad = send.post("3cx", null, "application/json", """
                {"CallType":"Sideways","Number":"+14155550155","CallStartTimeUTC":"2026-11-24T20:00:00Z"}""");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("calltype").contains("Inbound, Outbound, Missed or Notanswered");
        String callId = report(null, """
                {"CallType":"Missed","Number":"+14155550155","Agent":"[Agent]","Name":"[Name]","Duration":"[Duration]",
                 "CallStartTimeUTC":"2026-11-24T20:00:00Z"}""");
        h.awaitSynced(callId);
        assertThat(h.onlyCall(callId).get("Call_Type")).isEqualTo("Missed");
    }

    static long searches() {
        return List.of("Leads", "Contacts").stream().mapToLong(m -> h.sandbox().count("GET", "/crm/v8/" + m + "/search")).sum();
    }
}
