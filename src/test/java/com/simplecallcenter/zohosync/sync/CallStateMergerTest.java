package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.SccConfiguration;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CallStateMergerTest {

    private final ObjectMapper mapper = SccConfiguration.objectMapper();
    private final CallStateMerger merger = new CallStateMerger(mapper);

    private CallStateMerger.StoredEvent ev(long id, String type, String at, String extra) throws Exception {
        String json = CanonicalEvent.event("e" + id, "c1", type).occurredAt(at).direction("inbound").from("+14155550134")
                .to("+14155550100").members(extra).json();
        return new CallStateMerger.StoredEvent(id, mapper.readValue(json, CallEvent.class));
    }

    @Test
    void newestEventCarryingAFieldWinsWhateverTheArrivalOrder() throws Exception {
        // ended arrives first, started second, an older call.updated last
        var ended = ev(1, "call.ended", "2026-11-24T10:17:05Z",
                "\"status\":\"answered\",\"endedAt\":\"2026-11-24T10:17:05Z\",\"durationSeconds\":116,\"notes\":\"newer notes\"");
        var started = ev(2, "call.started", "2026-11-24T10:15:00Z",
                "\"status\":\"ringing\",\"startedAt\":\"2026-11-24T10:15:00Z\",\"agent\":{\"id\":\"ag_17\",\"name\":\"Dana\"}");
        var lateOlder = ev(3, "call.updated", "2026-11-24T10:16:00Z",
                "\"notes\":\"older notes\",\"agent\":{\"email\":\"dana@acme.example\"},\"links\":{\"recording\":\"https://r/1\"}");

        CallState s = merger.merge(List.of(ended, started, lateOlder));

        assertThat(s.call().status()).isEqualTo("answered");
        assertThat(s.call().notes()).isEqualTo("newer notes");
        assertThat(s.call().startedAt()).hasToString("2026-11-24T10:15Z");
        assertThat(s.call().agent().id()).isEqualTo("ag_17");
        assertThat(s.call().agent().email()).isEqualTo("dana@acme.example");
        assertThat(s.call().links().recording()).isEqualTo("https://r/1");
        assertThat(s.firstOccurredAt()).hasToString("2026-11-24T10:15Z");
        assertThat(s.ended()).isTrue();
        assertThat(s.answered()).isTrue();
        assertThat(s.durationSeconds()).isEqualTo(116);
        assertThat(s.events()).isEqualTo(3);
    }

    @Test
    void aCallIsNotEndedUntilAnEndEventOrATerminalStatus() throws Exception {
        assertThat(merger.merge(List.of(ev(1, "call.started", "2026-11-24T10:15:00Z", "\"status\":\"ringing\""))).ended()).isFalse();
        assertThat(merger.merge(List.of(ev(1, "call.answered", "2026-11-24T10:15:00Z", "\"status\":\"answered\""))).ended()).isFalse();
        assertThat(merger.merge(List.of(ev(1, "call.updated", "2026-11-24T10:15:00Z", "\"status\":\"missed\""))).ended()).isTrue();
        assertThat(merger.merge(List.of(ev(1, "call.updated", "2026-11-24T10:15:00Z", "\"endedAt\":\"2026-11-24T10:16:00Z\""))).ended()).isTrue();
    }

    @Test
    void aFallbackOutcomeCountsOnlyWhileNoEventStatesOne() throws Exception {
        var ringing = ev(1, "call.started", "2026-11-24T10:15:00Z", "\"status\":\"ringing\"");
        var parentDone = ev(2, "call.ended", "2026-11-24T10:19:00Z", "\"endedAt\":\"2026-11-24T10:19:00Z\","
                + "\"fallback\":{\"status\":\"answered\",\"durationSeconds\":240,\"from\":\"+19995550000\"}");
        var agentMissed = ev(3, "call.updated", "2026-11-24T10:15:30Z", "\"status\":\"missed\"");

        CallState alone = merger.merge(List.of(ringing, parentDone));
        assertThat(alone.call().status()).isEqualTo("answered");
        assertThat(alone.durationSeconds()).isEqualTo(240);
        assertThat(alone.call().from()).as("a stated party is never replaced").isEqualTo("+14155550134");

        // the agent's leg, older than the parent's end, still decides the outcome
        CallState corrected = merger.merge(List.of(parentDone, agentMissed, ringing));
        assertThat(corrected.call().status()).isEqualTo("missed");
        assertThat(corrected.answered()).isFalse();
        assertThat(corrected.call().durationSeconds()).isNull();
    }

    @Test
    void theStateSurvivesAJsonRoundTrip() throws Exception {
        CallState s = merger.merge(List.of(ev(1, "call.ended", "2026-11-24T10:17:05+02:00", "\"tags\":[\"a\",\"b\"]")));
        CallState back = mapper.readValue(mapper.writeValueAsString(s), CallState.class);
        assertThat(back).isEqualTo(s);
    }
}
