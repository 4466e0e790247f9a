package com.simplecallcenter.zohosync.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.http.FieldError;
import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the raw bytes of a canonical webhook into a validated {@link CallEvent}, or a 400 listing every invalid field.
 * Unknown fields are ignored; numbers are normalized in the default region.
 */
public final class CallEventParser {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    private static final int MAX_TAGS = 100;
    private static final int MAX_TAG_LENGTH = 64;
    /** Free text (notes, names) is bounded by the 256 KiB body only: the Zoho client fits each field to Zoho's length. */
    private static final int MAX_TEXT = Integer.MAX_VALUE;

    private final ObjectMapper mapper;
    private final String defaultRegion;

    public CallEventParser(ObjectMapper mapper, String defaultRegion) {
        this.mapper = mapper;
        this.defaultRegion = defaultRegion;
    }

    public CallEvent parse(byte[] raw) {
        return parse(raw, defaultRegion);
    }

    public CallEvent parse(byte[] raw, String region) {
        JsonNode root = readTree(raw);
        List<FieldError> errors = new ArrayList<>();
        if (!root.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object", List.of(new FieldError("$", "must be a JSON object")));
        }
        String eventId = id(root, "eventId", errors);
        String callId = id(root, "callId", errors);
        String type = oneOf(root, "type", CallEvent.TYPES, true, errors);
        OffsetDateTime occurredAt = time(root, "occurredAt", true, errors);
        String direction = oneOf(root, "direction", CallEvent.DIRECTIONS, true, errors);
        String status = oneOf(root, "status", CallEvent.STATUSES, false, errors);
        String fromRaw = text(root, "from", true, 64, errors);
        String toRaw = text(root, "to", true, 64, errors);
        String from = phone("from", fromRaw, region, errors);
        String to = phone("to", toRaw, region, errors);
        OffsetDateTime startedAt = time(root, "startedAt", false, errors);
        OffsetDateTime answeredAt = time(root, "answeredAt", false, errors);
        OffsetDateTime endedAt = time(root, "endedAt", false, errors);
        Integer duration = duration(root, errors);
        CallEvent.Agent agent = null;
        JsonNode a = object(root, "agent", errors);
        if (a != null) {
            agent = new CallEvent.Agent(text(a, "id", "agent.id", false, 200, errors), email(a, "email", "agent.email", errors),
                    text(a, "name", "agent.name", false, MAX_TEXT, errors));
        }
        CallEvent.Caller caller = null;
        JsonNode c = object(root, "caller", errors);
        if (c != null) {
            caller = new CallEvent.Caller(email(c, "email", "caller.email", errors),
                    text(c, "firstName", "caller.firstName", false, MAX_TEXT, errors),
                    text(c, "lastName", "caller.lastName", false, MAX_TEXT, errors),
                    text(c, "company", "caller.company", false, MAX_TEXT, errors));
        }
        String notes = text(root, "notes", false, MAX_TEXT, errors);
        List<String> tags = tags(root, errors);
        // optional: the customer asked to be called back at this time (the follow-up-tasks route makes the Task)
        OffsetDateTime callbackAt = time(root, "callbackAt", false, errors);
        CallEvent.Links links = null;
        JsonNode l = object(root, "links", errors);
        if (l != null) {
            links = new CallEvent.Links(url(l, "recording", errors), url(l, "transcript", errors), url(l, "summary", errors));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the call event has " + errors.size() + " invalid field(s)", errors);
        }
        return new CallEvent(eventId, callId, type, occurredAt, direction, status, from, to, fromRaw, toRaw,
                startedAt, answeredAt, endedAt, duration, agent, caller, notes, tags, links, callbackAt, null, null, null);
    }

    private JsonNode readTree(byte[] raw) {
        int offset = raw.length >= 3 && (raw[0] & 0xff) == 0xEF && (raw[1] & 0xff) == 0xBB && (raw[2] & 0xff) == 0xBF ? 3 : 0;
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw, offset, raw.length - offset));
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest("the body is not valid UTF-8", List.of(new FieldError("$", "not valid UTF-8")));
        }
        try {
            JsonNode node = mapper.readTree(raw, offset, raw.length - offset);
            if (node == null || node.isMissingNode()) {
                throw ProblemException.badRequest("the body is empty", List.of(new FieldError("$", "a JSON object is required")));
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ProblemException.badRequest("the body is not well-formed JSON" + where,
                    List.of(new FieldError("$", "malformed JSON" + where)));
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("the body could not be read", List.of(new FieldError("$", "unreadable")));
        }
    }

    private static String id(JsonNode root, String field, List<FieldError> errors) {
        String v = text(root, field, true, 200, errors);
        if (v != null && !ID.matcher(v).matches()) {
            errors.add(new FieldError(field, "must be 1 to 200 characters of A-Z a-z 0-9 . _ : -"));
            return null;
        }
        return v;
    }

    private static String text(JsonNode node, String field, boolean required, int max, List<FieldError> errors) {
        return text(node, field, field, required, max, errors);
    }

    private static String text(JsonNode node, String field, String path, boolean required, int max, List<FieldError> errors) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(new FieldError(path, "is required"));
            }
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError(path, "must be a string"));
            return null;
        }
        // NUL is valid JSON but jsonb and Zoho refuse it: dropped here, kept in the stored raw body
        String s = v.asText().replace("\u0000", "");
        if (required && s.isBlank()) {
            errors.add(new FieldError(path, "must not be empty"));
            return null;
        }
        if (s.length() > max) {
            errors.add(new FieldError(path, "must be at most " + max + " characters"));
            return null;
        }
        return s.isBlank() ? null : s;
    }

    private static String oneOf(JsonNode root, String field, List<String> allowed, boolean required, List<FieldError> errors) {
        String v = text(root, field, required, 32, errors);
        if (v != null && !allowed.contains(v)) {
            errors.add(new FieldError(field, "must be one of " + String.join(", ", allowed)));
            return null;
        }
        return v;
    }

    private static OffsetDateTime time(JsonNode root, String field, boolean required, List<FieldError> errors) {
        String v = text(root, field, required, 64, errors);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 date-time with an offset, e.g. 2026-11-24T10:15:00Z"));
            return null;
        }
    }

    private static String phone(String field, String raw, String region, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        return PhoneNumbers.normalize(raw, region).orElseGet(() -> {
            errors.add(new FieldError(field, "must be a phone number or 'anonymous'"));
            return null;
        });
    }

    private static Integer duration(JsonNode root, List<FieldError> errors) {
        JsonNode v = root.get("durationSeconds");
        if (v == null || v.isNull()) {
            return null;
        }
        long n;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            n = v.asLong();
        } else if (v.isTextual() && v.asText().trim().matches("[0-9]{1,9}")) {
            n = Long.parseLong(v.asText().trim());
        } else {
            errors.add(new FieldError("durationSeconds", "must be a whole number of seconds"));
            return null;
        }
        if (n < 0 || n > 7 * 24 * 3600) {
            errors.add(new FieldError("durationSeconds", "must be between 0 and 604800"));
            return null;
        }
        return (int) n;
    }

    private static JsonNode object(JsonNode root, String field, List<FieldError> errors) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            errors.add(new FieldError(field, "must be an object"));
            return null;
        }
        return v;
    }

    private static String email(JsonNode node, String field, String path, List<FieldError> errors) {
        String v = text(node, field, path, false, 254, errors);
        if (v != null && !v.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            errors.add(new FieldError(path, "must be an email address"));
            return null;
        }
        return v;
    }

    private static String url(JsonNode node, String field, List<FieldError> errors) {
        String v = text(node, field, "links." + field, false, 2048, errors);
        if (v != null && !(v.startsWith("https://") || v.startsWith("http://"))) {
            errors.add(new FieldError("links." + field, "must be an http(s) URL"));
            return null;
        }
        return v;
    }

    private static List<String> tags(JsonNode root, List<FieldError> errors) {
        JsonNode v = root.get("tags");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            errors.add(new FieldError("tags", "must be an array of strings"));
            return null;
        }
        if (v.size() > MAX_TAGS) {
            errors.add(new FieldError("tags", "must hold at most " + MAX_TAGS + " tags"));
            return null;
        }
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode t = v.get(i);
            String tag = t.isTextual() ? t.asText().replace("\u0000", "") : null;
            if (tag == null || tag.isBlank()) {
                errors.add(new FieldError("tags[" + i + "]", "must be a non-empty string"));
            } else if (tag.length() > MAX_TAG_LENGTH) {
                errors.add(new FieldError("tags[" + i + "]", "must be at most " + MAX_TAG_LENGTH + " characters"));
            } else {
                tags.add(tag);
            }
        }
        return tags;
    }
}
