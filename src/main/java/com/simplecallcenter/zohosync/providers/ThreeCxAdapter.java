package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.ingest.CallEvent;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 3CX CRM-template {@code ReportCall} journaling (telephony-webhooks.md §5.1): a JSON object (or a form) whose keys are
 * the template variables without brackets ({@code CallType}, {@code Number}, {@code Agent}, {@code AgentEmail},
 * {@code Duration}, {@code CallStartTimeUTC}, …; matched ignoring case, {@code _} and {@code -}).
 * {@code CallType} decides: {@code Inbound}/{@code Outbound} answered, {@code Missed} a missed inbound call,
 * {@code Notanswered} an unanswered outbound call.
 *
 * <p>3CX gives {@code ReportCall} no call id, so one is derived: {@code 3cx:} + the first 32 hex digits of
 * SHA-256({@code "3cx|" + start time in UTC to the second + "|" + agent extension + "|" + E.164 number + "|" + call type}).
 * The same report delivered again gives the same id (one stored event); two calls differ in at least one of them.
 */
public final class ThreeCxAdapter implements ProviderAdapter {

    private final ExtensionDirectory extensions;

    public ThreeCxAdapter(ExtensionDirectory extensions) {
        this.extensions = extensions;
    }

    @Override
    public List<CallEvent> adapt(ProviderRequest r) {
        Map<String, String> f = fields(r);
        String callType = f.get("calltype");
        if (callType == null) {
            throw Payloads.invalid("CallType", "is required (Inbound, Outbound, Missed or Notanswered)");
        }
        String type = callType.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        String direction;
        String status;
        switch (type) {
            case "inbound" -> { direction = "inbound"; status = "answered"; }
            case "outbound" -> { direction = "outbound"; status = "answered"; }
            case "missed" -> { direction = "inbound"; status = "missed"; }
            case "notanswered" -> { direction = "outbound"; status = "no-answer"; }
            default -> throw Payloads.invalid("CallType", "must be Inbound, Outbound, Missed or Notanswered");
        }
        String number = f.get("number");
        if (number == null) {
            throw Payloads.invalid("Number", "is required");
        }
        OffsetDateTime start = start(f, r);
        if (start == null) {
            throw Payloads.invalid("CallStartTimeUTC", "is required (or CallStartTimeLocal / DateTime)");
        }
        Long duration = duration(f.get("duration"));
        OffsetDateTime answered = f.get("callestablishedtimeutc") == null ? null : Times.isoUtc(f.get("callestablishedtimeutc"), "CallEstablishedTimeUTC");
        OffsetDateTime ended = f.get("callendtimeutc") == null ? null : Times.isoUtc(f.get("callendtimeutc"), "CallEndTimeUTC");
        boolean isAnswered = status.equals("answered");
        if (ended == null) {
            ended = (isAnswered && answered != null ? answered : start).plusSeconds(duration == null ? 0 : duration);
        }
        if (isAnswered && answered == null) {
            answered = duration == null ? start : ended.minusSeconds(duration);
        }
        String agentExt = f.get("agent");
        String normalized = PhoneNumbers.normalize(number, r.region()).orElse(number.trim());
        String key = "3cx|" + start.withOffsetSameInstant(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                + "|" + (agentExt == null ? "" : agentExt) + "|" + normalized + "|" + type;
        String callId = "3cx:" + EventDraft.sha256Hex(key).substring(0, 32);
        EventDraft e = new EventDraft(callId + ":report", callId, "call.ended", ended)
                .direction(direction).status(status).startedAt(start).endedAt(ended)
                .durationSeconds(isAnswered ? (duration != null ? duration : 0L) : 0L);
        if (isAnswered) {
            e.answeredAt(answered);
        }
        String ours = agentExt != null ? agentExt : f.get("queueextension");
        if (direction.equals("inbound")) {
            e.from(number, r.region()).to(ours, r.region());
        } else {
            e.from(ours, r.region()).to(number, r.region());
        }
        String agentName = join(f.get("agentfirstname"), f.get("agentlastname"));
        CallEvent.Agent agent = extensions.agentOrExtension("3cx", agentExt, agentName);
        if (f.get("agentemail") != null) {
            agent = new CallEvent.Agent(agent == null ? null : agent.id(), f.get("agentemail"), agent == null ? agentName : agent.name());
        }
        e.agent(agent);
        String name = f.get("name");
        if (name != null) {
            int space = name.lastIndexOf(' ');
            e.caller(f.get("email"), space > 0 ? name.substring(0, space) : null, space > 0 ? name.substring(space + 1) : name, f.get("company"));
        }
        e.notes(f.get("summary"));
        e.recording(f.get("recordingurl"));
        return List.of(e.build());
    }

    /** The body's fields by normalized name (lower case, letters and digits only). */
    private static Map<String, String> fields(ProviderRequest r) {
        Map<String, String> f = new HashMap<>();
        if (r.isForm()) {
            r.form().forEach((k, v) -> {
                if (!v.isEmpty() && !v.get(0).isBlank()) {
                    f.putIfAbsent(norm(k), v.get(0).trim());
                }
            });
            return f;
        }
        JsonNode root = r.json();
        if (!root.isObject()) {
            throw Payloads.invalid("$", "must be a JSON object");
        }
        root.fields().forEachRemaining(e -> {
            String v = Payloads.text(root, e.getKey());
            if (v != null && !v.startsWith("[")) {
                // "[Agent]" left as is means the template variable was empty
                f.putIfAbsent(norm(e.getKey()), v);
            }
        });
        return f;
    }

    private static String norm(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static OffsetDateTime start(Map<String, String> f, ProviderRequest r) {
        if (f.get("callstarttimeutc") != null) {
            return Times.isoUtc(f.get("callstarttimeutc"), "CallStartTimeUTC");
        }
        if (f.get("callstarttimelocal") != null) {
            return Times.isoIn(f.get("callstarttimelocal"), r.zone(), "CallStartTimeLocal");
        }
        if (f.get("datetime") != null) {
            return Times.isoIn(f.get("datetime"), r.zone(), "DateTime");
        }
        return null;
    }

    /** {@code hh:mm:ss}, {@code mm:ss} or whole seconds. */
    static Long duration(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        if (t.matches("[0-9]{1,9}")) {
            return Long.parseLong(t);
        }
        if (t.matches("[0-9]{1,4}:[0-5]?[0-9](:[0-5]?[0-9])?(\\.[0-9]+)?")) {
            String[] p = t.replaceAll("\\.[0-9]+$", "").split(":");
            long total = 0;
            for (String part : p) {
                total = total * 60 + Long.parseLong(part);
            }
            return total;
        }
        throw Payloads.invalid("Duration", "must be hh:mm:ss or whole seconds");
    }

    private static String join(String a, String b) {
        String s = ((a == null ? "" : a) + " " + (b == null ? "" : b)).trim();
        return s.isEmpty() ? null : s;
    }
}
