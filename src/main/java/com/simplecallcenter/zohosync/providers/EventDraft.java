package com.simplecallcenter.zohosync.providers;

import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds one canonical {@link CallEvent} from a provider's fields and enforces what the canonical webhook would
 * validate: ids of {@code [A-Za-z0-9._:-]}, at most 200 characters; numbers normalized in the sender's
 * region (a value that is not a phone number, such as {@code client:alice}, is kept only as the raw value);
 * http(s) links only; at most 100 tags of at most 64 characters.
 */
public final class EventDraft {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final String eventId;
    private final String callId;
    private final String type;
    private final OffsetDateTime occurredAt;
    private String direction;
    private String status;
    private String from;
    private String to;
    private String fromRaw;
    private String toRaw;
    private OffsetDateTime startedAt;
    private OffsetDateTime answeredAt;
    private OffsetDateTime endedAt;
    private Integer durationSeconds;
    private CallEvent.Agent agent;
    private CallEvent.Caller caller;
    private String notes;
    private List<String> tags;
    private String recording;
    private String transcript;
    private String summary;
    private String impliedDirection;
    private String impliedFrom;
    private String impliedTo;
    private String impliedFromRaw;
    private String impliedToRaw;
    private String impliedStatus;
    private OffsetDateTime impliedAnsweredAt;
    private Integer impliedDuration;
    private String hold;
    private CallEvent.ZohoRecord zohoRecord;

    public EventDraft(String eventId, String callId, String type, OffsetDateTime occurredAt) {
        this.eventId = id(eventId);
        this.callId = id(callId);
        this.type = type;
        this.occurredAt = occurredAt;
    }

    /** A canonical id: kept as is when valid, otherwise disallowed characters become {@code -} and a long id is hashed. */
    public static String id(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new IllegalArgumentException("an id is required");
        }
        if (ID.matcher(raw).matches()) {
            return raw;
        }
        String cleaned = raw.replaceAll("[^A-Za-z0-9._:-]", "-");
        if (cleaned.length() > 200) {
            cleaned = cleaned.substring(0, 150) + ":" + sha256Hex(raw).substring(0, 32);
        }
        return cleaned;
    }

    public static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public EventDraft direction(String direction) {
        this.direction = direction;
        return this;
    }

    public EventDraft status(String status) {
        this.status = status;
        return this;
    }

    public EventDraft from(String raw, String region) {
        this.fromRaw = blankToNull(raw);
        this.from = phone(raw, region);
        return this;
    }

    public EventDraft to(String raw, String region) {
        this.toRaw = blankToNull(raw);
        this.to = phone(raw, region);
        return this;
    }

    public EventDraft startedAt(OffsetDateTime t) {
        this.startedAt = t;
        return this;
    }

    public EventDraft answeredAt(OffsetDateTime t) {
        this.answeredAt = t;
        return this;
    }

    public EventDraft endedAt(OffsetDateTime t) {
        this.endedAt = t;
        return this;
    }

    public EventDraft durationSeconds(Long seconds) {
        this.durationSeconds = seconds == null ? null : (int) Math.max(0, Math.min(seconds, 7 * 24 * 3600));
        return this;
    }

    public EventDraft agent(String id, String email, String name) {
        String e = email != null && EMAIL.matcher(email.trim()).matches() && email.length() <= 254 ? email.trim() : null;
        String i = truncate(id, 200);
        String n = truncate(name, 200);
        this.agent = i == null && e == null && n == null ? null : new CallEvent.Agent(i, e, n);
        return this;
    }

    public EventDraft agent(CallEvent.Agent a) {
        return a == null ? this : agent(a.id(), a.email(), a.name());
    }

    public EventDraft caller(String email, String firstName, String lastName, String company) {
        String e = email != null && EMAIL.matcher(email.trim()).matches() && email.length() <= 254 ? email.trim() : null;
        String f = truncate(firstName, 200);
        String l = truncate(lastName, 200);
        String c = truncate(company, 200);
        this.caller = e == null && f == null && l == null && c == null ? null : new CallEvent.Caller(e, f, l, c);
        return this;
    }

    public EventDraft notes(String notes) {
        // kept whole (the body limit bounds it); the Zoho client cuts it to the Description's length with a marker
        this.notes = notes == null || notes.isBlank() ? null : notes.trim();
        return this;
    }

    public EventDraft tags(List<String> tags) {
        if (tags == null) {
            this.tags = null;
            return this;
        }
        List<String> t = new ArrayList<>();
        for (String tag : tags) {
            String s = truncate(tag, 64);
            if (s != null && !t.contains(s) && t.size() < 100) {
                t.add(s);
            }
        }
        this.tags = t;
        return this;
    }

    public EventDraft recording(String url) {
        this.recording = link(url);
        return this;
    }

    public EventDraft transcript(String url) {
        this.transcript = link(url);
        return this;
    }

    public EventDraft summary(String url) {
        this.summary = link(url);
        return this;
    }

    /**
     * The parties this event implies but cannot vouch for (a leg that may be the agent's): used only where no event
     * of the call names them (see {@link CallEvent.Fallback}).
     */
    public EventDraft impliedParties(String direction, String fromRaw, String toRaw, String region) {
        this.impliedDirection = direction;
        this.impliedFromRaw = blankToNull(fromRaw);
        this.impliedFrom = phone(fromRaw, region);
        this.impliedToRaw = blankToNull(toRaw);
        this.impliedTo = phone(toRaw, region);
        return this;
    }

    /** The outcome this event implies when no event of the call states one (see {@link CallEvent.Fallback}). */
    public EventDraft impliedOutcome(String status, OffsetDateTime answeredAt, Long durationSeconds) {
        this.impliedStatus = status;
        this.impliedAnsweredAt = answeredAt;
        this.impliedDuration = durationSeconds == null ? null : (int) Math.max(0, Math.min(durationSeconds, 7 * 24 * 3600));
        return this;
    }

    /** {@link CallEvent#HOLD_START} or {@link CallEvent#HOLD_END}: the sync leaves held time out of the talk time. */
    public EventDraft hold(String hold) {
        this.hold = hold;
        return this;
    }

    /** The customer's Zoho record as the sender names it: {@code Leads} or {@code Contacts} and a record id. */
    public EventDraft zohoRecord(String module, String id) {
        this.zohoRecord = module == null || id == null ? null : new CallEvent.ZohoRecord(module, id);
        return this;
    }

    public CallEvent build() {
        CallEvent.Links links = recording == null && transcript == null && summary == null ? null
                : new CallEvent.Links(recording, transcript, summary);
        return new CallEvent(eventId, callId, type, occurredAt, direction, status, from, to, fromRaw, toRaw,
                startedAt, answeredAt, endedAt, durationSeconds, agent, caller, notes, tags, links, null, fallback(), hold, zohoRecord);
    }

    private CallEvent.Fallback fallback() {
        if (impliedDirection == null && impliedFromRaw == null && impliedToRaw == null && impliedStatus == null) {
            return null;
        }
        return new CallEvent.Fallback(impliedDirection, impliedFrom, impliedTo, impliedFromRaw, impliedToRaw,
                impliedStatus, impliedAnsweredAt, impliedDuration);
    }

    private static String phone(String raw, String region) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return PhoneNumbers.normalize(raw, region).orElse(null);
    }

    private static String link(String url) {
        if (url == null) {
            return null;
        }
        String u = url.trim();
        return (u.startsWith("https://") || u.startsWith("http://")) && u.length() <= 2048 ? u : null;
    }

    static String truncate(String s, int max) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = s.trim();
        return t.length() <= max ? t : t.substring(0, max);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : truncate(s, 64);
    }
}
