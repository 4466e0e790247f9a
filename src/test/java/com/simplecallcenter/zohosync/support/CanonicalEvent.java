package com.simplecallcenter.zohosync.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds a canonical call event (README, docs/interface.md) for the tests. {@link #ended(String)} is the usual one: an
 * answered-or-not inbound call to +14155550100 that ended on Tuesday 2026-11-24 at 10:17:05Z after starting at 10:15:00Z.
 */
public final class CanonicalEvent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode event = JSON.createObjectNode();

    private CanonicalEvent(String eventId, String callId, String type) {
        event.put("eventId", eventId);
        event.put("callId", callId);
        event.put("type", type);
    }

    /** An event with only its ids and type; everything else is up to the test. */
    public static CanonicalEvent event(String eventId, String callId, String type) {
        return new CanonicalEvent(eventId, callId, type);
    }

    /** The {@code call.ended} event of {@code callId} (event id {@code callId-ended}); see the class comment. */
    public static CanonicalEvent ended(String callId) {
        return new CanonicalEvent(callId + "-ended", callId, "call.ended").occurredAt("2026-11-24T10:17:05Z").inbound()
                .to("+14155550100").set("startedAt", "2026-11-24T10:15:00Z").set("endedAt", "2026-11-24T10:17:05Z");
    }

    public CanonicalEvent eventId(String id) {
        return set("eventId", id);
    }

    public CanonicalEvent occurredAt(String instant) {
        return set("occurredAt", instant);
    }

    public CanonicalEvent direction(String direction) {
        return set("direction", direction);
    }

    public CanonicalEvent inbound() {
        return direction("inbound");
    }

    public CanonicalEvent outbound() {
        return direction("outbound");
    }

    public CanonicalEvent from(String number) {
        return set("from", number);
    }

    public CanonicalEvent to(String number) {
        return set("to", number);
    }

    public CanonicalEvent status(String status) {
        return set("status", status);
    }

    public CanonicalEvent durationSeconds(int seconds) {
        event.put("durationSeconds", seconds);
        return this;
    }

    /** Any string member ({@code notes}, {@code startedAt}, …); null removes it. */
    public CanonicalEvent set(String name, String value) {
        if (value == null) {
            event.remove(name);
        } else {
            event.put(name, value);
        }
        return this;
    }

    /** Raw JSON members merged into the object, e.g. {@code "agent":{"id":"ag_1"},"tags":["vip"]}; null or empty: none. */
    public CanonicalEvent members(String rawMembers) {
        if (rawMembers == null || rawMembers.isBlank()) {
            return this;
        }
        try {
            JsonNode extra = JSON.readTree("{" + rawMembers + "}");
            extra.fields().forEachRemaining(f -> event.set(f.getKey(), f.getValue()));
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON members: " + rawMembers, e);
        }
        return this;
    }

    public String json() {
        return event.toString();
    }

    @Override
    public String toString() {
        return json();
    }
}
