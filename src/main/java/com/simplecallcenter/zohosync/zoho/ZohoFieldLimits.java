package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.Map;

/**
 * Zoho refuses a whole record with {@code INVALID_DATA} when one text is longer than its field allows, which would
 * make the call dead for a long note or name. Every record we write is fitted here first: long texts are cut with a
 * visible marker (our copy of the event keeps the full text); an email or link that does not fit is left out, since
 * a cut one would be wrong. Lengths are Zoho's standard field lengths (the sandbox's schema holds the same).
 */
public final class ZohoFieldLimits {

    /** Fields shared by the modules we write. */
    private static final Map<String, Integer> COMMON = Map.ofEntries(
            Map.entry("Description", 32_000),
            Map.entry("Subject", 255),
            Map.entry("First_Name", 40),
            Map.entry("Last_Name", 80),
            Map.entry("Company", 200),
            Map.entry("Designation", 100),
            Map.entry("Title", 100),
            Map.entry("Lead_Source", 120),
            Map.entry("Phone", 30),
            Map.entry("Mobile", 30),
            Map.entry("Home_Phone", 30),
            Map.entry("Other_Phone", 30),
            Map.entry("Caller_ID", 30),
            Map.entry("Dialled_Number", 30),
            Map.entry("Call_Result", 255),
            Map.entry("Call_Agenda", 2_000),
            Map.entry("Note_Title", 120),
            Map.entry("Note_Content", 32_000));

    /** Values that are wrong when cut: left out when too long. */
    private static final Map<String, Integer> WHOLE_OR_NOTHING = Map.of(
            "Email", 100,
            "Secondary_Email", 100,
            "Voice_Recording__s", 2_000,
            "Website", 255);

    /** From this length on a cut text says how much is missing; shorter fields end with "…". */
    private static final int MARKER_FROM = 1_000;

    private ZohoFieldLimits() {
    }

    /** Fits every known text field of {@code record} in place. */
    public static void fit(ObjectNode record) {
        for (Map.Entry<String, Integer> e : COMMON.entrySet()) {
            JsonNode v = record.get(e.getKey());
            if (v != null && v.isTextual() && v.asText().length() > e.getValue()) {
                record.put(e.getKey(), fit(v.asText(), e.getValue()));
            }
        }
        for (Map.Entry<String, Integer> e : WHOLE_OR_NOTHING.entrySet()) {
            JsonNode v = record.get(e.getKey());
            if (v != null && v.isTextual() && v.asText().length() > e.getValue()) {
                record.remove(e.getKey());
            }
        }
    }

    /**
     * {@code value} cut to at most {@code max} characters: long fields end with
     * {@code … [truncated: 187,340 more characters]}, short ones with {@code …}. Never splits a surrogate pair.
     */
    public static String fit(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        if (max < MARKER_FROM) {
            return cut(value, max - 1) + "…";
        }
        // the marker's own length depends on the number it shows: size it for the largest possible number
        int reserve = marker(value.length()).length();
        String kept = cut(value, max - reserve);
        return kept + marker(value.length() - kept.length());
    }

    private static String marker(int missing) {
        return String.format(Locale.ROOT, "… [truncated: %,d more characters]", missing);
    }

    private static String cut(String s, int n) {
        int end = Math.max(0, n);
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
