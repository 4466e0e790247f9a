package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(MatchRules.phoneForms("+14155550134")).containsExactly("+14155550134", "4155550134", "(415) 555-0134", "415-555-0134");
        assertThat(MatchRules.criteria("Leads", "pat@example.com", "+14155550134")).isEqualTo(
                "((Email:equals:pat@example.com)or(Secondary_Email:equals:pat@example.com)"
                        + "or(Phone:in:+14155550134,4155550134,\\(415\\) 555-0134,415-555-0134)"
                        + "or(Mobile:in:+14155550134,4155550134,\\(415\\) 555-0134,415-555-0134))");
        assertThat(MatchRules.criteria("Contacts", null, "+14155550134")).contains("Home_Phone:in:", "Other_Phone:in:");
        assertThat(MatchRules.criteria("Contacts", "a@b.c", null)).isEqualTo("((Email:equals:a@b.c)or(Secondary_Email:equals:a@b.c))");
    }
}
