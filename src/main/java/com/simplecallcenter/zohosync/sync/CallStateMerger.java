package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.inbox.CallEvent;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Folds all events of a call into one {@link CallState}, oldest {@code occurredAt} first (ties in arrival order), so
 * that for every field the newest event carrying it wins, whatever order the events arrived in. Nested objects
 * ({@code agent}, {@code caller}, {@code links}) merge field by field; lists ({@code tags}) are replaced whole.
 * The fold always starts from all events of the call, so a late, older event can never overwrite newer data.
 * An event's {@code fallback} (what a leg implies but cannot know) counts only where no event states the value:
 * its outcome while no final status is known, its parties where none is set.
 */
public final class CallStateMerger {

    private final ObjectMapper mapper;

    public CallStateMerger(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One stored event, with its arrival order. */
    public record StoredEvent(long id, CallEvent event) {
    }

    public CallState merge(List<StoredEvent> stored) {
        if (stored.isEmpty()) {
            throw new IllegalArgumentException("a call state needs at least one event");
        }
        List<StoredEvent> ordered = new ArrayList<>(stored);
        ordered.sort(Comparator.comparing((StoredEvent e) -> e.event().occurredAt().toInstant()).thenComparingLong(StoredEvent::id));
        ObjectNode merged = mapper.createObjectNode();
        ObjectNode fallback = mapper.createObjectNode();
        List<String> types = new ArrayList<>();
        OffsetDateTime first = null;
        OffsetDateTime firstStart = null;
        OffsetDateTime firstAnswer = null;
        OffsetDateTime holdStart = null;
        java.time.Duration held = java.time.Duration.ZERO;
        for (StoredEvent e : ordered) {
            CallEvent ev = e.event();
            // a call starts and is answered once: a later leg ringing, or an agent picking up again after a hold,
            // does not move those times
            if (ev.startedAt() != null && (firstStart == null || ev.startedAt().isBefore(firstStart))) {
                firstStart = ev.startedAt();
            }
            if (ev.answeredAt() != null && (firstAnswer == null || ev.answeredAt().isBefore(firstAnswer))) {
                firstAnswer = ev.answeredAt();
            }
            if (CallEvent.HOLD_START.equals(ev.hold()) && holdStart == null) {
                holdStart = ev.occurredAt();
            } else if (CallEvent.HOLD_END.equals(ev.hold()) && holdStart != null) {
                held = held.plus(java.time.Duration.between(holdStart, ev.occurredAt()));
                holdStart = null;
            }
            ObjectNode node = mapper.valueToTree(e.event());
            JsonNode implied = node.remove("fallback");
            if (implied != null && implied.isObject()) {
                deepMerge(fallback, (ObjectNode) implied);
            }
            deepMerge(merged, node);
            if (!types.contains(e.event().type())) {
                types.add(e.event().type());
            }
            if (first == null) {
                first = e.event().occurredAt();
            }
        }
        if (firstStart != null) {
            merged.set("startedAt", mapper.valueToTree(firstStart));
        }
        if (firstAnswer != null) {
            merged.set("answeredAt", mapper.valueToTree(firstAnswer));
        }
        merged.remove("hold");
        applyFallback(merged, fallback);
        CallEvent call = mapper.convertValue(merged, CallEvent.class);
        return new CallState(call, List.copyOf(types), first, ordered.size(), Math.max(0, held.getSeconds()));
    }

    private static void applyFallback(ObjectNode merged, ObjectNode fallback) {
        if (fallback.isEmpty()) {
            return;
        }
        fillIfUnset(merged, fallback, "direction");
        if (unset(merged, "from") && unset(merged, "fromRaw")) {
            fillIfUnset(merged, fallback, "from");
            fillIfUnset(merged, fallback, "fromRaw");
        }
        if (unset(merged, "to") && unset(merged, "toRaw")) {
            fillIfUnset(merged, fallback, "to");
            fillIfUnset(merged, fallback, "toRaw");
        }
        // "ringing" says nothing about the outcome; any other status is an event's own word and wins
        boolean outcomeKnown = !unset(merged, "status") && !"ringing".equals(merged.get("status").asText());
        if (!outcomeKnown && !unset(fallback, "status")) {
            merged.set("status", fallback.get("status"));
            fillIfUnset(merged, fallback, "answeredAt");
            fillIfUnset(merged, fallback, "durationSeconds");
        }
    }

    private static boolean unset(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull();
    }

    private static void fillIfUnset(ObjectNode target, ObjectNode source, String field) {
        if (unset(target, field) && !unset(source, field)) {
            target.set(field, source.get(field));
        }
    }

    private static void deepMerge(ObjectNode target, ObjectNode newer) {
        Iterator<Map.Entry<String, JsonNode>> it = newer.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode value = f.getValue();
            if (value == null || value.isNull()) {
                continue;
            }
            JsonNode existing = target.get(f.getKey());
            if (value.isObject() && existing != null && existing.isObject()) {
                deepMerge((ObjectNode) existing, (ObjectNode) value);
            } else {
                target.set(f.getKey(), value.deepCopy());
            }
        }
    }
}
