package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.SccConfiguration;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CallMapperTest {

    private final ObjectMapper mapper = SccConfiguration.objectMapper();

    private CallState state(String direction, String extra) throws Exception {
        String json = CanonicalEvent.event("e1", "call-1", "call.ended").occurredAt("2026-11-24T10:17:05+01:00").direction(direction)
                .from("+14155550134").to("+14155550100").members(extra).json();
        return new CallStateMerger(mapper).merge(List.of(new CallStateMerger.StoredEvent(1, mapper.readValue(json, CallEvent.class))));
    }

    @Test
    void answeredInboundCallToAContact() throws Exception {
        CallMapper m = new CallMapper(SyncFixtures.settings(), mapper);
        CallState s = state("inbound", "\"status\":\"answered\",\"startedAt\":\"2026-11-24T10:15:00+01:00\",\"durationSeconds\":116,"
                + "\"notes\":\"Invoice 4411\",\"tags\":[\"billing\"],\"links\":{\"recording\":\"https://rec/1\",\"transcript\":\"https://t/1\"}");
        ObjectNode call = m.toCall(s, new CallMapper.Link("Contacts", "111"), "900").orElseThrow();

        assertThat(call.get("Subject").asText()).isEqualTo("Inbound call from +14155550134 (answered)");
        assertThat(call.get("Call_Type").asText()).isEqualTo("Inbound");
        assertThat(call.get("Call_Start_Time").asText()).isEqualTo("2026-11-24T10:15:00+01:00");
        assertThat(call.get("Call_Duration").asText()).isEqualTo("01:56");
        assertThat(call.get("Who_Id").get("id").asText()).isEqualTo("111");
        assertThat(call.has("What_Id")).isFalse();
        assertThat(call.has("$se_module")).isFalse();
        assertThat(call.get("Owner").get("id").asText()).isEqualTo("900");
        assertThat(call.get("Caller_ID").asText()).isEqualTo("+14155550134");
        assertThat(call.get("Voice_Recording__s").asText()).isEqualTo("https://rec/1");
        assertThat(call.get("Description").asText()).contains("Invoice 4411", "Tags: billing", "Transcript: https://t/1");
        assertThat(call.get("SCC_Call_ID").asText()).isEqualTo("call-1");
    }

    @Test
    void descriptionFollowsItsTemplateAndLeavesOutEmptyLines() throws Exception {
        CallState s = state("inbound", "\"status\":\"answered\",\"durationSeconds\":116,\"notes\":\"Invoice 4411\","
                + "\"links\":{\"recording\":\"https://rec/1\"}");
        CallMapper custom = new CallMapper(SyncFixtures.settings("scc.zoho.call-description-template",
                "Call {callId} ({duration}, {status})\\nNotes: {notes}\\nTags: {tags}\\nListen: {recording}"), mapper);
        assertThat(custom.toCall(s, null, null).orElseThrow().get("Description").asText())
                .isEqualTo("Call call-1 (01:56, answered)\nNotes: Invoice 4411\nListen: https://rec/1");
        // the default keeps notes, tags, agent and link lines, each on its own line
        CallMapper standard = new CallMapper(SyncFixtures.settings(), mapper);
        assertThat(standard.toCall(s, null, null).orElseThrow().get("Description").asText())
                .isEqualTo("Invoice 4411\nRecording: https://rec/1");
    }

    @Test
    void anUnknownDescriptionPlaceholderIsASettingsError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SyncFixtures.settings("scc.zoho.call-description-template", "{nope}"))
                .isInstanceOf(com.simplecallcenter.zohosync.config.SettingsException.class)
                .hasMessageContaining("SCC_ZOHO_CALL_DESCRIPTION_TEMPLATE").hasMessageContaining("{nope}");
    }

    @Test
    void aLeadIsLinkedThroughWhatIdAndSeModule() throws Exception {
        CallMapper m = new CallMapper(SyncFixtures.settings("scc.zoho.call-id-field", "Ext_Call"), mapper);
        ObjectNode call = m.toCall(state("outbound", "\"status\":\"answered\",\"durationSeconds\":3700"),
                new CallMapper.Link("Leads", "222"), null).orElseThrow();
        assertThat(call.get("What_Id").get("id").asText()).isEqualTo("222");
        assertThat(call.get("$se_module").asText()).isEqualTo("Leads");
        assertThat(call.has("Who_Id")).isFalse();
        assertThat(call.has("Owner")).isFalse();
        assertThat(call.get("Call_Type").asText()).isEqualTo("Outbound");
        assertThat(call.get("Call_Duration").asText()).isEqualTo("01:01:40");
        assertThat(call.get("Dialled_Number").asText()).isEqualTo("+14155550100");
        assertThat(call.get("Ext_Call").asText()).isEqualTo("call-1");
        assertThat(call.get("Call_Start_Time").asText()).isEqualTo("2026-11-24T10:17:05+01:00");
    }

    @Test
    void missedInboundAndTheThreeChoicesForUnansweredOutbound() throws Exception {
        ObjectNode missed = new CallMapper(SyncFixtures.settings(), mapper)
                .toCall(state("inbound", "\"status\":\"voicemail\""), null, null).orElseThrow();
        assertThat(missed.get("Call_Type").asText()).isEqualTo("Missed");
        assertThat(missed.get("Call_Duration").asText()).isEqualTo("00:00");

        CallState noAnswer = state("outbound", "\"status\":\"no-answer\"");
        assertThat(new CallMapper(SyncFixtures.settings(), mapper).toCall(noAnswer, null, null).orElseThrow()
                .get("Call_Type").asText()).isEqualTo("Missed");
        ObjectNode min = new CallMapper(SyncFixtures.settings("scc.zoho.outbound-unanswered", "outbound-min-duration"), mapper)
                .toCall(noAnswer, null, null).orElseThrow();
        assertThat(min.get("Call_Type").asText()).isEqualTo("Outbound");
        assertThat(min.get("Call_Duration").asText()).isEqualTo("00:01");
        assertThat(new CallMapper(SyncFixtures.settings("scc.zoho.outbound-unanswered", "skip"), mapper).toCall(noAnswer, null, null))
                .isEmpty();
    }

    @Test
    void answeredCallsNeverHaveZeroDuration() throws Exception {
        ObjectNode call = new CallMapper(SyncFixtures.settings(), mapper)
                .toCall(state("inbound", "\"status\":\"answered\",\"durationSeconds\":0"), null, null).orElseThrow();
        assertThat(call.get("Call_Duration").asText()).isEqualTo("00:01");
    }

    @Test
    void subjectTemplate() throws Exception {
        CallMapper m = new CallMapper(SyncFixtures.settings("scc.zoho.call-subject-template", "{direction}: {number} by {agent} [{callId}]"), mapper);
        assertThat(m.subject(state("outbound", "\"agent\":{\"name\":\"Dana\"}"))).isEqualTo("outbound: +14155550100 by Dana [call-1]");
    }

    @Test
    void aTenantsTemplateIsRenderedInOnePassFromTheCallsValues() throws Exception {
        CallState s = state("outbound", "\"agent\":{\"name\":\"{callId} & <Dana>\"}");
        assertThat(CallMapper.subjectValues(s)).containsOnlyKeys(com.simplecallcenter.zohosync.config.SubjectTemplate.PLACEHOLDERS);
        // a value that looks like a placeholder is written as it is
        assertThat(CallMapper.subject(s, "{Direction} {fromTo} by {agent}")).isEqualTo("Outbound to +14155550100 by {callId} & <Dana>");
        assertThat(com.simplecallcenter.zohosync.config.SubjectTemplate.problem("{Direction} {nope}")).hasValueSatisfying(p ->
                assertThat(p).contains("unknown placeholder {nope}"));
        assertThat(com.simplecallcenter.zohosync.config.SubjectTemplate.problem("{Direction} call {fromTo} ({status})")).isEmpty();
    }
}
