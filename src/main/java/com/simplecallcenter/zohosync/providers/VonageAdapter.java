package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.inbox.CallEvent;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Vonage Voice API event webhooks: the call is the {@code conversation_uuid}, each leg ({@code uuid}) reports its own
 * statuses. An inbound leg is answered by Vonage's NCCO, so the agent's outbound {@code connect} leg decides whether a
 * person answered; only the inbound leg's numbers are trusted on every event (docs/providers.md, "Vonage").
 */
public final class VonageAdapter implements ProviderAdapter {

    private final Clock clock;

    public VonageAdapter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<CallEvent> adapt(ProviderRequest r) {
        JsonNode root = r.json();
        if (!root.isObject()) {
            throw Payloads.invalid("$", "must be a JSON object");
        }
        String conversation = Payloads.text(root, "conversation_uuid");
        String recordingUrl = Payloads.text(root, "recording_url");
        String transcriptionUrl = Payloads.text(root, "transcription_url");
        if (recordingUrl != null || transcriptionUrl != null) {
            return links(root, conversation, recordingUrl, transcriptionUrl);
        }
        String status = lower(Payloads.text(root, "status"));
        String leg = Payloads.text(root, "uuid");
        if (leg == null) {
            leg = Payloads.text(root, "call_uuid");
        }
        if (status == null || leg == null) {
            // input, transfer, error and other non-status events
            return List.of();
        }
        if (conversation == null) {
            throw Payloads.invalid("conversation_uuid", "is required");
        }
        String direction = lower(Payloads.text(root, "direction"));
        boolean inboundLeg = "inbound".equals(direction);
        OffsetDateTime at = time(root, "timestamp");
        if (at == null) {
            at = time(root, "end_time");
        }
        if (at == null) {
            throw Payloads.invalid("timestamp", "is required");
        }
        String eventId = "vonage:" + leg + ":" + status;
        String callId = "vonage:" + conversation;
        Long duration = duration(root);
        OffsetDateTime start = time(root, "start_time");
        OffsetDateTime end = time(root, "end_time");
        EventDraft e;
        switch (status) {
            case "started", "ringing" -> {
                e = new EventDraft(eventId, callId, "call.started", at).status("ringing").startedAt(at);
            }
            case "answered" -> e = inboundLeg ? new EventDraft(eventId, callId, "call.updated", at)
                    : new EventDraft(eventId, callId, "call.answered", at).status("answered").answeredAt(at);
            case "human" -> e = new EventDraft(eventId, callId, "call.updated", at);
            case "machine" -> e = new EventDraft(eventId, callId, "call.updated", at).status(inboundLeg ? "missed" : "voicemail");
            case "completed" -> {
                e = new EventDraft(eventId, callId, "call.ended", at).endedAt(end != null ? end : at);
                OffsetDateTime stop = end != null ? end : at;
                boolean talked = duration != null && duration > 0;
                if (inboundLeg) {
                    // alone, a completed inbound leg is the whole call: answered for its duration unless an agent leg says otherwise
                    e.startedAt(start).impliedOutcome(talked ? "answered" : "missed",
                            talked ? stop.minusSeconds(duration) : null, talked ? duration : 0L);
                } else if (talked) {
                    e.status("answered").answeredAt(stop.minusSeconds(duration)).durationSeconds(duration);
                } else {
                    e.startedAt(start).status("no-answer").durationSeconds(0L);
                }
            }
            case "busy", "cancelled", "unanswered", "rejected", "failed", "timeout" -> {
                e = new EventDraft(eventId, callId, "call.ended", at).endedAt(at).durationSeconds(0L);
                e.status(inboundLeg ? "missed" : switch (status) {
                    case "busy" -> "busy";
                    case "failed", "rejected" -> "failed";
                    default -> "no-answer";
                });
            }
            case "disconnected" -> e = new EventDraft(eventId, callId, "call.updated", at);
            default -> {
                return List.of();
            }
        }
        String from = e164(Payloads.text(root, "from"));
        String to = e164(Payloads.text(root, "to"));
        if (inboundLeg) {
            e.direction("inbound").from(from, r.region()).to(to, r.region());
        } else if (from != null || to != null) {
            // an outbound leg may be the agent's leg of an inbound call: its parties count only where no inbound leg names them
            e.impliedParties("outbound", from, to, r.region());
        }
        return List.of(e.build());
    }

    private List<CallEvent> links(JsonNode root, String conversation, String recordingUrl, String transcriptionUrl) {
        if (conversation == null) {
            throw Payloads.invalid("conversation_uuid", "is required");
        }
        String id = Payloads.text(root, "recording_uuid");
        if (id == null) {
            id = Payloads.text(root, "uuid");
        }
        if (id == null) {
            throw Payloads.invalid("recording_uuid", "is required");
        }
        OffsetDateTime at = time(root, "end_time");
        if (at == null) {
            at = time(root, "timestamp");
        }
        if (at == null) {
            at = Times.now(clock);
        }
        String kind = transcriptionUrl != null ? "transcript" : "recording";
        EventDraft e = new EventDraft("vonage:" + kind + ":" + id, "vonage:" + conversation, "call.updated", at);
        if (transcriptionUrl != null) {
            e.transcript(transcriptionUrl);
        } else {
            e.recording(recordingUrl);
        }
        return List.of(e.build());
    }

    /** {@code 447700900000} → {@code +447700900000}; short codes, SIP and app endpoints stay as they are. */
    static String e164(String v) {
        if (v == null) {
            return null;
        }
        return v.matches("[1-9][0-9]{7,14}") ? "+" + v : v;
    }

    private static Long duration(JsonNode root) {
        String s = Payloads.text(root, "duration");
        if (s == null) {
            return null;
        }
        if (!s.matches("[0-9]{1,9}")) {
            throw Payloads.invalid("duration", "must be a whole number of seconds");
        }
        return Long.parseLong(s);
    }

    private static OffsetDateTime time(JsonNode root, String field) {
        String s = Payloads.text(root, field);
        return s == null ? null : Times.isoUtc(s, field);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
