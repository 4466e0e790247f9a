package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.inbox.CallEvent;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * RingCentral telephony-session notifications: one notification is one event of the call {@code telephonySessionId},
 * seen from our party (the first party on an extension of the account). Its time is {@code eventTime} plus
 * {@code sequence} microseconds, so two notifications of the same millisecond apply in sequence order. Call-log
 * records posted to the same endpoint go to {@link RingCentralCallLog} (docs/providers.md, "RingCentral").
 */
public final class RingCentralAdapter implements ProviderAdapter {

    private static final Set<String> TRANSFER_REASONS = Set.of("blindtransfer", "attendedtransfer", "callerinputredirect",
            "pickup", "callpark", "parked", "transfer");

    private final ExtensionDirectory extensions;
    private final RingCentralCallLog callLog;

    public RingCentralAdapter(ExtensionDirectory extensions) {
        this.extensions = extensions;
        this.callLog = new RingCentralCallLog(this);
    }

    @Override
    public List<CallEvent> adapt(ProviderRequest r) {
        JsonNode root = r.json();
        if (RingCentralCallLog.isCallLog(root)) {
            return callLog.adapt(root, r);
        }
        if (!root.isObject()) {
            throw Payloads.invalid("$", "must be a JSON object");
        }
        JsonNode body = root.get("body");
        if (body == null || !body.isObject()) {
            throw Payloads.invalid("body", "must be the notification body (or post call-log records: one record with "
                    + "startTime, or {\"records\": [...]})");
        }
        String session = Payloads.text(body, "telephonySessionId");
        if (session == null) {
            // not a telephony-session notification (other event filters on the same subscription)
            return List.of();
        }
        JsonNode parties = body.get("parties");
        if (parties == null || !parties.isArray() || parties.isEmpty()) {
            return List.of();
        }
        JsonNode party = parties.get(0);
        for (JsonNode p : parties) {
            if (Payloads.text(p, "extensionId") != null) {
                party = p;
                break;
            }
        }
        Long sequence = Payloads.number(body, "sequence", "body.sequence");
        String eventTime = Payloads.text(body, "eventTime");
        if (eventTime == null) {
            eventTime = Payloads.text(root, "timestamp");
        }
        if (eventTime == null) {
            throw Payloads.invalid("body.eventTime", "is required");
        }
        OffsetDateTime at = Times.isoUtc(eventTime, "body.eventTime");
        String eventId;
        if (sequence != null) {
            at = at.plusNanos(Math.min(Math.max(sequence, 0), 999) * 1000);
            eventId = "ringcentral:" + session + ":" + sequence + ":" + (Payloads.text(party, "id") == null ? "0" : Payloads.text(party, "id"));
        } else if (Payloads.text(root, "uuid") != null) {
            eventId = "ringcentral:" + session + ":" + Payloads.text(root, "uuid");
        } else {
            throw Payloads.invalid("body.sequence", "is required");
        }
        String direction = lower(Payloads.text(party, "direction"));
        if (!"inbound".equals(direction) && !"outbound".equals(direction)) {
            throw Payloads.invalid("body.parties[].direction", "must be Inbound or Outbound");
        }
        // a party without an extension is the far end (the PSTN caller or callee): its direction is the call's, seen
        // from the other side, and it counts only where none of our extensions' notifications names the parties
        boolean farEnd = Payloads.text(party, "extensionId") == null;
        if (farEnd) {
            direction = "inbound".equals(direction) ? "outbound" : "inbound";
        }
        JsonNode status = party.get("status");
        String code = status == null ? null : lower(Payloads.text(status, "code"));
        String reason = status == null ? null : lower(Payloads.text(status, "reason"));
        if (code == null) {
            throw Payloads.invalid("body.parties[].status.code", "is required");
        }
        boolean missed = party.path("missedCall").asBoolean(false);
        String callId = "ringcentral:" + session;
        EventDraft e = switch (code) {
            case "setup", "proceeding" -> new EventDraft(eventId, callId, "call.started", at).status("ringing").startedAt(at);
            // talk time leaves hold out (RingCentral's "Calculating call time metrics"): Hold starts it, Answered ends it
            // the far end "answers" when anything picks up (an IVR, a queue): only an extension's answer is certain
            case "answered" -> farEnd ? new EventDraft(eventId, callId, "call.updated", at).impliedOutcome("answered", at, null)
                    : new EventDraft(eventId, callId, "call.answered", at).status("answered").answeredAt(at).hold(CallEvent.HOLD_END);
            case "hold" -> new EventDraft(eventId, callId, "call.updated", at).hold(CallEvent.HOLD_START);
            case "voicemail", "voicemailscreening", "vmscreening" -> new EventDraft(eventId, callId, "call.updated", at)
                    .status("inbound".equals(direction) ? "voicemail" : "no-answer");
            case "disconnected", "gone" -> {
                if (reason != null && TRANSFER_REASONS.contains(reason)) {
                    yield new EventDraft(eventId, callId, "call.updated", at);
                }
                EventDraft end = new EventDraft(eventId, callId, "call.ended", at).endedAt(at).hold(CallEvent.HOLD_END);
                if (missed) {
                    end.status("inbound".equals(direction) ? "missed" : "no-answer").durationSeconds(0L);
                } else if ("rejected".equals(reason) || "noanswer".equals(reason) || "cancelled".equals(reason)
                        || "targetbusy".equals(reason) || "invalidnumber".equals(reason)) {
                    end.status("inbound".equals(direction) ? "missed" : "targetbusy".equals(reason) ? "busy" : "no-answer")
                            .durationSeconds(0L);
                } else {
                    // RingCentral flags a party that never answered (missedCall): alone, this end is an answered call
                    // whose talk time the Answered event or the call-log record gives
                    end.impliedOutcome("answered", null, null);
                }
                yield end;
            }
            default -> new EventDraft(eventId, callId, "call.updated", at);
        };
        JsonNode from = party.get("from");
        JsonNode to = party.get("to");
        String fromNumber = from == null ? null : Payloads.text(from, "phoneNumber");
        String toNumber = to == null ? null : Payloads.text(to, "phoneNumber");
        if (farEnd) {
            e.impliedParties(direction, fromNumber, toNumber, r.region());
        } else {
            e.direction(direction).from(fromNumber, r.region()).to(toNumber, r.region());
        }
        JsonNode ours = "inbound".equals(direction) ? to : from;
        String extensionId = Payloads.text(party, "extensionId");
        if (extensionId != null) {
            e.agent(agent(r.tenant(), extensionId, Payloads.text(ours, "extensionNumber"), Payloads.text(ours, "name")));
        }
        return List.of(e.build());
    }

    /**
     * The agent of our extension: the {@code agents.yaml} entry of its {@code extensionId}, else of its extension
     * number; unmapped, {@code ringcentral-ext:<extensionId>} (or the number when the id is unknown) with the party's
     * name. Null when neither is known.
     */
    CallEvent.Agent agent(String tenant, String extensionId, String extensionNumber, String name) {
        ExtensionDirectory extensions = this.extensions.forTenant(tenant);
        String key = extensionId != null ? extensionId : extensionNumber;
        if (key == null) {
            return null;
        }
        String fallback = "ringcentral-ext:" + key;
        return extensions.agent(extensionId).or(() -> extensions.agent(extensionNumber))
                .map(a -> new CallEvent.Agent(a.id() != null ? a.id() : fallback, a.email(), a.name() != null ? a.name() : name))
                .orElseGet(() -> new CallEvent.Agent(fallback, null, name));
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
