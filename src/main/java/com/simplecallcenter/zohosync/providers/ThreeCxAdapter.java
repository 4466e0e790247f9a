package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * 3CX CRM-template {@code ReportCall} journaling: a JSON object or form whose keys the template's author chose, read
 * through {@link ThreeCxKeys}. 3CX gives the report no call id, so unless the template sends one it is a hash of
 * what tells two calls apart (start, agent, number, type, duration): the same report sent twice is one event.
 * docs/providers.md, "3CX", maps every field.
 */
public final class ThreeCxAdapter implements ProviderAdapter {

    private static final java.util.regex.Pattern RECORD_ID = java.util.regex.Pattern.compile("[0-9]{5,30}");

    private final ExtensionDirectory extensions;
    private final ThreeCxKeys keys;

    public ThreeCxAdapter(ExtensionDirectory extensions) {
        this(extensions, ThreeCxKeys.defaults());
    }

    public ThreeCxAdapter(ExtensionDirectory extensions, ThreeCxKeys keys) {
        this.extensions = extensions;
        this.keys = keys;
    }

    @Override
    public List<CallEvent> adapt(ProviderRequest r) {
        Map<String, String> f = fields(r);
        Long duration = duration(f, "duration");
        OffsetDateTime start = time(f, r, "startUtc", "startLocal");
        OffsetDateTime answered = time(f, r, "answeredUtc", "answeredLocal");
        OffsetDateTime ended = time(f, r, "endedUtc", "endedLocal");
        String[] outcome = outcome(f, duration, answered);
        String direction = outcome[0];
        String status = outcome[1];
        String type = outcome[2];
        String number = keys.get(f, "number");
        if (number == null) {
            throw Payloads.invalid("Number", "is required (the external party's number, 3CX's [Number])");
        }
        if (start == null) {
            start = ended != null ? ended.minusSeconds(duration == null ? 0 : duration) : null;
        }
        if (start == null) {
            throw Payloads.invalid("CallStartTimeUTC", "is required (or CallStartTimeLocal / DateTime, or CallEndTimeUTC)");
        }
        boolean isAnswered = status.equals("answered");
        if (ended == null) {
            ended = (isAnswered && answered != null ? answered : start).plusSeconds(duration == null ? 0 : duration);
        }
        if (isAnswered && answered == null) {
            answered = duration == null ? start : ended.minusSeconds(duration);
        }
        String agentExt = keys.get(f, "agent");
        String normalized = PhoneNumbers.normalize(number, r.region()).orElse(number.trim());
        String sentId = keys.get(f, "callId");
        String callId;
        if (sentId != null && sentId.matches("[A-Za-z0-9._:-]{1,100}")) {
            callId = "3cx:" + sentId;
        } else {
            String key = "3cx|" + start.withOffsetSameInstant(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    + "|" + (agentExt == null ? "" : agentExt) + "|" + normalized + "|" + type
                    + "|" + (duration == null ? "" : duration);
            callId = "3cx:" + EventDraft.sha256Hex(key).substring(0, 32);
        }
        EventDraft e = new EventDraft(callId + ":report", callId, "call.ended", ended)
                .direction(direction).status(status).startedAt(start).endedAt(ended)
                .durationSeconds(isAnswered ? (duration != null ? duration : 0L) : 0L);
        if (isAnswered) {
            e.answeredAt(answered);
        }
        String ours = agentExt != null ? agentExt : keys.get(f, "queue");
        if (direction.equals("inbound")) {
            e.from(number, r.region()).to(ours, r.region());
        } else {
            e.from(ours, r.region()).to(number, r.region());
        }
        String agentName = keys.get(f, "agentName");
        if (agentName == null) {
            agentName = join(keys.get(f, "agentFirstName"), keys.get(f, "agentLastName"));
        }
        CallEvent.Agent agent = extensions.forTenant(r.tenant()).agentOrExtension("3cx", agentExt, agentName);
        String agentEmail = keys.get(f, "agentEmail");
        if (agentEmail != null) {
            agent = new CallEvent.Agent(agent == null ? null : agent.id(), agentEmail, agent == null ? agentName : agent.name());
        }
        e.agent(agent);
        String name = keys.get(f, "name");
        String email = keys.get(f, "email");
        String company = keys.get(f, "company");
        if (name != null || email != null || company != null) {
            int space = name == null ? -1 : name.trim().lastIndexOf(' ');
            e.caller(email, space > 0 ? name.trim().substring(0, space) : null,
                    name == null ? null : space > 0 ? name.trim().substring(space + 1) : name.trim(), company);
        }
        String transcript = keys.get(f, "transcript");
        boolean transcriptLink = transcript != null && transcript.matches("(?i)https?://\\S+");
        e.notes(notes(keys.get(f, "summary"), transcriptLink ? null : transcript));
        e.recording(keys.get(f, "recording"));
        if (transcriptLink) {
            e.transcript(transcript);
        }
        zohoRecord(f).ifPresent(rec -> e.zohoRecord(rec[0], rec[1]));
        return List.of(e.build());
    }

    /** {direction, status, call type for the derived id}. */
    private String[] outcome(Map<String, String> f, Long duration, OffsetDateTime answered) {
        String callType = keys.get(f, "callType");
        String type = callType == null ? "" : callType.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        switch (type) {
            case "inbound", "incoming", "in", "inboundcall", "incomingcall" -> {
                return new String[] {"inbound", "answered", "inbound"};
            }
            case "outbound", "outgoing", "out", "outboundcall", "outgoingcall" -> {
                return new String[] {"outbound", "answered", "outbound"};
            }
            case "missed", "missedcall", "inboundmissed", "missedinbound" -> {
                return new String[] {"inbound", "missed", "missed"};
            }
            case "notanswered", "unanswered", "noanswer", "outboundnotanswered", "outboundunanswered" -> {
                return new String[] {"outbound", "no-answer", "notanswered"};
            }
            case "", "answered", "unknown" -> {
                // no call type (or only "answered"): the direction and whether anyone talked decide
            }
            default -> throw Payloads.invalid(keys.keyOf(f, "callType"), "must be Inbound, Outbound, Missed or Notanswered");
        }
        String dir = keys.get(f, "direction");
        String d = dir == null ? "" : dir.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        String direction = switch (d) {
            case "inbound", "incoming", "in" -> "inbound";
            case "outbound", "outgoing", "out" -> "outbound";
            default -> null;
        };
        if (direction == null) {
            throw callType == null
                    ? Payloads.invalid("CallType", "is required (Inbound, Outbound, Missed or Notanswered), or CallDirection Inbound/Outbound")
                    : Payloads.invalid(keys.keyOf(f, "direction"), "must be Inbound or Outbound when the call type is '" + callType + "'");
        }
        boolean talked = type.equals("answered") || answered != null || (duration != null && duration > 0);
        if (direction.equals("inbound")) {
            return talked ? new String[] {"inbound", "answered", "inbound"} : new String[] {"inbound", "missed", "missed"};
        }
        return talked ? new String[] {"outbound", "answered", "outbound"} : new String[] {"outbound", "no-answer", "notanswered"};
    }

    /** {module, id} when the body names the customer's Lead or Contact. */
    private Optional<String[]> zohoRecord(Map<String, String> f) {
        String lead = keys.get(f, "leadId");
        if (lead != null && RECORD_ID.matcher(lead).matches()) {
            return Optional.of(new String[] {"Leads", lead});
        }
        String contact = keys.get(f, "contactId");
        if (contact != null && RECORD_ID.matcher(contact).matches()) {
            return Optional.of(new String[] {"Contacts", contact});
        }
        String id = keys.get(f, "recordId");
        String module = keys.get(f, "recordModule");
        if (id == null || module == null || !RECORD_ID.matcher(id).matches()) {
            return Optional.empty();
        }
        String m = module.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        if (m.equals("lead") || m.equals("leads")) {
            return Optional.of(new String[] {"Leads", id});
        }
        if (m.equals("contact") || m.equals("contacts")) {
            return Optional.of(new String[] {"Contacts", id});
        }
        return Optional.empty();
    }

    private static String notes(String summary, String transcript) {
        if (transcript == null) {
            return summary;
        }
        return summary == null ? "Transcript:\n" + transcript : summary + "\n\nTranscript:\n" + transcript;
    }

    /** The body's fields by normalized key (lower case, letters and digits only). */
    private static Map<String, String> fields(ProviderRequest r) {
        Map<String, String> f = new HashMap<>();
        if (r.isForm()) {
            r.form().forEach((k, v) -> {
                if (!v.isEmpty() && !v.get(0).isBlank() && !unfilled(v.get(0))) {
                    f.putIfAbsent(ThreeCxKeys.norm(k), v.get(0).trim());
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
            if (v != null && !unfilled(v)) {
                f.putIfAbsent(ThreeCxKeys.norm(e.getKey()), v);
            }
        });
        return f;
    }

    /** "[Agent]" left as is means the template variable was empty. */
    private static boolean unfilled(String v) {
        String t = v.trim();
        return t.startsWith("[") && t.endsWith("]");
    }

    private OffsetDateTime time(Map<String, String> f, ProviderRequest r, String utcField, String localField) {
        String utc = keys.get(f, utcField);
        if (utc != null) {
            return Times.localIn(utc, ZoneOffset.UTC, r.region(), keys.keyOf(f, utcField));
        }
        String local = keys.get(f, localField);
        return local == null ? null : Times.localIn(local, r.zone(), r.region(), keys.keyOf(f, localField));
    }

    private Long duration(Map<String, String> f, String field) {
        String v = keys.get(f, field);
        try {
            return duration(v);
        } catch (RuntimeException e) {
            throw Payloads.invalid(keys.keyOf(f, field), "must be hh:mm:ss or whole seconds");
        }
    }

    /** {@code hh:mm:ss}, {@code mm:ss} or whole seconds. */
    /** {@code hh:mm:ss}, {@code mm:ss}, .NET's {@code d.hh:mm:ss}, or seconds (whole or with a fraction, rounded). */
    static Long duration(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        if (t.matches("[0-9]{1,9}")) {
            return Long.parseLong(t);
        }
        if (t.matches("[0-9]{1,9}[.,][0-9]{1,9}")) {
            return Math.round(Double.parseDouble(t.replace(',', '.')));
        }
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?:([0-9]{1,4})\\.)?([0-9]{1,4}):([0-5]?[0-9])(?::([0-5]?[0-9]))?(?:[.,][0-9]+)?").matcher(t);
        if (m.matches()) {
            long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
            long a = Long.parseLong(m.group(2));
            long b = Long.parseLong(m.group(3));
            long total = m.group(4) == null ? a * 60 + b : (a * 60 + b) * 60 + Long.parseLong(m.group(4));
            return days * 86400 + total;
        }
        throw Payloads.invalid("Duration", "must be hh:mm:ss or whole seconds");
    }

    private static String join(String a, String b) {
        String s = ((a == null ? "" : a) + " " + (b == null ? "" : b)).trim();
        return s.isEmpty() ? null : s;
    }
}
