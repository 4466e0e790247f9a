package com.simplecallcenter.zohosync.providers;

import com.simplecallcenter.zohosync.inbox.CallEvent;


import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Twilio voice and recording status callbacks (form-encoded). An inbound parent leg is answered by Twilio's TwiML, so
 * whether a person answered comes from the {@code <Dial>} child leg, whose events belong to the parent's call and
 * carry no numbers of their own (docs/providers.md, "Twilio").
 */
public final class TwilioAdapter implements ProviderAdapter {

    private final Clock clock;

    public TwilioAdapter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<CallEvent> adapt(ProviderRequest r) {
        if (!r.isForm()) {
            throw Payloads.invalid("$", "must be application/x-www-form-urlencoded (a Twilio voice callback)");
        }
        Map<String, java.util.List<String>> f = r.form();
        String callSid = Payloads.first(f, "CallSid");
        if (callSid == null) {
            throw Payloads.invalid("CallSid", "is required");
        }
        if (Payloads.first(f, "RecordingSid") != null && Payloads.first(f, "RecordingStatus") != null) {
            return recording(r, f, callSid);
        }
        if (isDialAction(f)) {
            return List.of(dialAction(r, f, callSid));
        }
        String status = Payloads.first(f, "CallStatus");
        if (status == null) {
            throw Payloads.invalid("CallStatus", "is required");
        }
        status = status.toLowerCase(Locale.ROOT);
        String twilioDirection = lower(Payloads.first(f, "Direction"));
        String parentSid = Payloads.first(f, "ParentCallSid");
        boolean child = parentSid != null && (twilioDirection == null || twilioDirection.equals("outbound-dial"));
        String callId = "twilio:" + (child ? parentSid : callSid);
        String eventId = eventId(f, callSid, status);
        OffsetDateTime at = time(f, "Timestamp");
        Long duration = seconds(f, "CallDuration");
        String answeredBy = lower(Payloads.first(f, "AnsweredBy"));
        boolean machine = answeredBy != null && (answeredBy.startsWith("machine") || answeredBy.equals("fax"));
        String from = Payloads.first(f, "From");
        String to = Payloads.first(f, "To");

        EventDraft e;
        if (child) {
            e = childLeg(eventId, callId, at, status, duration, machine);
            e.agent(identity(to));

        } else {
            boolean agentOriginated = isIdentity(from);
            boolean inboundLeg = "inbound".equals(twilioDirection);
            String direction = inboundLeg && !agentOriginated ? "inbound" : "outbound";
            e = inboundLeg ? twilioAnsweredLeg(eventId, callId, at, status, duration)
                    : calleeLeg(eventId, callId, at, status, duration, machine);
            e.direction(direction).from(from, r.region()).to(to, r.region());
            e.agent(identity(agentOriginated ? from : null));
        }
        return List.of(extras(e, r, f).build());
    }

    /** The agent named by the signed query ({@code agent}, {@code agentEmail}) and a {@code RecordingUrl}, on any callback. */
    private static EventDraft extras(EventDraft e, ProviderRequest r, Map<String, List<String>> f) {
        String agentId = r.query("agent");
        String agentEmail = r.query("agentEmail");
        if (agentId != null || agentEmail != null) {
            e.agent(agentId, agentEmail, null);
        }
        String recordingUrl = Payloads.first(f, "RecordingUrl");
        if (recordingUrl != null) {
            e.recording(recordingUrl);
        }
        return e;
    }

    /** The inbound parent leg: Twilio's TwiML answers it, so it tells when the call started and ended, not whether a person answered. */
    private static EventDraft twilioAnsweredLeg(String eventId, String callId, OffsetDateTime at, String status, Long duration) {
        return switch (status) {
            case "queued", "initiated", "ringing" -> new EventDraft(eventId, callId, "call.started", at).status("ringing").startedAt(at);
            case "in-progress" -> new EventDraft(eventId, callId, "call.updated", at);
            // alone, a completed parent is the whole call: answered for CallDuration unless a <Dial> leg or action says otherwise
            case "completed" -> new EventDraft(eventId, callId, "call.ended", at).endedAt(at)
                    .startedAt(duration == null ? null : at.minusSeconds(duration))
                    .impliedOutcome(duration != null && duration > 0 ? "answered" : "missed",
                            duration != null && duration > 0 ? at.minusSeconds(duration) : null, duration == null ? 0L : duration);
            case "busy", "no-answer", "failed", "canceled" -> new EventDraft(eventId, callId, "call.ended", at).status("missed").endedAt(at)
                    .durationSeconds(0L);
            default -> throw Payloads.invalid("CallStatus", "is not a Twilio call status");
        };
    }

    /** A leg whose callee is the customer ({@code outbound-api}): answered when the callee picked up. */
    private static EventDraft calleeLeg(String eventId, String callId, OffsetDateTime at, String status, Long duration, boolean machine) {
        return switch (status) {
            case "queued", "initiated", "ringing" -> new EventDraft(eventId, callId, "call.started", at).status("ringing").startedAt(at);
            case "in-progress" -> machine ? new EventDraft(eventId, callId, "call.updated", at).status("voicemail")
                    : new EventDraft(eventId, callId, "call.answered", at).status("answered").answeredAt(at);
            case "completed" -> {
                EventDraft d = new EventDraft(eventId, callId, "call.ended", at).endedAt(at).durationSeconds(duration);
                if (duration != null && duration > 0) {
                    yield machine ? d.status("voicemail") : d.status("answered").answeredAt(at.minusSeconds(duration));
                }
                yield d.status("no-answer");
            }
            case "busy" -> new EventDraft(eventId, callId, "call.ended", at).status("busy").endedAt(at).durationSeconds(0L);
            case "failed" -> new EventDraft(eventId, callId, "call.ended", at).status("failed").endedAt(at).durationSeconds(0L);
            case "no-answer", "canceled" -> new EventDraft(eventId, callId, "call.ended", at).status("no-answer").endedAt(at).durationSeconds(0L);
            default -> throw Payloads.invalid("CallStatus", "is not a Twilio call status");
        };
    }

    /**
     * A {@code <Dial>} child leg (to an agent): it decides whether a person answered the parent call. It never ends the
     * call (the parent's completion does) and, not answered, it says "missed" (several agents may be dialled; one
     * answering wins, since an answered call keeps its answer time).
     */
    private static EventDraft childLeg(String eventId, String callId, OffsetDateTime at, String status, Long duration, boolean machine) {
        return switch (status) {
            case "queued", "initiated", "ringing" -> new EventDraft(eventId, callId, "call.updated", at);
            case "in-progress" -> machine ? new EventDraft(eventId, callId, "call.updated", at).status("missed")
                    : new EventDraft(eventId, callId, "call.answered", at).status("answered").answeredAt(at);
            case "completed" -> duration != null && duration > 0 && !machine
                    ? new EventDraft(eventId, callId, "call.updated", at).status("answered").answeredAt(at.minusSeconds(duration))
                    .endedAt(at).durationSeconds(duration)
                    : new EventDraft(eventId, callId, "call.updated", at).status("missed");
            case "busy", "no-answer", "failed", "canceled" -> new EventDraft(eventId, callId, "call.updated", at).status("missed");
            default -> throw Payloads.invalid("CallStatus", "is not a Twilio call status");
        };
    }

    /** A {@code <Dial action>} request: the parent call's parameters plus the {@code <Dial>} outcome. */
    public static boolean isDialAction(Map<String, List<String>> form) {
        return Payloads.first(form, "DialCallStatus") != null && Payloads.first(form, "RecordingStatus") == null;
    }

    /** The answer to a {@code <Dial action>} request: TwiML, since Twilio executes it. An empty Response hangs up. */
    public static final String DIAL_ACTION_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    /**
     * The {@code <Dial action>} callback on the parent (customer) leg: {@code DialCallStatus} says whether the dialled
     * agent answered ({@code completed}/{@code answered} with talk time) or not ({@code busy}, {@code no-answer},
     * {@code failed}, {@code canceled}), {@code DialCallDuration} the talk time. Our answer is an empty TwiML Response,
     * so Twilio hangs up: the call ends here. A later status callback of the parent only adds its own times.
     */
    private CallEvent dialAction(ProviderRequest r, Map<String, List<String>> f, String callSid) {
        String dialStatus = lower(Payloads.first(f, "DialCallStatus"));
        if (!List.of("completed", "answered", "busy", "no-answer", "failed", "canceled").contains(dialStatus)) {
            throw Payloads.invalid("DialCallStatus", "is not a Twilio <Dial> status");
        }
        Long talk = seconds(f, "DialCallDuration");
        OffsetDateTime at = time(f, "Timestamp");
        String dialSid = Payloads.first(f, "DialCallSid");
        String eventId = "twilio:" + callSid + ":dial:" + (dialSid != null ? dialSid : dialStatus);
        boolean answered = (dialStatus.equals("completed") || dialStatus.equals("answered")) && (talk == null || talk > 0);
        EventDraft e = new EventDraft(eventId, "twilio:" + callSid, "call.ended", at).endedAt(at);
        if (answered) {
            e.status("answered").durationSeconds(talk);
            if (talk != null) {
                e.answeredAt(at.minusSeconds(talk));
            }
        } else {
            e.status("missed").durationSeconds(0L);
        }
        String from = Payloads.first(f, "From");
        String to = Payloads.first(f, "To");
        boolean agentOriginated = isIdentity(from);
        String twilioDirection = lower(Payloads.first(f, "Direction"));
        String direction = (twilioDirection == null || twilioDirection.equals("inbound")) && !agentOriginated ? "inbound" : "outbound";
        e.direction(direction).from(from, r.region()).to(to, r.region());
        e.agent(identity(agentOriginated ? from : null));
        return extras(e, r, f).build();
    }

    private List<CallEvent> recording(ProviderRequest r, Map<String, List<String>> f, String callSid) {
        String status = lower(Payloads.first(f, "RecordingStatus"));
        String url = Payloads.first(f, "RecordingUrl");
        if (!"completed".equals(status) || url == null) {
            return List.of();
        }
        String parent = Payloads.first(f, "ParentCallSid");
        OffsetDateTime at;
        if (Payloads.first(f, "RecordingStartTime") != null) {
            Long d = seconds(f, "RecordingDuration");
            at = Times.rfc2822(Payloads.first(f, "RecordingStartTime"), "RecordingStartTime").plusSeconds(d == null ? 0 : d);
        } else {
            at = time(f, "Timestamp");
        }
        String eventId = "twilio:" + callSid + ":rec:" + Payloads.first(f, "RecordingSid");
        return List.of(new EventDraft(eventId, "twilio:" + (parent != null ? parent : callSid), "call.updated", at)
                .recording(url).build());
    }

    private static String eventId(Map<String, List<String>> f, String callSid, String status) {
        String seq = Payloads.first(f, "SequenceNumber");
        if (seq != null) {
            if (!seq.matches("[0-9]{1,9}")) {
                throw Payloads.invalid("SequenceNumber", "must be a whole number");
            }
            return "twilio:" + callSid + ":" + seq;
        }
        // only signed parameters: the I-Twilio-Idempotency-Token header is not signed, so anyone replaying a signed
        // request with a fresh header would get it stored again
        return "twilio:" + callSid + ":" + status;
    }

    private OffsetDateTime time(Map<String, List<String>> f, String field) {
        String t = Payloads.first(f, field);
        // the first voice request has no Timestamp: the arrival time is the best there is
        return t == null ? Times.now(clock) : Times.rfc2822(t, field);
    }

    private static Long seconds(Map<String, List<String>> f, String field) {
        String s = Payloads.first(f, field);
        if (s == null) {
            return null;
        }
        if (!s.matches("[0-9]{1,9}")) {
            throw Payloads.invalid(field, "must be a whole number of seconds");
        }
        return Long.parseLong(s);
    }

    private static boolean isIdentity(String party) {
        return party != null && (party.startsWith("client:") || party.startsWith("sip:"));
    }

    /** {@code client:alice} → alice; {@code sip:alice@pbx.example} → alice@pbx.example; a phone number → null. */
    private static CallEvent.Agent identity(String party) {
        if (!isIdentity(party)) {
            return null;
        }
        String id = party.substring(party.indexOf(':') + 1);
        int semi = id.indexOf(';');
        if (semi >= 0) {
            id = id.substring(0, semi);
        }
        return id.isBlank() ? null : new CallEvent.Agent(id, null, null);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
