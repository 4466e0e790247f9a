package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.inbox.CallEvent;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Asterisk/FreePBX CDR rows posted as JSON by a bridge (FreePBX or AMI column names). The rows of one {@code linkedid}
 * are one call and become one {@code call.ended} event; calls between extensions are not CRM calls and are skipped.
 * CDR times have no zone, so they are read in the PBX's ({@code tz}, else {@code scc.asterisk.timezone}).
 * docs/providers.md, "Asterisk", says how direction and answered are read from the rows.
 */
public final class AsteriskCdrAdapter implements ProviderAdapter {

    private static final Map<String, String> AMI_NAMES = Map.ofEntries(
            Map.entry("starttime", "calldate"), Map.entry("source", "src"), Map.entry("destination", "dst"),
            Map.entry("destinationcontext", "dcontext"), Map.entry("destinationchannel", "dstchannel"),
            Map.entry("lastapplication", "lastapp"), Map.entry("billableseconds", "billsec"),
            Map.entry("callerid", "clid"), Map.entry("answertime", "answer"), Map.entry("endtime", "end"),
            Map.entry("uniqueid", "uniqueid"), Map.entry("linkedid", "linkedid"));
    private static final Set<String> INBOUND_CONTEXTS = Set.of("from-trunk", "from-pstn", "from-did-direct", "from-external",
            "ext-did", "from-sip-external", "from-did");
    private static final Set<String> NOT_A_PERSON = Set.of("voicemail", "vm", "playback", "background", "read", "ivr",
            "hangup", "congestion", "busy", "saydigits", "record");

    private final ExtensionDirectory extensions;

    public AsteriskCdrAdapter(ExtensionDirectory extensions) {
        this.extensions = extensions;
    }

    /** One CDR row with lower-case FreePBX column names. */
    private record Row(Map<String, String> f, OffsetDateTime start, OffsetDateTime answer, long duration, long billsec, String disposition) {
        String get(String name) {
            return f.get(name);
        }

        OffsetDateTime end() {
            return start.plusSeconds(duration);
        }

        boolean answered() {
            return "ANSWERED".equals(disposition) && billsec > 0;
        }

        String key() {
            return get("uniqueid") + ":" + (get("sequence") == null ? "0" : get("sequence"));
        }
    }

    @Override
    public List<CallEvent> adapt(ProviderRequest r) {
        JsonNode root = r.json();
        JsonNode rows = root.isObject() && root.has("cdrs") ? root.get("cdrs") : root;
        List<JsonNode> list = new ArrayList<>();
        if (rows.isArray()) {
            rows.forEach(list::add);
        } else if (rows.isObject()) {
            list.add(rows);
        } else {
            throw Payloads.invalid("$", "must be a CDR row object or an array of rows");
        }
        if (list.size() > 500) {
            throw Payloads.invalid("$", "holds more than 500 rows");
        }
        Map<String, List<Row>> calls = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Row row = row(list.get(i), "[" + i + "]", r.zone());
            String linked = row.get("linkedid") != null ? row.get("linkedid") : row.get("uniqueid");
            calls.computeIfAbsent(linked, k -> new ArrayList<>()).add(row);
        }
        List<CallEvent> events = new ArrayList<>();
        calls.forEach((linked, group) -> {
            CallEvent e = call(linked, group, r.region(), r.tenant());
            if (e != null) {
                events.add(e);
            }
        });
        return events;
    }

    private static Row row(JsonNode n, String path, ZoneId zone) {
        if (!n.isObject()) {
            throw Payloads.invalid(path, "must be a CDR row object");
        }
        Map<String, String> f = new HashMap<>();
        n.fields().forEachRemaining(e -> {
            String k = e.getKey().toLowerCase(Locale.ROOT);
            String v = Payloads.text(n, e.getKey());
            if (v != null) {
                f.putIfAbsent(AMI_NAMES.getOrDefault(k, k), v);
            }
        });
        if (f.get("uniqueid") == null) {
            throw Payloads.invalid(path + ".uniqueid", "is required");
        }
        if (f.get("calldate") == null) {
            throw Payloads.invalid(path + ".calldate", "is required");
        }
        String disposition = f.get("disposition");
        if (disposition == null) {
            throw Payloads.invalid(path + ".disposition", "is required");
        }
        disposition = switch (disposition.trim().toUpperCase(Locale.ROOT)) {
            case "4" -> "ANSWERED";
            case "1" -> "NO ANSWER";
            case "2" -> "BUSY";
            case "3" -> "FAILED";
            default -> disposition.trim().toUpperCase(Locale.ROOT);
        };
        OffsetDateTime start = Times.isoIn(f.get("calldate"), zone, path + ".calldate");
        OffsetDateTime answer = f.get("answer") == null ? null : Times.isoIn(f.get("answer"), zone, path + ".answer");
        return new Row(f, start, answer, seconds(f, "duration", path), seconds(f, "billsec", path), disposition);
    }

    private static long seconds(Map<String, String> f, String name, String path) {
        String v = f.get(name);
        if (v == null) {
            return 0;
        }
        if (!v.matches("[0-9]{1,9}")) {
            throw Payloads.invalid(path + "." + name, "must be a whole number of seconds");
        }
        return Long.parseLong(v);
    }

    private CallEvent call(String linked, List<Row> rows, String region, String tenant) {
        rows.sort(Comparator.comparing(Row::start).thenComparing(Row::key));
        Row first = rows.get(0);
        String direction = direction(first);
        if (direction == null) {
            return null;
        }
        boolean inbound = direction.equals("inbound");
        Row person = null;
        boolean voicemail = false;
        for (Row row : rows) {
            String app = lower(row.get("lastapp"));
            boolean prompt = app != null && NOT_A_PERSON.contains(app);
            if (row.answered() && prompt && app.startsWith("v")) {
                voicemail = true;
            }
            boolean human = inbound ? row.answered() && !prompt && extension(row.get("dstchannel")) != null
                    : row.answered() && !prompt;
            if (human && (person == null || row.billsec() > person.billsec())) {
                person = row;
            }
        }
        OffsetDateTime startedAt = first.start();
        OffsetDateTime endedAt = rows.stream().map(Row::end).max(Comparator.naturalOrder()).orElse(startedAt);
        TreeSet<String> keys = new TreeSet<>();
        rows.forEach(row -> keys.add(row.key()));
        String suffix = keys.size() == 1 ? keys.first() : EventDraft.sha256Hex(String.join(",", keys)).substring(0, 24);
        EventDraft e = new EventDraft("asterisk:" + linked + ":" + suffix, "asterisk:" + linked, "call.ended", endedAt)
                .direction(direction).startedAt(startedAt).endedAt(endedAt);
        if (inbound) {
            e.from(firstOf(first.get("src"), first.get("cnum"), number(first.get("clid"))), region)
                    .to(firstOf(first.get("did"), first.get("dst")), region);
        } else {
            e.from(firstOf(first.get("outbound_cnum"), first.get("cnum"), first.get("src")), region)
                    .to(first.get("dst"), region);
        }
        if (person != null) {
            OffsetDateTime answeredAt = person.answer() != null ? person.answer()
                    : person.start().plusSeconds(Math.max(0, person.duration() - person.billsec()));
            e.status("answered").answeredAt(answeredAt).durationSeconds(person.billsec());
        } else if (inbound) {
            e.status(voicemail ? "voicemail" : "missed").durationSeconds(0L);
        } else {
            Set<String> dispositions = new TreeSet<>();
            rows.forEach(row -> dispositions.add(row.disposition()));
            e.status(dispositions.contains("BUSY") ? "busy"
                    : dispositions.contains("FAILED") || dispositions.contains("CONGESTION") ? "failed" : "no-answer").durationSeconds(0L);
        }
        String ext;
        String name;
        if (inbound) {
            Row agentRow = person != null ? person : null;
            ext = agentRow == null ? null : extension(agentRow.get("dstchannel"));
            name = agentRow == null ? null : agentRow.get("dst_cnam");
        } else {
            ext = firstOf(extension(first.get("channel")), first.get("cnum"));
            name = first.get("cnam");
        }
        CallEvent.Agent agent = extensions.forTenant(tenant).agentOrExtension("asterisk", ext, name);
        e.agent(agent);
        rows.stream().map(row -> row.get("recordingfile")).filter(v -> v != null && v.startsWith("http")).findFirst()
                .ifPresent(e::recording);
        return e.build();
    }

    /** inbound, outbound, or null for a call between extensions. */
    private static String direction(Row row) {
        String context = lower(row.get("dcontext"));
        if (row.get("did") != null || (context != null && (INBOUND_CONTEXTS.contains(context) || context.startsWith("from-trunk")))) {
            return "inbound";
        }
        String channel = row.get("channel");
        if (channel != null && extension(channel) == null && !channel.startsWith("Local/")) {
            return "inbound";
        }
        String dstchannel = row.get("dstchannel");
        boolean trunkCallee = dstchannel != null && extension(dstchannel) == null && !dstchannel.startsWith("Local/");
        String dst = row.get("dst");
        boolean externalNumber = dst != null && dst.replaceAll("[^0-9]", "").length() >= 7;
        if (trunkCallee || externalNumber || row.get("outbound_cnum") != null) {
            return "outbound";
        }
        return null;
    }

    /** The extension of a channel name: {@code PJSIP/101-0000002a} → 101, {@code Local/101@from-queue-…;1} → 101. */
    static String extension(String channel) {
        if (channel == null) {
            return null;
        }
        int slash = channel.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String endpoint = channel.substring(slash + 1);
        int cut = endpoint.length();
        for (char c : new char[]{'-', '@', ';'}) {
            int i = endpoint.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        endpoint = endpoint.substring(0, cut);
        return endpoint.matches("[0-9]{2,6}") ? endpoint : null;
    }

    /** {@code "Pat Lee" <+14155550134>} → {@code +14155550134}. */
    private static String number(String clid) {
        if (clid == null) {
            return null;
        }
        int lt = clid.lastIndexOf('<');
        int gt = clid.lastIndexOf('>');
        return lt >= 0 && gt > lt ? clid.substring(lt + 1, gt) : clid;
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
