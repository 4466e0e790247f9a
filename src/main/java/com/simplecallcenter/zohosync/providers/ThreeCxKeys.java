package com.simplecallcenter.zohosync.providers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which key of a 3CX {@code ReportCall} body holds which field. A 3CX CRM template decides the keys, so each field
 * is known under 3CX's own variable name and the names people give it in templates; keys compare in lower case with
 * everything but letters and digits removed, so {@code call_type}, {@code callType}, {@code CallType} and
 * {@code call-type} are one key. The admin may name further keys per field ({@code scc.3cx.keys}, e.g.
 * {@code number=Caller_Phone,startLocal=Beginn}); a key named there is looked at first and belongs to that field only.
 */
public final class ThreeCxKeys {

    /** The fields, each with its known keys, most specific first. */
    private static final Map<String, List<String>> DEFAULTS = new LinkedHashMap<>();

    static {
        known("callType", "calltype", "type", "calltypename", "callresult", "result");
        known("direction", "calldirection", "direction");
        known("number", "number", "phone", "phonenumber", "callernumber", "callerphone", "callerid", "customernumber",
                "customerphone", "contactnumber", "contactphone", "externalnumber", "remotenumber", "othernumber",
                "externalparty", "telephone", "tel");
        known("name", "name", "callername", "contactname", "customername", "fullname", "displayname", "entityname");
        known("email", "email", "calleremail", "contactemail", "customeremail", "mail");
        known("company", "company", "companyname", "accountname", "account");
        known("agent", "agent", "agentextension", "agentext", "agentnumber", "agentdn", "extension", "ext",
                "extensionnumber", "userextension", "dn");
        known("agentEmail", "agentemail", "agentmail", "useremail", "owneremail");
        known("agentFirstName", "agentfirstname", "agentfirst");
        known("agentLastName", "agentlastname", "agentlast");
        known("agentName", "agentname", "agentfullname", "agentdisplayname", "username");
        known("queue", "queueextension", "queueext", "queuenumber", "queuedn", "queue");
        known("duration", "duration", "durationtimespan", "callduration", "durationseconds", "durationsec",
                "durationsecs", "talktime", "talkduration", "seconds");
        known("startUtc", "callstarttimeutc", "starttimeutc", "callstartutc", "startutc", "startedatutc", "startdateutc");
        known("startLocal", "callstarttimelocal", "starttimelocal", "callstartlocal", "startlocal", "datetime",
                "calldatetime", "calldate", "date", "callstarttime", "callstart", "starttime", "startedat", "start",
                "timestamp", "time");
        known("answeredUtc", "callestablishedtimeutc", "establishedtimeutc", "answertimeutc", "answeredtimeutc",
                "answeredatutc", "answeredutc");
        known("answeredLocal", "callestablishedtimelocal", "callestablishedtime", "establishedtime", "answertime",
                "answeredtime", "answeredat", "answered");
        known("endedUtc", "callendtimeutc", "endtimeutc", "callendutc", "endedatutc", "endutc");
        known("endedLocal", "callendtimelocal", "callendtime", "endtime", "endedat", "callend", "end");
        known("recording", "recordingurl", "recording", "recordinglink", "recordingfile");
        known("summary", "summary", "notes", "note", "comment", "comments", "description");
        known("transcript", "transcription", "transcript", "transcripturl");
        known("recordId", "entityid", "zohorecordid", "zohoid", "recordid", "crmid", "crmrecordid", "whoid");
        known("recordModule", "entitytype", "zohomodule", "recordmodule", "module", "recordtype", "crmmodule", "entity");
        known("leadId", "leadid", "zoholeadid");
        known("contactId", "contactid", "zohocontactid");
        known("callId", "callid", "historyid", "cdrid", "uniqueid");
    }

    private static void known(String field, String... keys) {
        DEFAULTS.put(field, List.of(keys));
    }

    /** The fields an admin can map, in documentation order. */
    public static List<String> fields() {
        return List.copyOf(DEFAULTS.keySet());
    }

    private final Map<String, List<String>> keys;

    private ThreeCxKeys(Map<String, List<String>> keys) {
        this.keys = keys;
    }

    public static ThreeCxKeys defaults() {
        return new ThreeCxKeys(DEFAULTS);
    }

    /**
     * The defaults with the admin's keys ({@code field=key}, comma-separated; a field may be named more than once)
     * put first. Throws {@link IllegalArgumentException} naming the unknown field or the empty key.
     */
    public static ThreeCxKeys parse(String mapping) {
        if (mapping == null || mapping.isBlank()) {
            return defaults();
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (String pair : mapping.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String field = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
            String key = eq < 0 ? "" : norm(pair.substring(eq + 1));
            Optional<String> known = DEFAULTS.keySet().stream().filter(f -> f.equalsIgnoreCase(field)).findFirst();
            if (known.isEmpty()) {
                throw new IllegalArgumentException("unknown field '" + field + "' (known: " + String.join(", ", DEFAULTS.keySet()) + ")");
            }
            if (key.isEmpty()) {
                throw new IllegalArgumentException("field '" + field + "' needs a key, as in " + field + "=MyKey");
            }
            extra.computeIfAbsent(known.get(), f -> new ArrayList<>()).add(key);
        }
        Map<String, List<String>> all = new LinkedHashMap<>();
        DEFAULTS.forEach((field, defaults) -> {
            List<String> list = new ArrayList<>(extra.getOrDefault(field, List.of()));
            for (String k : defaults) {
                // a key the admin gave another field belongs to that field only
                boolean taken = extra.entrySet().stream().anyMatch(e -> !e.getKey().equals(field) && e.getValue().contains(k));
                if (!taken && !list.contains(k)) {
                    list.add(k);
                }
            }
            all.put(field, List.copyOf(list));
        });
        return new ThreeCxKeys(all);
    }

    /** The value of {@code field} in a body whose keys are already {@link #norm normalized}; null when none. */
    public String get(Map<String, String> body, String field) {
        for (String key : keys.getOrDefault(field, List.of())) {
            String v = body.get(key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The body key that gave {@code field}'s value (for error messages); the field's first key when none. */
    public String keyOf(Map<String, String> body, String field) {
        List<String> ks = keys.getOrDefault(field, List.of());
        return ks.stream().filter(body::containsKey).findFirst().orElse(ks.isEmpty() ? field : ks.get(0));
    }

    static String norm(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
