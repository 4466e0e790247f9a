package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.inbox.CallEvent;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Aircall call events. Routed on {@code event}; events of other resources are ignored.
 * Times are Unix seconds; {@code answered_at} null at the end of a call means not answered; the duration is the talk
 * time ({@code ended_at − answered_at}, Aircall's own {@code duration} includes ringing); the recording link is the
 * stable {@code asset} page, never the 10-minute {@code recording} URL. Aircall sends no event id: the identity is
 * {@code event:data.id}, plus the comment or tag ids (or the payload {@code timestamp}) for events that repeat on a call.
 */
public final class AircallAdapter implements ProviderAdapter {

    private static final Set<String> ENDS = Set.of("call.hungup", "call.ended");

    private final Clock clock;

    public AircallAdapter(Clock clock) {
        this.clock = clock;
    }

    /** The body without its top-level {@code token} (the webhook secret), as JSON bytes to store. */
    static byte[] withoutToken(JsonNode body) {
        JsonNode copy = body.deepCopy();
        if (copy instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            o.remove("token");
        }
        return copy.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public List<CallEvent> adapt(ProviderRequest r) {
        JsonNode root = r.json();
        if (!root.isObject()) {
            throw Payloads.invalid("$", "must be a JSON object");
        }
        String event = Payloads.text(root, "event");
        if (event == null) {
            throw Payloads.invalid("event", "is required");
        }
        if (!event.startsWith("call.")) {
            return List.of();
        }
        JsonNode d = root.get("data");
        if (d == null || !d.isObject()) {
            throw Payloads.invalid("data", "must be the call object");
        }
        Long id = Payloads.number(d, "id", "data.id");
        if (id == null) {
            throw Payloads.invalid("data.id", "is required");
        }
        String direction = lower(Payloads.text(d, "direction"));
        if (!"inbound".equals(direction) && !"outbound".equals(direction)) {
            throw Payloads.invalid("data.direction", "must be inbound or outbound");
        }
        Long sent = Payloads.number(root, "timestamp", "timestamp");
        OffsetDateTime startedAt = time(d, "started_at");
        OffsetDateTime answeredAt = time(d, "answered_at");
        OffsetDateTime endedAt = time(d, "ended_at");
        OffsetDateTime occurredAt = sent != null ? Times.unixSeconds(sent)
                : endedAt != null ? endedAt : startedAt != null ? startedAt : Times.now(clock);

        String type = switch (event) {
            case "call.created" -> "call.started";
            case "call.answered" -> "call.answered";
            case "call.hungup", "call.ended" -> "call.ended";
            default -> "call.updated";
        };
        EventDraft e = new EventDraft(eventId(event, id, root, d, sent), "aircall:" + id, type, occurredAt)
                .direction(direction).startedAt(startedAt);
        String external = Payloads.text(d, "raw_digits");
        JsonNode number = d.get("number");
        String line = number != null && number.isObject() ? Payloads.text(number, "digits") : null;
        if ("inbound".equals(direction)) {
            e.from(external, r.region()).to(line, r.region());
        } else {
            e.from(line, r.region()).to(external, r.region());
        }
        if (answeredAt != null) {
            e.answeredAt(answeredAt);
        }
        if (event.equals("call.created")) {
            e.status("ringing");
        } else if (event.equals("call.answered")) {
            e.status("answered");
        } else if (ENDS.contains(event) || ("done".equals(lower(Payloads.text(d, "status"))) && endedAt != null)) {
            // call.ended may be lost or filtered out: any event of a finished call ("done") carries its final state
            e.endedAt(endedAt);
            if (answeredAt != null) {
                e.status("answered");
                if (endedAt != null && !endedAt.isBefore(answeredAt)) {
                    e.durationSeconds(endedAt.toEpochSecond() - answeredAt.toEpochSecond());
                }
            } else {
                boolean voicemail = Payloads.text(d, "voicemail") != null || Payloads.text(d, "voicemail_short_url") != null;
                e.status("inbound".equals(direction) ? (voicemail ? "voicemail" : "missed") : "no-answer").durationSeconds(0L);
            }
        }
        JsonNode user = firstObject(d, "user", "assigned_to");
        if (user != null) {
            e.agent(Payloads.text(user, "id") == null ? null : "aircall:" + Payloads.text(user, "id"),
                    Payloads.text(user, "email"), Payloads.text(user, "name"));
        }
        JsonNode contact = d.get("contact");
        if (contact != null && contact.isObject()) {
            e.caller(contactEmail(contact), Payloads.text(contact, "first_name"), Payloads.text(contact, "last_name"),
                    Payloads.text(contact, "company_name"));
        }
        List<String> comments = new ArrayList<>();
        JsonNode cs = d.get("comments");
        if (cs != null && cs.isArray()) {
            cs.forEach(c -> {
                String content = Payloads.text(c, "content");
                if (content != null) {
                    comments.add(content);
                }
            });
        }
        if (!comments.isEmpty()) {
            e.notes(String.join("\n", comments));
        }
        JsonNode ts = d.get("tags");
        if (ts != null && ts.isArray()) {
            List<String> tags = new ArrayList<>();
            ts.forEach(t -> {
                String name = t.isTextual() ? t.asText() : Payloads.text(t, "name");
                if (name != null) {
                    tags.add(name);
                }
            });
            // tagged/untagged carry the call's whole tag list: an empty list clears it
            if (!tags.isEmpty() || event.equals("call.untagged") || event.equals("call.tagged")) {
                e.tags(tags);
            }
        }
        // the asset page is stable; recording/voicemail URLs expire after 10 minutes and are never stored
        e.recording(Payloads.text(d, "asset"));
        return List.of(e.build());
    }

    private static String eventId(String event, long id, JsonNode root, JsonNode d, Long sent) {
        String base = "aircall:" + event + ":" + id;
        return switch (event) {
            case "call.commented" -> base + ":" + ids(d.get("comments"));
            case "call.tagged", "call.untagged" -> base + ":" + ids(d.get("tags"));
            case "call.created", "call.answered", "call.hungup", "call.ended", "call.voicemail_left",
                 "call.comm_assets_generated", "call.archived" -> base;
            default -> base + ":" + (sent == null ? "0" : sent);
        };
    }

    /** The ids of a list (comments, tags), sorted: the same list gives the same key, a changed list a new one. */
    private static String ids(JsonNode list) {
        TreeSet<String> ids = new TreeSet<>();
        if (list != null && list.isArray()) {
            list.forEach(n -> {
                String i = Payloads.text(n, "id");
                if (i != null) {
                    ids.add(i);
                }
            });
        }
        String joined = String.join(".", ids);
        return joined.isEmpty() ? "none" : joined.length() > 60 ? EventDraft.sha256Hex(joined).substring(0, 32) : joined;
    }

    private static OffsetDateTime time(JsonNode d, String field) {
        Long s = Payloads.number(d, field, "data." + field);
        return s == null || s <= 0 ? null : Times.unixSeconds(s);
    }

    private static JsonNode firstObject(JsonNode d, String... fields) {
        for (String f : fields) {
            JsonNode n = d.get(f);
            if (n != null && n.isObject()) {
                return n;
            }
        }
        return null;
    }

    private static String contactEmail(JsonNode contact) {
        JsonNode emails = contact.get("emails");
        if (emails != null && emails.isArray() && emails.size() > 0) {
            JsonNode first = emails.get(0);
            return first.isTextual() ? first.asText() : Payloads.text(first, "value");
        }
        return null;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
