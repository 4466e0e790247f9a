package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each match path (numbers as people type them in the CRM, internal extensions), linking, allowed-field updates and
 * the Call's fields, against the sandbox over HTTP.
 */
class SyncMatchTest {

    static AppHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_sync_match").start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void byEmailToAContactWithWhoIdAndEmptyPhoneFilled() {
        String contact = h.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Lee", "Email", "Pat.Lee@Example.com"));
        h.post(CanonicalEvent.ended("m-email").from("+1 415 555 0101").status("answered").durationSeconds(116)
                .members("\"caller\":{\"email\":\"pat.lee@example.com\"},\"notes\":\"Invoice 4411\""));
        Map<String, Object> row = h.awaitSynced("m-email");

        assertThat(row.get("zoho_module")).isEqualTo("Contacts");
        assertThat(row.get("zoho_record_id")).isEqualTo(contact);
        Map<String, Object> call = h.onlyCall("m-email");
        assertThat(AppHarness.id(call.get("Who_Id"))).isEqualTo(contact);
        assertThat(call.get("What_Id")).isNull();
        assertThat(call.get("Call_Type")).isEqualTo("Inbound");
        assertThat(call.get("Call_Duration")).isEqualTo("01:56");
        assertThat(call.get("Caller_ID")).isEqualTo("+14155550101");
        assertThat((String) call.get("Description")).contains("Invoice 4411");
        assertThat(row.get("zoho_call_id")).isEqualTo(call.get("id"));
        // the empty Phone is filled (allowed by default), the email is not touched
        Map<String, Object> c = h.sandbox().record("Contacts", contact);
        assertThat(c.get("Phone")).isEqualTo("+14155550101");
        assertThat(c.get("Email")).isEqualTo("Pat.Lee@Example.com");
    }

    @Test
    void byPhoneInOtherFormatsAndNothingIsOverwritten() {
        String lead = h.sandbox().seedRecord("Leads", Map.of("Last_Name", "Formatted", "Company", "Acme", "Phone", "(415) 555-0134",
                "Email", "old@example.com"));
        String contact = h.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Intl", "Mobile", "+1 415-555-0135"));
        h.post(CanonicalEvent.ended("m-phone-1").from("+14155550134").status("answered").durationSeconds(5)
                .members("\"caller\":{\"email\":\"new@example.com\"}"));
        h.post(CanonicalEvent.ended("m-phone-2").direction("outbound").from("+14155550100").to("4155550135").status("answered")
                .durationSeconds(5));

        assertThat(h.awaitSynced("m-phone-1").get("zoho_record_id")).isEqualTo(lead);
        assertThat(h.awaitSynced("m-phone-2").get("zoho_record_id")).isEqualTo(contact);
        Map<String, Object> leadCall = h.onlyCall("m-phone-1");
        assertThat(AppHarness.id(leadCall.get("What_Id"))).isEqualTo(lead);
        assertThat(leadCall.get("$se_module")).isEqualTo("Leads");
        assertThat(leadCall.get("Who_Id")).isNull();
        Map<String, Object> contactCall = h.onlyCall("m-phone-2");
        assertThat(AppHarness.id(contactCall.get("Who_Id"))).isEqualTo(contact);
        assertThat(contactCall.get("Call_Type")).isEqualTo("Outbound");
        assertThat(contactCall.get("Dialled_Number")).isEqualTo("+14155550135");
        // Email is only filled when empty: the lead keeps its own; the contact's number is already held (Mobile): no Phone added
        assertThat(h.sandbox().record("Leads", lead).get("Email")).isEqualTo("old@example.com");
        assertThat(h.sandbox().record("Leads", lead).get("Phone")).isEqualTo("(415) 555-0134");
        assertThat(h.sandbox().record("Contacts", contact).get("Phone")).isNull();
        assertThat(h.sandbox().count("PUT", "/crm/v8/Leads")).isZero();
        assertThat(h.sandbox().count("PUT", "/crm/v8/Contacts")).isZero();
    }

    @Test
    void numbersTypedWithDotsSpacesOrAnExtensionInAnyPhoneFieldLandOnTheContact() {
        int leads = h.sandbox().records("Leads").size();
        String dots = h.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Dots", "Phone", "415.555.0166"));
        String ext = h.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Ext", "Mobile", "+1 415 555 0167 ext. 12"));
        String tight = h.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Tight", "Home_Phone", "(415)555-0168"));
        h.post(CanonicalEvent.ended("m-dots").from("+14155550166").status("answered").durationSeconds(7));
        h.post(CanonicalEvent.ended("m-ext").direction("outbound").from("+14155550100").to("+14155550167").status("answered")
                .durationSeconds(7));
        h.post(CanonicalEvent.ended("m-tight").from("+14155550168").status("answered").durationSeconds(7));

        assertThat(h.awaitSynced("m-dots").get("zoho_record_id")).isEqualTo(dots);
        assertThat(h.awaitSynced("m-ext").get("zoho_record_id")).isEqualTo(ext);
        assertThat(h.awaitSynced("m-tight").get("zoho_record_id")).isEqualTo(tight);
        assertThat(AppHarness.id(h.onlyCall("m-dots").get("Who_Id"))).isEqualTo(dots);
        assertThat(h.sandbox().records("Leads")).hasSize(leads);
        // the number is already held in its own spelling: nothing is added or rewritten
        assertThat(h.sandbox().record("Contacts", dots).get("Phone")).isEqualTo("415.555.0166");
        assertThat(h.sandbox().record("Contacts", ext).get("Phone")).isNull();
    }

    @Test
    void aForeignNumberStoredInItsNationalFormLandsOnTheContact() {
        // the org's default region is US (the default); the Contact's UK mobile is typed the British way
        int leads = h.sandbox().records("Leads").size();
        String uk = h.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Brit", "Other_Phone", "07911 123456"));
        h.post(CanonicalEvent.ended("m-uk").from("+447911123456").status("answered").durationSeconds(12));

        Map<String, Object> row = h.awaitSynced("m-uk");
        assertThat(row.get("zoho_module")).isEqualTo("Contacts");
        assertThat(row.get("zoho_record_id")).isEqualTo(uk);
        assertThat(AppHarness.id(h.onlyCall("m-uk").get("Who_Id"))).isEqualTo(uk);
        assertThat(h.sandbox().records("Leads")).hasSize(leads);
        assertThat(h.sandbox().record("Contacts", uk).get("Phone")).isNull();
    }

    @Test
    void anInternalExtensionMatchesNoOneAndCreatesNothingButAnEmailStillMatches() {
        int leads = h.sandbox().records("Leads").size();
        int contacts = h.sandbox().records("Contacts").size();
        h.post(CanonicalEvent.ended("m-ext-2045").from("2045").status("answered").durationSeconds(40));
        Map<String, Object> row = h.awaitSynced("m-ext-2045");
        assertThat(row.get("zoho_record_id")).isNull();
        Map<String, Object> call = h.onlyCall("m-ext-2045");
        assertThat(call.get("Who_Id")).isNull();
        assertThat(call.get("What_Id")).isNull();
        assertThat(h.sandbox().records("Leads")).hasSize(leads);
        assertThat(h.sandbox().records("Contacts")).hasSize(contacts);

        // with the caller's email the extension's call is matched by that email, and the number is not searched for
        String colleague = h.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Desk", "Email", "desk.2046@example.com"));
        h.post(CanonicalEvent.ended("m-ext-2046").from("2046").status("answered").durationSeconds(40)
                .members("\"caller\":{\"email\":\"desk.2046@example.com\"}"));
        assertThat(h.awaitSynced("m-ext-2046").get("zoho_record_id")).isEqualTo(colleague);
        List<String> criteria = h.sandbox().journal().stream().filter(e -> e.path().endsWith("/search"))
                .flatMap(e -> Stream.of(e.query().split("&"))).filter(p -> p.startsWith("criteria="))
                .map(p -> URLDecoder.decode(p.substring("criteria=".length()), StandardCharsets.UTF_8))
                .filter(c -> c.contains("desk.2046")).toList();
        assertThat(criteria).isNotEmpty().noneMatch(c -> c.contains("Phone") || c.contains("2046)"));
        assertThat(h.sandbox().record("Contacts", colleague).get("Phone")).isNull();
    }

    @Test
    void aContainsHitIsNotAMatchAndNoMatchCreatesALead() {
        // Zoho's equals is contains: this record comes back for +14155550199's national digits, but is another number
        h.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Longer", "Phone", "41555501990"));
        h.post(CanonicalEvent.ended("m-none").from("+14155550199").status("answered").durationSeconds(30)
                .members("\"caller\":{\"firstName\":\"Sam\",\"company\":\"Sam & Co\"}"));
        Map<String, Object> row = h.awaitSynced("m-none");
        assertThat(row.get("zoho_module")).isEqualTo("Leads");
        Map<String, Object> lead = h.sandbox().record("Leads", (String) row.get("zoho_record_id"));
        assertThat(lead.get("Phone")).isEqualTo("+14155550199");
        assertThat(lead.get("First_Name")).isEqualTo("Sam");
        assertThat(lead.get("Last_Name")).isEqualTo("Unknown caller +14155550199");
        assertThat(lead.get("Company")).isEqualTo("Sam & Co");
        assertThat(lead.get("Lead_Source")).isEqualTo("Phone call");
        assertThat(AppHarness.id(h.onlyCall("m-none").get("What_Id"))).isEqualTo(lead.get("id"));

        // the next call of that number hits the match cache: no search, no second lead
        long searches = h.sandbox().count("GET", "/crm/v8/Leads/search") + h.sandbox().count("GET", "/crm/v8/Contacts/search");
        h.post(CanonicalEvent.ended("m-none-again").from("+14155550199").status("answered").durationSeconds(3));
        assertThat(h.awaitSynced("m-none-again").get("zoho_record_id")).isEqualTo(lead.get("id"));
        assertThat(h.sandbox().count("GET", "/crm/v8/Leads/search") + h.sandbox().count("GET", "/crm/v8/Contacts/search")).isEqualTo(searches);
        assertThat(h.sandbox().records("Leads").stream().filter(l -> "+14155550199".equals(l.get("Phone")))).hasSize(1);
    }

    @Test
    void ambiguousMatchesPreferTheContactThenTheMostRecentlyModifiedAndAreRecorded() {
        h.sandbox().seedRecord("Leads", Map.of("Last_Name", "AsLead", "Company", "X", "Phone", "+14155550177"));
        String older = h.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Older", "Phone", "415-555-0177",
                "Modified_Time", "2025-01-01T10:00:00+00:00"));
        String newer = h.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Newer", "Other_Phone", "+1 (415) 555-0177",
                "Modified_Time", "2025-06-01T10:00:00+00:00"));
        h.post(CanonicalEvent.ended("m-ambiguous").from("+14155550177").status("answered").durationSeconds(3));
        Map<String, Object> row = h.awaitSynced("m-ambiguous");
        assertThat(row.get("zoho_module")).isEqualTo("Contacts");
        assertThat(row.get("zoho_record_id")).isEqualTo(newer);
        assertThat((String) row.get("ambiguity")).contains("2 Contacts", older);
        assertThat(h.admin("GET", "/api/v1/calls/m-ambiguous", null).body()).contains("\"ambiguity\":\"2 Contacts");
    }

    @Test
    void missedInboundAndUnansweredOutbound() {
        h.post(CanonicalEvent.ended("m-missed").from("+14155550150").status("missed"));
        h.post(CanonicalEvent.ended("m-noanswer").direction("outbound").from("+14155550100").to("+14155550151").status("no-answer"));
        h.awaitSynced("m-missed");
        h.awaitSynced("m-noanswer");
        assertThat(h.onlyCall("m-missed").get("Call_Type")).isEqualTo("Missed");
        assertThat(h.onlyCall("m-missed").get("Call_Duration")).isEqualTo("00:00");
        assertThat(h.onlyCall("m-noanswer").get("Call_Type")).isEqualTo("Missed");
    }

    @Test
    void anonymousCallerIsLoggedUnlinkedAndNothingIsCreated() {
        int leads = h.sandbox().records("Leads").size();
        h.post(CanonicalEvent.ended("m-anon").from("anonymous").status("answered").durationSeconds(9));
        Map<String, Object> row = h.awaitSynced("m-anon");
        assertThat(row.get("zoho_record_id")).isNull();
        Map<String, Object> call = h.onlyCall("m-anon");
        assertThat(call.get("Who_Id")).isNull();
        assertThat(call.get("What_Id")).isNull();
        assertThat(h.sandbox().records("Leads")).hasSize(leads);
    }
}
