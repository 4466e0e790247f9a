package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.config.SubjectTemplate;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.zoho.ZohoFieldLimits;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Optional;

/**
 * Maps a merged call to the fields of a Zoho Call activity. Zoho refuses Inbound and Outbound
 * calls of zero duration, so: inbound unanswered → {@code Missed}; outbound unanswered → per
 * {@code scc.zoho.outbound-unanswered}: {@code missed} (logged as Missed, 00:00), {@code outbound-min-duration}
 * (Outbound of 00:01) or {@code skip} (no Call at all).
 */
public final class CallMapper {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    /** Zoho DateTime: always a numeric offset ({@code +00:00}, never {@code Z}). */
    static final DateTimeFormatter ZOHO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private final SyncSettings settings;
    private final ObjectMapper mapper;

    public CallMapper(SyncSettings settings, ObjectMapper mapper) {
        this.settings = settings;
        this.mapper = mapper;
    }

    /** The person the Call is linked to: a Contact goes in {@code Who_Id}, a Lead in {@code What_Id} + {@code $se_module}. */
    public record Link(String module, String id) {
    }

    public String callType(CallState s) {
        if (s.answered()) {
            return s.inbound() ? "Inbound" : "Outbound";
        }
        if (s.inbound()) {
            return "Missed";
        }
        return switch (settings.outboundUnanswered()) {
            case "outbound-min-duration" -> "Outbound";
            case "skip" -> null;
            default -> "Missed";
        };
    }

    /** The Call's fields with every link the call has, or empty when the configuration says not to log this call. */
    public Optional<ObjectNode> toCall(CallState s, Link link, String ownerId) {
        return toCall(s, link, ownerId, null, s.call().links());
    }

    /**
     * As above, carrying only {@code links}; {@code related} (a Deal or Account, from the optional route deal-links)
     * goes in {@code What_Id} of a Call whose person is a Contact.
     */
    public Optional<ObjectNode> toCall(CallState s, Link link, String ownerId, Link related, CallEvent.Links links) {
        String type = callType(s);
        if (type == null) {
            return Optional.empty();
        }
        CallEvent c = s.call();
        ObjectNode call = mapper.createObjectNode();
        call.put("Subject", ZohoFieldLimits.fit(subject(s), 255));
        call.put("Call_Type", type);
        call.put("Call_Start_Time", ZOHO_TIME.format(s.startTime()));
        long seconds = type.equals("Missed") ? 0 : Math.max(1, s.answered() ? s.durationSeconds() : 1);
        call.put("Call_Duration", duration(seconds));
        if (!type.equals("Missed")) {
            call.put("Outgoing_Call_Status", "Completed");
        }
        if (link != null) {
            if (link.module().equals("Contacts")) {
                call.putObject("Who_Id").put("id", link.id());
                if (related != null) {
                    call.putObject("What_Id").put("id", related.id());
                    call.put("$se_module", related.module());
                }
            } else {
                call.putObject("What_Id").put("id", link.id());
                call.put("$se_module", link.module());
            }
        }
        if (ownerId != null) {
            call.putObject("Owner").put("id", ownerId);
        }
        if (s.inbound()) {
            call.put("Caller_ID", c.from());
        } else {
            call.put("Dialled_Number", c.to());
        }
        String description = description(s, links);
        if (!description.isEmpty()) {
            call.put("Description", description);
        }
        if (links != null && links.recording() != null) {
            call.put("Voice_Recording__s", links.recording());
        }
        call.put(settings.callIdField(), c.callId());
        return Optional.of(call);
    }

    /**
     * The subject from {@code scc.zoho.call-subject-template}: {@code {direction}}/{@code {Direction}} (inbound,
     * Inbound), {@code {fromTo}} ("from +1415…" or "to +1415…"), {@code {number}} (the customer's number),
     * {@code {status}}, {@code {agent}} (agent name), {@code {callId}}.
     */
    public String subject(CallState s) {
        return subject(s, settings.subjectTemplate());
    }

    /** The subject {@code template} (a tenant's own) gives the call. */
    public static String subject(CallState s, String template) {
        return SubjectTemplate.render(template, subjectValues(s));
    }

    /** The value of each subject placeholder ({@link SubjectTemplate#PLACEHOLDERS}) for this call. */
    public static Map<String, String> subjectValues(CallState s) {
        CallEvent c = s.call();
        String direction = c.direction() == null || c.direction().isEmpty() ? "inbound" : c.direction();
        String number = s.customerNumber() == null ? "unknown" : s.customerNumber();
        Map<String, String> v = new java.util.LinkedHashMap<>();
        v.put("Direction", Character.toUpperCase(direction.charAt(0)) + direction.substring(1));
        v.put("direction", direction);
        v.put("fromTo", (s.inbound() ? "from " : "to ") + number);
        v.put("number", number);
        v.put("status", c.status() != null ? c.status() : (s.answered() ? "answered" : "unanswered"));
        v.put("agent", c.agent() != null && c.agent().name() != null ? c.agent().name() : "");
        v.put("callId", c.callId());
        return v;
    }

    /** {@code mm:ss} below an hour, {@code hh:mm:ss} from an hour on. */
    public static String duration(long seconds) {
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long sec = seconds % 60;
        return h > 0 ? String.format("%02d:%02d:%02d", h, m, sec) : String.format("%02d:%02d", m, sec);
    }

    /**
     * The Description from {@code scc.zoho.call-description-template}, line by line: {@code {notes}},
     * {@code {tags}} ("Tags: a, b"), {@code {agent}} ("Agent: name"), {@code {links}} (a line per link),
     * {@code {recording}}/{@code {transcript}}/{@code {summary}} (the bare link), {@code {callId}}, {@code {status}},
     * {@code {direction}}, {@code {number}}, {@code {duration}}. A line whose placeholders are all empty is left out.
     */
    String description(CallState s, CallEvent.Links links) {
        CallEvent c = s.call();
        Map<String, String> values = new HashMap<>();
        values.put("notes", c.notes() == null ? "" : c.notes().trim());
        values.put("tags", c.tags() == null || c.tags().isEmpty() ? "" : "Tags: " + String.join(", ", c.tags()));
        values.put("agent", c.agent() == null || c.agent().name() == null ? "" : "Agent: " + c.agent().name());
        List<String> linkLines = new ArrayList<>();
        if (links != null) {
            if (links.recording() != null) {
                linkLines.add("Recording: " + links.recording());
            }
            if (links.transcript() != null) {
                linkLines.add("Transcript: " + links.transcript());
            }
            if (links.summary() != null) {
                linkLines.add("Summary: " + links.summary());
            }
        }
        values.put("links", String.join("\n", linkLines));
        values.put("recording", links == null || links.recording() == null ? "" : links.recording());
        values.put("transcript", links == null || links.transcript() == null ? "" : links.transcript());
        values.put("summary", links == null || links.summary() == null ? "" : links.summary());
        values.put("callId", c.callId());
        values.put("status", c.status() != null ? c.status() : (s.answered() ? "answered" : "unanswered"));
        values.put("direction", c.direction() == null ? "" : c.direction());
        values.put("number", s.customerNumber() == null ? "" : s.customerNumber());
        values.put("duration", c.durationSeconds() == null ? "" : duration(c.durationSeconds()));
        List<String> lines = new ArrayList<>();
        for (String line : settings.descriptionTemplate().split("\n", -1)) {
            Matcher m = PLACEHOLDER.matcher(line);
            StringBuilder out = new StringBuilder();
            boolean any = false;
            boolean anyFilled = false;
            while (m.find()) {
                any = true;
                String v = values.getOrDefault(m.group(1), "");
                anyFilled |= !v.isEmpty();
                m.appendReplacement(out, Matcher.quoteReplacement(v));
            }
            m.appendTail(out);
            if ((!any || anyFilled) && !out.toString().isBlank()) {
                lines.add(out.toString());
            }
        }
        return ZohoFieldLimits.fit(String.join("\n", lines), 32_000);
    }

    static OffsetDateTime parse(String zohoTime) {
        return OffsetDateTime.parse(zohoTime, ZOHO_TIME);
    }
}
