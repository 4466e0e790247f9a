package com.simplecallcenter.zohosync.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.config.SubjectTemplate;
import com.simplecallcenter.zohosync.http.FieldError;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The settings a tenant may have of its own; a null field is unset and falls back to the deployment's configuration
 * ({@link #orElse}). Each is checked by the rule of the deployment setting it stands in for: createMissing as
 * {@code scc.zoho.create-missing}, callIdField as {@code scc.zoho.call-id-field}, defaultRegion as
 * {@code scc.phone.default-region}, defaultOwnerId as {@code scc.zoho.default-owner-id}, leadSource as
 * {@code scc.zoho.lead-source}, updateFields as {@code scc.zoho.update-fields}, zohoConcurrency as
 * {@code scc.zoho.max-concurrency}, subjectTemplate as {@code scc.zoho.call-subject-template}, overwriteFields as
 * {@code scc.zoho.overwrite-fields}, dailyCredits as {@code scc.zoho.daily-credits} (its org's own budget: an org
 * with more licences, or one other integrations share).
 */
public record TenantSettings(String createMissing, String callIdField, String defaultRegion, String defaultOwnerId,
                             String leadSource, List<String> updateFields, Integer zohoConcurrency,
                             String subjectTemplate, List<String> overwriteFields, Long dailyCredits) {

    /** The field names, in the order answers list them. */
    public static final List<String> NAMES = List.of("createMissing", "callIdField", "defaultRegion", "defaultOwnerId",
            "leadSource", "updateFields", "zohoConcurrency", "subjectTemplate", "overwriteFields", "dailyCredits");

    /** The fields {@code scc.zoho.update-fields} may list (sync/SyncSettings.PERSON_FIELDS; a test keeps them equal). */
    public static final List<String> PERSON_FIELDS = List.of("Phone", "Email", "First_Name", "Last_Name", "Company");

    public static final TenantSettings NONE = new TenantSettings(null, null, null, null, null, null, null, null, null, null);

    public TenantSettings {
        updateFields = updateFields == null ? null : List.copyOf(updateFields);
        overwriteFields = overwriteFields == null ? null : List.copyOf(overwriteFields);
    }

    /** Each unset field taken from {@code deployment}. */
    public TenantSettings orElse(TenantSettings deployment) {
        return new TenantSettings(
                Objects.requireNonNullElse(createMissing, deployment.createMissing),
                Objects.requireNonNullElse(callIdField, deployment.callIdField),
                Objects.requireNonNullElse(defaultRegion, deployment.defaultRegion),
                defaultOwnerId != null ? defaultOwnerId : deployment.defaultOwnerId,
                Objects.requireNonNullElse(leadSource, deployment.leadSource),
                Objects.requireNonNullElse(updateFields, deployment.updateFields),
                Objects.requireNonNullElse(zohoConcurrency, deployment.zohoConcurrency),
                Objects.requireNonNullElse(subjectTemplate, deployment.subjectTemplate),
                Objects.requireNonNullElse(overwriteFields, deployment.overwriteFields),
                Objects.requireNonNullElse(dailyCredits, deployment.dailyCredits));
    }

    /** The names of the unset fields (those that follow the deployment's configuration). */
    public List<String> unset() {
        List<String> out = new ArrayList<>();
        toMap().forEach((k, v) -> {
            if (v == null) {
                out.add(k);
            }
        });
        return out;
    }

    /** name → value (null when unset), in {@link #NAMES} order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("createMissing", createMissing);
        m.put("callIdField", callIdField);
        m.put("defaultRegion", defaultRegion);
        m.put("defaultOwnerId", defaultOwnerId);
        m.put("leadSource", leadSource);
        m.put("updateFields", updateFields);
        m.put("zohoConcurrency", zohoConcurrency);
        m.put("subjectTemplate", subjectTemplate);
        m.put("overwriteFields", overwriteFields);
        m.put("dailyCredits", dailyCredits);
        return m;
    }

    /** Reads the stored form (written from a {@link Patch}, so already valid; an unknown key is ignored). */
    static TenantSettings fromJson(JsonNode o) {
        Function<String, String> text = k -> o.hasNonNull(k) ? o.get(k).asText() : null;
        return new TenantSettings(text.apply("createMissing"), text.apply("callIdField"), text.apply("defaultRegion"),
                text.apply("defaultOwnerId"), text.apply("leadSource"), fields(o, "updateFields"),
                o.hasNonNull("zohoConcurrency") ? o.get("zohoConcurrency").asInt() : null,
                text.apply("subjectTemplate"), fields(o, "overwriteFields"),
                o.hasNonNull("dailyCredits") ? o.get("dailyCredits").asLong() : null);
    }

    private static List<String> fields(JsonNode o, String key) {
        if (!o.hasNonNull(key)) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        for (JsonNode f : o.get(key)) {
            fields.add(f.asText());
        }
        return fields;
    }

    /** What a PATCH body changes: fields to set (checked values, stored form) and fields to clear. */
    record Patch(ObjectNode set, List<String> clear) {
    }

    /**
     * The known fields of a PATCH body: a value sets the field (checked), null clears it. Problems are added to
     * {@code errors} (field names as sent); an unknown field is one of them ({@code providers} is the caller's).
     */
    static Patch patch(JsonNode body, ObjectMapper mapper, List<FieldError> errors) {
        ObjectNode set = mapper.createObjectNode();
        List<String> clear = new ArrayList<>();
        body.fields().forEachRemaining(e -> {
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (!NAMES.contains(k)) {
                if (!k.equals("providers")) {
                    errors.add(new FieldError(k, "is not a setting; known: " + String.join(", ", NAMES) + ", providers"));
                }
                return;
            }
            if (v.isNull()) {
                clear.add(k);
                return;
            }
            String problem = null;
            Object value = null;
            switch (k) {
                case "createMissing" -> {
                    String s = v.isTextual() ? v.asText() : "";
                    value = List.of("Leads", "Contacts", "none").stream().filter(a -> a.equalsIgnoreCase(s)).findFirst().orElse(null);
                    problem = value == null ? "must be Leads, Contacts or none" : null;
                }
                case "callIdField" -> {
                    value = v.isTextual() ? v.asText() : null;
                    problem = value != null && ((String) value).matches("[A-Za-z][A-Za-z0-9_]{0,99}") ? null
                            : "must be a Zoho field API name such as SCC_Call_ID";
                }
                case "defaultRegion" -> {
                    value = v.isTextual() && v.asText().length() == 2 && PhoneNumbers.isKnownRegion(v.asText())
                            ? v.asText().toUpperCase(Locale.ROOT) : null;
                    problem = value == null ? "must be an ISO 3166-1 alpha-2 region code such as US or DE" : null;
                }
                case "defaultOwnerId" -> {
                    value = v.isTextual() || v.isIntegralNumber() ? v.asText() : null;
                    problem = value != null && ((String) value).matches("[0-9]{1,19}") ? null : "must be a Zoho user id (digits)";
                }
                case "leadSource" -> {
                    value = v.isTextual() ? v.asText().trim() : null;
                    String s = (String) value;
                    problem = s != null && !s.isEmpty() && s.length() <= 255 && s.chars().noneMatch(Character::isISOControl) ? null
                            : "must be a value of the Lead Source picklist (1 to 255 characters)";
                }
                case "updateFields", "overwriteFields" -> {
                    LinkedHashSet<String> fields = new LinkedHashSet<>();
                    boolean ok = v.isArray();
                    for (JsonNode f : v) {
                        ok &= f.isTextual() && PERSON_FIELDS.contains(f.asText());
                        fields.add(f.asText());
                    }
                    value = List.copyOf(fields);
                    problem = ok ? null : "must be a list of " + String.join(", ", PERSON_FIELDS)
                            + (k.equals("updateFields") ? " ([] updates nothing)" : " ([] overwrites nothing)");
                }
                case "subjectTemplate" -> {
                    value = v.isTextual() ? v.asText().trim() : null;
                    problem = value == null ? "must be text, such as \"{Direction} call {fromTo} ({status})\""
                            : SubjectTemplate.problem((String) value).orElse(null);
                }
                case "dailyCredits" -> {
                    value = v.isIntegralNumber() && v.asLong() >= 0 && v.asLong() <= 1_000_000_000L ? v.asLong() : null;
                    problem = value == null ? "must be a whole number from 0 (counted, never parked) to 1000000000" : null;
                }
                case "zohoConcurrency" -> {
                    value = v.isIntegralNumber() && v.asLong() >= 1 && v.asLong() <= 200 ? v.asInt() : null;
                    problem = value == null ? "must be a whole number from 1 to 200" : null;
                }
                default -> throw new IllegalStateException(k);
            }
            if (problem != null) {
                errors.add(new FieldError(k, problem));
            } else {
                set.set(k, mapper.valueToTree(value));
            }
        });
        return new Patch(set, clear);
    }
}
