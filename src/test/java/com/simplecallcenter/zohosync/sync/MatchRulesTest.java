package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.SccConfiguration;
import com.simplecallcenter.zohosync.config.SettingsException;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MatchRulesTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private ObjectNode rec(String json) throws Exception {
        return (ObjectNode) mapper.readTree(json);
    }

    @Test
    void phonesInOtherFormatsAreConfirmedAndContainsIsNot() throws Exception {
        assertThat(MatchRules.phoneMatches(rec("{\"Phone\":\"(415) 555-0134\"}"), "+14155550134", "US")).isTrue();
        assertThat(MatchRules.phoneMatches(rec("{\"Mobile\":\"+1 415-555-0134\"}"), "+14155550134", "US")).isTrue();
        assertThat(MatchRules.phoneMatches(rec("{\"Other_Phone\":\"001 415 555 0134\"}"), "+14155550134", "US")).isTrue();
        // what Zoho's "equals" (= contains) would return, but is another number
        assertThat(MatchRules.phoneMatches(rec("{\"Phone\":\"+1 415 555 01345\"}"), "+14155550134", "US")).isFalse();
    }

    @Test
    void everyPhoneFieldIsConfirmedWhateverItsPunctuationOrNationalForm() throws Exception {
        assertThat(MatchRules.phoneMatches(rec("{\"Phone\":\"415.555.0134\"}"), "+14155550134", "US")).isTrue();
        assertThat(MatchRules.phoneMatches(rec("{\"Home_Phone\":\"+1 (415) 555-0134 ext. 12\"}"), "+14155550134", "US")).isTrue();
        // a UK number kept in its national form, in a US org
        assertThat(MatchRules.phoneMatches(rec("{\"Phone\":\"+14155550100\",\"Other_Phone\":\"07911 123456\"}"),
                "+447911123456", "US")).isTrue();
        assertThat(MatchRules.phoneMatches(rec("{\"Mobile\":\"07911 123456\"}"), "+447911123457", "US")).isFalse();
    }

    @Test
    void extensionsAndShortCodesAreNoCustomerNumberBelowTheConfiguredDigits() throws Exception {
        PersonMatcher byDefault = matcher(SyncFixtures.settings());
        assertThat(byDefault.customerPhone(inboundFrom("2045"))).isNull();
        assertThat(byDefault.customerPhone(inboundFrom("123456"))).isNull();
        assertThat(byDefault.customerPhone(inboundFrom("+14155550199"))).isEqualTo("+14155550199");
        PersonMatcher four = matcher(SyncFixtures.settings("scc.match.min-phone-digits", "4"));
        assertThat(four.customerPhone(inboundFrom("2045"))).isEqualTo("2045");
        assertThat(four.customerPhone(inboundFrom("204"))).isNull();
        assertThatThrownBy(() -> SyncFixtures.settings("scc.match.min-phone-digits", "16"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_MATCH_MIN_PHONE_DIGITS");
    }

    private static PersonMatcher matcher(SyncSettings settings) {
        return new PersonMatcher(null, settings, null, null, null, null);
    }

    private CallState inboundFrom(String number) throws Exception {
        ObjectMapper m = SccConfiguration.objectMapper();
        String json = CanonicalEvent.event("e1", "call-1", "call.ended").occurredAt("2026-11-24T10:17:05Z").direction("inbound")
                .from(number).to("+14155550100").status("answered").json();
        return new CallStateMerger(m).merge(List.of(new CallStateMerger.StoredEvent(1, m.readValue(json, CallEvent.class))));
    }

    @Test
    void emailsAreComparedLowerCasedAndWhole() throws Exception {
        assertThat(MatchRules.emailMatches(rec("{\"Email\":\"Pat.Lee@Example.com\"}"), "pat.lee@example.com")).isTrue();
        assertThat(MatchRules.emailMatches(rec("{\"Email\":\"xpat.lee@example.com\"}"), "pat.lee@example.com")).isFalse();
    }

    @Test
    void theMostRecentlyModifiedWinsAndTheOthersAreNoted() throws Exception {
        var older = rec("{\"id\":\"1\",\"Modified_Time\":\"2025-01-01T10:00:00+01:00\"}");
        var newer = rec("{\"id\":\"2\",\"Modified_Time\":\"2025-06-01T10:00:00+02:00\"}");
        var m = MatchRules.choose("Contacts", List.of(older, newer), "phone").orElseThrow();
        assertThat(m.id()).isEqualTo("2");
        assertThat(m.ambiguity()).contains("2 Contacts matched by phone", "over 1");
        assertThat(MatchRules.choose("Leads", List.of(older), "email").orElseThrow().ambiguity()).isNull();
    }

    @Test
    void oneCriteriaAsksForTheEmailAndEveryFormOfTheNumber() {
        assertThat(MatchRules.phoneForms("+14155550134")).containsExactly("+14155550134", "4155550134", "(415) 555-0134",
                "415-555-0134", "415 555 0134", "415.555.0134", "(415)555-0134");
        // a foreign number: also its national form (07911 123456), found inside 07911-123456 and +44 (0)7911 123456 too
        assertThat(MatchRules.phoneForms("+447911123456")).containsExactly("+447911123456", "7911123456", "07911 123456",
                "7911-123456", "7911 123456", "7911.123456", "07911123456");
        String forms = "+14155550134,4155550134,\\(415\\) 555-0134,415-555-0134,415 555 0134,415.555.0134,\\(415\\)555-0134";
        assertThat(MatchRules.criteria("Leads", "pat@example.com", "+14155550134")).isEqualTo(
                "((Email:equals:pat@example.com)or(Secondary_Email:equals:pat@example.com)"
                        + "or(Phone:in:" + forms + ")or(Mobile:in:" + forms + "))");
        assertThat(MatchRules.criteria("Contacts", null, "+14155550134")).contains("Home_Phone:in:", "Other_Phone:in:");
        assertThat(MatchRules.criteria("Contacts", "a@b.c", null)).isEqualTo("((Email:equals:a@b.c)or(Secondary_Email:equals:a@b.c))");
    }
}
