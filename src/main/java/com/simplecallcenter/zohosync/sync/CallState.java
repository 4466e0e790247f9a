package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.simplecallcenter.zohosync.inbox.CallEvent;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * The merged state of one call: {@code call} holds, per field, the value of the newest event (by {@code occurredAt})
 * that carried it; {@code types} the event types seen; {@code firstOccurredAt} the earliest event time (the start
 * time when no event says {@code startedAt}). Stored as {@code call_sync.state}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallState(CallEvent call, List<String> types, OffsetDateTime firstOccurredAt, int events, long heldSeconds) {

    public CallState(CallEvent call, List<String> types, OffsetDateTime firstOccurredAt, int events) {
        this(call, types, firstOccurredAt, events, 0);
    }

    /** Statuses after which the call is over even when no {@code call.ended} arrives. */
    public static final Set<String> TERMINAL = Set.of("missed", "voicemail", "busy", "failed", "no-answer");
    public static final Set<String> UNANSWERED = Set.of("missed", "voicemail", "busy", "failed", "no-answer", "ringing");

    @JsonIgnore
    public boolean ended() {
        return types.contains("call.ended") || call.endedAt() != null || (call.status() != null && TERMINAL.contains(call.status()));
    }

    @JsonIgnore
    public boolean inbound() {
        return !"outbound".equals(call.direction());
    }

    /** Answered when an event said so, or (without any status) when the call had a duration. */
    @JsonIgnore
    public boolean answered() {
        if (call.answeredAt() != null || "answered".equals(call.status())) {
            return true;
        }
        if (call.status() != null && UNANSWERED.contains(call.status())) {
            return false;
        }
        return call.durationSeconds() != null && call.durationSeconds() > 0;
    }

    /** The customer's normalized number: the caller of an inbound call, the callee of an outbound one. */
    @JsonIgnore
    public String customerNumber() {
        return inbound() ? call.from() : call.to();
    }

    @JsonIgnore
    public OffsetDateTime startTime() {
        return call.startedAt() != null ? call.startedAt() : firstOccurredAt;
    }

    /**
     * Talk time in seconds: the reported duration, else answered → ended less the time on hold, else started → ended;
     * 0 when unknown.
     */
    @JsonIgnore
    public long durationSeconds() {
        if (call.durationSeconds() != null) {
            return call.durationSeconds();
        }
        OffsetDateTime from = call.answeredAt() != null ? call.answeredAt() : call.startedAt();
        if (from != null && call.endedAt() != null && call.endedAt().isAfter(from)) {
            return Math.max(0, java.time.Duration.between(from, call.endedAt()).minusSeconds(heldSeconds).getSeconds());
        }
        return 0;
    }
}
