package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.inbox.CallEvent;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * RingCentral call-log records as a forwarder or poller posts them (one record, an array, or the API's list answer):
 * each voice record becomes one {@code call.ended} event of its {@code telephonySessionId}. It is RingCentral's final
 * summary of the call, so its time is its last change plus {@link #WRITE_DELAY}: it wins the sync's newest-wins merge
 * over the call's session notifications. Its event id hashes the record: a changed record is a new event.
 */
final class RingCentralCallLog {

    /** RingCentral writes a record 15 to 30 s after the call ends ("Call Log API" overview). */
    static final Duration WRITE_DELAY = Duration.ofSeconds(30);

    private static final Set<String> ANSWERED = Set.of("accepted", "call connected");
    /** Results (and reasons) saying another phone took the call: answered, but not by this record's extension. */
    private static final Set<String> ANSWERED_ELSEWHERE = Set.of("answered elsewhere", "stopped");
    private static final Set<String> VOICEMAIL = Set.of("voicemail", "sent to voicemail");
    private static final Set<String> UNANSWERED = Set.of("missed", "no answer", "hang up", "abandoned", "rejected",
            "declined", "busy", "reply", "answered not accepted", "callback requested");
    private static final Set<String> FAILED = Set.of("call failed", "call failure", "internal error", "ip phone offline",
            "no calling credit", "not allowed", "restricted number", "wrong number", "international disabled",
            "international restricted", "suspended account", "blocked", "carrier is not active", "edge trunk misconfigured");

    private final RingCentralAdapter agents;

    RingCentralCallLog(RingCentralAdapter agents) {
        this.agents = agents;
    }

    /** A call-log delivery rather than a telephony-session notification (which has a {@code body}). */
    static boolean isCallLog(JsonNode root) {
        if (root.isArray()) {
            return true;
        }
        return root.isObject() && !root.has("body")
                && (root.has("records") || root.has("startTime") && (root.has("result") || root.has("duration")));
    }

    List<CallEvent> adapt(JsonNode root, ProviderRequest r) {
        List<CallEvent> events = new ArrayList<>();
        if (root.isObject() && !root.has("records")) {
            add(events, root, "", r);
            return events;
        }
        JsonNode records = root.isArray() ? root : root.get("records");
        String prefix = root.isArray() ? "" : "records";
        if (!records.isArray()) {
            throw Payloads.invalid("records", "must be an array of call-log records");
        }
        for (int i = 0; i < records.size(); i++) {
            add(events, records.get(i), prefix + "[" + i + "]", r);
        }
        return events;
    }

    private void add(List<CallEvent> events, JsonNode rec, String path, ProviderRequest r) {
        String at = path.isEmpty() ? "" : path + ".";
        if (!rec.isObject()) {
            throw Payloads.invalid(path.isEmpty() ? "$" : path, "must be a call-log record object");
        }
        String type = Payloads.text(rec, "type");
        if (rec.path("deleted").asBoolean(false) || type != null && !"voice".equalsIgnoreCase(type)) {
            return; // a fax, or a record the user removed from the log (the call itself happened and is kept)
        }
        String id = Payloads.text(rec, "id");
        if (id == null) {
            throw Payloads.invalid(at + "id", "is required");
        }
        String startText = Payloads.text(rec, "startTime");
        if (startText == null) {
            throw Payloads.invalid(at + "startTime", "is required");
        }
        OffsetDateTime start = Times.isoUtc(startText, at + "startTime");
        String direction = lower(Payloads.text(rec, "direction"));
        if (!"inbound".equals(direction) && !"outbound".equals(direction)) {
            throw Payloads.invalid(at + "direction", "must be Inbound or Outbound");
        }
        boolean inbound = "inbound".equals(direction);
        Long seconds = Payloads.number(rec, "duration", at + "duration");
        Long millis = Payloads.number(rec, "durationMs", at + "durationMs");
        OffsetDateTime end = start.plus(Duration.ofMillis(millis != null ? millis : seconds != null ? seconds * 1000 : 0));
        String modifiedText = Payloads.text(rec, "lastModifiedTime");
        OffsetDateTime modified = modifiedText == null ? null : Times.isoUtc(modifiedText, at + "lastModifiedTime");
        OffsetDateTime last = modified != null && modified.isAfter(end) ? modified : end;
        String result = lower(Payloads.text(rec, "result"));

        String eventId = "ringcentral:calllog:" + id + ":" + EventDraft.sha256Hex(rec.toString()).substring(0, 16);
        String session = Payloads.text(rec, "telephonySessionId");
        String callId = session != null ? "ringcentral:" + session
                : Payloads.text(rec, "sessionId") != null ? "ringcentral:session:" + Payloads.text(rec, "sessionId")
                : "ringcentral:calllog:" + id;
        EventDraft e;
        if ("in progress".equals(result)) {
            // the active-calls shape: not over yet, so no end and no outcome
            e = new EventDraft(eventId, callId, "call.updated", last).startedAt(start);
        } else {
            e = new EventDraft(eventId, callId, "call.ended", last.plus(WRITE_DELAY)).startedAt(start).endedAt(end);
            String status = status(result, inbound);
            e.status(status);
            if (status != null && !"answered".equals(status)) {
                e.durationSeconds(0L); // the record's duration of an unanswered call is ringing, not talk
            } else if ((seconds != null || millis != null) && !elsewhere(rec, result)) {
                e.durationSeconds(seconds != null ? seconds : millis / 1000);
            }
        }
        JsonNode from = rec.get("from");
        JsonNode to = rec.get("to");
        e.direction(direction).from(number(from), r.region()).to(number(to), r.region());
        if (!elsewhere(rec, result)) {
            JsonNode ours = inbound ? to : from;
            e.agent(agents.agent(r.tenant(), extensionId(rec, ours), Payloads.text(ours, "extensionNumber"), Payloads.text(ours, "name")));
        }
        e.recording(recording(rec));
        events.add(e.build());
    }

    /** The canonical status of a call-log {@code result}; null when the result does not say (Unknown, new values). */
    static String status(String result, boolean inbound) {
        if (result == null) {
            return null;
        }
        if (in(ANSWERED, result) || in(ANSWERED_ELSEWHERE, result)) {
            return "answered";
        }
        if (in(VOICEMAIL, result)) {
            return inbound ? "voicemail" : "no-answer";
        }
        if (in(FAILED, result)) {
            return inbound ? "missed" : "failed";
        }
        if (in(UNANSWERED, result)) {
            return inbound ? "missed" : "busy".equals(result) ? "busy" : "no-answer";
        }
        return null;
    }

    /** A party's number: the phone number, else the extension number of an internal party (kept as digits). */
    private static String number(JsonNode party) {
        if (party == null) {
            return null;
        }
        String phone = Payloads.text(party, "phoneNumber");
        return phone != null ? phone : Payloads.text(party, "extensionNumber");
    }

    /**
     * Our extension: our party's {@code extensionId}, else the record's {@code extension.id} (the extension the record
     * belongs to), else (Detailed view) the extension of the leg that accepted the call, else of any leg.
     */
    private static String extensionId(JsonNode rec, JsonNode ours) {
        String id = Payloads.text(ours, "extensionId");
        if (id == null) {
            id = Payloads.text(rec.get("extension"), "id");
        }
        JsonNode legs = rec.get("legs");
        if (id == null && legs != null && legs.isArray()) {
            for (JsonNode leg : legs) {
                String legId = Payloads.text(leg.get("extension"), "id");
                if (legId != null && in(ANSWERED, lower(Payloads.text(leg, "result")))) {
                    return legId;
                }
                id = id == null ? legId : id;
            }
        }
        return id;
    }

    /** {@code recording.contentUri} (the audio; fetching it needs a RingCentral OAuth token), else of the first leg. */
    private static String recording(JsonNode rec) {
        String link = link(rec.get("recording"));
        JsonNode legs = rec.get("legs");
        if (link == null && legs != null && legs.isArray()) {
            for (JsonNode leg : legs) {
                link = link(leg.get("recording"));
                if (link != null) {
                    break;
                }
            }
        }
        return link;
    }

    private static String link(JsonNode recording) {
        if (recording == null || !recording.isObject()) {
            return null;
        }
        String content = Payloads.text(recording, "contentUri");
        return content != null ? content : Payloads.text(recording, "uri");
    }

    /**
     * Another phone took the call: it was answered, but neither this record's extension nor its duration (this
     * extension's ringing) describe the answer.
     */
    private static boolean elsewhere(JsonNode rec, String result) {
        return in(ANSWERED_ELSEWHERE, result) || in(ANSWERED_ELSEWHERE, lower(Payloads.text(rec, "reason")));
    }

    private static boolean in(Set<String> set, String value) {
        return value != null && set.contains(value);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
