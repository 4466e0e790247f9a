package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;
import com.simplecallcenter.zohosync.zoho.ZohoClient;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Our side of matching. Zoho's search {@code equals} behaves like <em>contains</em>, so every candidate is confirmed
 * here: an email equals ours lower-cased, or one of the record's phone fields is our number whatever its punctuation
 * or national form ({@link PhoneNumbers#sameNumber}). Among several confirmed candidates the most recently modified wins (Contact over Lead is
 * the module order of {@code scc.zoho.match-modules}) and the others are recorded as an ambiguity.
 */
public final class MatchRules {

    public static final List<String> EMAIL_FIELDS = List.of("Email", "Secondary_Email");
    public static final List<String> PHONE_FIELDS = List.of("Phone", "Mobile", "Home_Phone", "Other_Phone");

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private MatchRules() {
    }

    /** A confirmed record, with the record as Zoho returned it (for fill-if-empty updates). */
    public record Match(String module, String id, ObjectNode record, String ambiguity) {
    }

    /** The fields to ask Zoho for, per module (Leads have no Home_Phone/Other_Phone). */
    public static List<String> searchFields(String module) {
        List<String> f = new ArrayList<>(List.of("id", "First_Name", "Last_Name", "Email", "Phone", "Mobile", "Modified_Time"));
        if (module.equals("Contacts")) {
            f.addAll(List.of("Home_Phone", "Other_Phone", "Secondary_Email"));
        } else {
            f.addAll(List.of("Company", "Secondary_Email"));
        }
        return f;
    }

    /**
     * One search for the customer in a module: the email in the email fields, and the number in every phone field
     * in the forms people type it (E.164, national digits, national and international formatting). Zoho's
     * {@code equals}/{@code in} match like <em>contains</em> on the stored text, so each form finds the records stored
     * in that form; the candidates are confirmed by {@link #emailMatches}/{@link #phoneMatches}.
     */
    public static String criteria(String module, String email, String phone) {
        List<String> conditions = new ArrayList<>();
        if (email != null) {
            for (String f : EMAIL_FIELDS) {
                conditions.add("(" + f + ":equals:" + ZohoClient.escapeCriteria(email) + ")");
            }
        }
        if (phone != null) {
            String in = String.join(",", phoneForms(phone).stream().map(ZohoClient::escapeCriteria).toList());
            for (String f : phoneFields(module)) {
                conditions.add("(" + f + ":in:" + in + ")");
            }
        }
        if (conditions.isEmpty()) {
            throw new IllegalArgumentException("nothing to search by");
        }
        return conditions.size() == 1 ? conditions.get(0) : "(" + String.join("or", conditions) + ")";
    }

    /**
     * The forms a stored number is likely written in, each also found inside longer ones by Zoho's contains:
     * +14155550134, 4155550134 (inside 1-4155550134, 07911123456), (415) 555-0134, and the groups of the number without
     * its country code joined by a dash, a space or a dot (415-555-0134, 415 555 0134, 415.555.0134: inside
     * +1 415-555-0134, 1.415.555.0134, 07911 123456), and (415)555-0134. All go in one {@code in} per field, so more
     * forms cost no request.
     */
    static List<String> phoneForms(String normalized) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(normalized);
        if (normalized.startsWith("+")) {
            try {
                Phonenumber.PhoneNumber n = UTIL.parse(normalized, "ZZ");
                forms.add(UTIL.getNationalSignificantNumber(n));
                String national = UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.NATIONAL);
                forms.add(national);
                String intl = UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL);
                String cc = "+" + n.getCountryCode() + " ";
                List<String> groups = List.of((intl.startsWith(cc) ? intl.substring(cc.length()) : intl).split("[^0-9]+"));
                for (String separator : List.of("-", " ", ".")) {
                    forms.add(String.join(separator, groups));
                }
                forms.add(national.replace(" ", ""));
            } catch (NumberParseException ignored) {
                // the E.164 form alone
            }
        }
        forms.removeIf(f -> f.length() < 2);
        return List.copyOf(forms);
    }

    static List<String> phoneFields(String module) {
        return module.equals("Contacts") ? PHONE_FIELDS : List.of("Phone", "Mobile");
    }

    public static boolean emailMatches(ObjectNode record, String email) {
        String wanted = email.trim().toLowerCase(Locale.ROOT);
        for (String f : EMAIL_FIELDS) {
            String v = text(record, f);
            if (v != null && v.trim().toLowerCase(Locale.ROOT).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** One of the record's phone fields holds our number, in whatever punctuation or national form it was typed. */
    public static boolean phoneMatches(ObjectNode record, String normalizedPhone, String region) {
        for (String f : PHONE_FIELDS) {
            String v = text(record, f);
            if (v != null && PhoneNumbers.sameNumber(v, normalizedPhone, region)) {
                return true;
            }
        }
        return false;
    }

    /** The most recently modified of the confirmed candidates; the others are named in the ambiguity note. */
    public static Optional<Match> choose(String module, List<ObjectNode> confirmed, String by) {
        if (confirmed.isEmpty()) {
            return Optional.empty();
        }
        List<ObjectNode> sorted = new ArrayList<>(confirmed);
        sorted.sort(Comparator.comparing((ObjectNode r) -> modified(r)).reversed().thenComparing(r -> text(r, "id")));
        ObjectNode best = sorted.get(0);
        String ambiguity = null;
        if (sorted.size() > 1) {
            List<String> others = sorted.subList(1, sorted.size()).stream().map(r -> text(r, "id")).toList();
            ambiguity = sorted.size() + " " + module + " matched by " + by + "; chose the most recently modified "
                    + text(best, "id") + " over " + String.join(", ", others);
        }
        return Optional.of(new Match(module, text(best, "id"), best, ambiguity));
    }

    static OffsetDateTime modified(ObjectNode r) {
        String v = text(r, "Modified_Time");
        if (v != null) {
            try {
                return OffsetDateTime.parse(v);
            } catch (DateTimeParseException ignored) {
                // an unexpected format sorts last
            }
        }
        return OffsetDateTime.MIN;
    }

    static String text(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
