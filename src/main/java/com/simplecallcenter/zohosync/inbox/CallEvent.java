package com.simplecallcenter.zohosync.inbox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One normalized call event, the body of {@code POST /api/v1/calls/events}: what ingest stores and the sync reads.
 * Phone numbers are normalized ({@link com.simplecallcenter.zohosync.phone.PhoneNumbers}); the raw ones are kept.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallEvent(
        String eventId,
        String callId,
        String type,
        OffsetDateTime occurredAt,
        String direction,
        String status,
        String from,
        String to,
        String fromRaw,
        String toRaw,
        OffsetDateTime startedAt,
        OffsetDateTime answeredAt,
        OffsetDateTime endedAt,
        Integer durationSeconds,
        Agent agent,
        Caller caller,
        String notes,
        List<String> tags,
        Links links,
        OffsetDateTime callbackAt,
        Fallback fallback,
        String hold,
        ZohoRecord zohoRecord) {

    /** {@link #hold}: this event puts the call on hold, or takes it off (an agent picking up again, or hanging up). */
    public static final String HOLD_START = "start";
    public static final String HOLD_END = "end";

    public static final List<String> TYPES = List.of("call.started", "call.answered", "call.ended", "call.updated");
    public static final List<String> DIRECTIONS = List.of("inbound", "outbound");
    public static final List<String> STATUSES = List.of("ringing", "answered", "missed", "voicemail", "busy", "failed", "no-answer");

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Agent(String id, String email, String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Caller(String email, String firstName, String lastName, String company) {
    }

    /**
     * What an event implies but cannot know for sure, used only where no event of the call states it: a provider leg
     * that does not see the agent (Twilio's inbound parent leg, Vonage's inbound leg) says "answered, 240 s" here, and
     * the agent's leg, arriving before or after, decides. The outcome ({@code status}, {@code answeredAt},
     * {@code durationSeconds}) applies as a whole while no event gave a final status; the parties fill what is unset.
     * Set by provider adapters only, never read from the canonical webhook.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Fallback(String direction, String from, String to, String fromRaw, String toRaw,
                           String status, OffsetDateTime answeredAt, Integer durationSeconds) {
    }

    /**
     * The customer's Zoho record as the sender names it (a 3CX template's {@code EntityType}/{@code EntityId}): the
     * sync logs the call on that record after one read that it exists, without searching. Set by provider adapters
     * only, never read from the canonical webhook.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ZohoRecord(String module, String id) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Links(String recording, String transcript, String summary) {
    }
}
