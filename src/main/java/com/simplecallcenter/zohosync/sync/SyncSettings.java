package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.config.ServiceSettings;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.config.SubjectTemplate;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of the sync ({@code # ---- Sync} in {@code config/application.properties}), read and validated once.
 * Durations take Camel's forms ({@code 250}, {@code 5s}, {@code 30m}, {@code 2h}); a bad value stops the start with
 * one line naming the setting.
 */
public record SyncSettings(
        String defaultRegion,
        Set<String> ownNumbers,
        Duration endTimeout,
        Duration sweepGrace,
        Duration claimLease,
        int sweepBatch,
        Duration parkDelay,
        Duration parkMaxDelay,
        String agentsFile,
        Duration usersCacheTtl,
        Duration matchCacheTtl,
        long matchCacheSize,
        Duration createdWindow,
        Duration personLockWait,
        int minPhoneDigits,
        List<String> matchModules,
        List<String> updateFields,
        List<String> overwriteFields,
        String createMissing,
        String leadCompanyFallback,
        String leadSource,
        Optional<String> defaultOwnerId,
        String subjectTemplate,
        String descriptionTemplate,
        String outboundUnanswered,
        String callIdField) {

    public static final List<String> PERSON_FIELDS = List.of("Phone", "Email", "First_Name", "Last_Name", "Company");

    /**
     * A tenant's settings: these values of its own (null: the deployment's) over this record. The values were
     * checked when the tenant's admin saved them.
     */
    public SyncSettings withTenant(String createMissing, String callIdField, String defaultRegion, String defaultOwnerId,
                                   String leadSource, List<String> updateFields, String subjectTemplate,
                                   List<String> overwriteFields) {
        return new SyncSettings(
                defaultRegion == null ? this.defaultRegion : defaultRegion,
                ownNumbers,
                endTimeout,
                sweepGrace,
                claimLease,
                sweepBatch,
                parkDelay,
                parkMaxDelay,
                agentsFile,
                usersCacheTtl,
                matchCacheTtl,
                matchCacheSize,
                createdWindow,
                personLockWait,
                minPhoneDigits,
                matchModules,
                updateFields == null ? this.updateFields : List.copyOf(updateFields),
                overwriteFields == null ? this.overwriteFields : List.copyOf(overwriteFields),
                createMissing == null ? this.createMissing : createMissing,
                leadCompanyFallback,
                leadSource == null ? this.leadSource : leadSource,
                defaultOwnerId == null ? this.defaultOwnerId : Optional.of(defaultOwnerId),
                subjectTemplate == null ? this.subjectTemplate : subjectTemplate,
                descriptionTemplate,
                outboundUnanswered,
                callIdField == null ? this.callIdField : callIdField);
    }

    public static SyncSettings from(Settings s) {
        ServiceSettings service = ServiceSettings.from(s);
        String region = service.defaultRegion();
        Set<String> own = new LinkedHashSet<>();
        for (String n : list(s, "scc.phone.own-numbers")) {
            own.add(PhoneNumbers.normalize(n, region)
                    .orElseThrow(() -> Settings.invalid("scc.phone.own-numbers", "'" + n + "' is not a phone number")));
        }
        List<String> modules = list(s, "scc.zoho.match-modules");
        for (String m : modules) {
            if (!m.equals("Contacts") && !m.equals("Leads")) {
                throw Settings.invalid("scc.zoho.match-modules", "may list only Contacts and Leads (got '" + m + "')");
            }
        }
        List<String> update = fields(s, "scc.zoho.update-fields");
        List<String> overwrite = fields(s, "scc.zoho.overwrite-fields");
        String template = s.get("scc.zoho.call-subject-template").trim();
        SubjectTemplate.problem(template).ifPresent(p -> {
            throw Settings.invalid("scc.zoho.call-subject-template", p);
        });
        String callIdField = service.callIdField();
        Optional<String> owner = s.optional("scc.zoho.default-owner-id");
        if (owner.isPresent() && !owner.get().matches("[0-9]{1,19}")) {
            throw Settings.invalid("scc.zoho.default-owner-id", "must be a Zoho user id (digits)");
        }
        return new SyncSettings(
                region,
                Set.copyOf(own),
                duration(s, "scc.sync.end-timeout"),
                duration(s, "scc.sync.sweep-grace"),
                duration(s, "scc.sync.claim-lease"),
                s.intValue("scc.sync.sweep-batch", 1, 10_000),
                duration(s, "scc.sync.park.delay"),
                duration(s, "scc.sync.park.max-delay"),
                service.agentsFile().toString(),
                duration(s, "scc.sync.users-cache-ttl"),
                duration(s, "scc.match.cache-ttl"),
                s.longValue("scc.match.cache-size", 0, 10_000_000),
                duration(s, "scc.match.created-window"),
                duration(s, "scc.match.person-lock-wait"),
                s.intValue("scc.match.min-phone-digits", 0, 15),
                List.copyOf(modules),
                update,
                overwrite,
                s.oneOf("scc.zoho.create-missing", "Leads", "Contacts", "none"),
                s.get("scc.zoho.lead-company-fallback"),
                s.get("scc.zoho.lead-source"),
                owner,
                template,
                descriptionTemplate(s),
                s.oneOf("scc.zoho.outbound-unanswered", "missed", "outbound-min-duration", "skip"),
                callIdField);
    }

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{([A-Za-z]+)}");
    static final Set<String> DESCRIPTION_PLACEHOLDERS = Set.of("notes", "tags", "agent", "links", "recording", "transcript",
            "summary", "callId", "status", "direction", "number", "duration");

    /** The Description template; a literal backslash-n (as an environment variable would carry it) is a line break too. */
    private static String descriptionTemplate(Settings s) {
        String t = s.get("scc.zoho.call-description-template").replace("\\n", "\n");
        java.util.regex.Matcher m = PLACEHOLDER.matcher(t);
        while (m.find()) {
            if (!DESCRIPTION_PLACEHOLDERS.contains(m.group(1))) {
                throw Settings.invalid("scc.zoho.call-description-template", "unknown placeholder {" + m.group(1) + "}; known: "
                        + String.join(", ", new java.util.TreeSet<>(DESCRIPTION_PLACEHOLDERS)));
            }
        }
        return t;
    }

    /** Checks the settings that the YAML routes read through placeholders, so a bad one fails the start clearly. */
    public static void validateRouteSettings(Settings s) {
        duration(s, "scc.sync.sweep-interval");
        s.intValue("scc.sync.redelivery.max", 0, 100);
        s.duration("scc.sync.redelivery.delay", Duration.ofMillis(1), Duration.ofHours(1));
        s.duration("scc.sync.redelivery.max-delay", Duration.ofMillis(1), Duration.ofHours(1));
        String m = s.get("scc.sync.redelivery.multiplier");
        String j = s.get("scc.sync.redelivery.jitter");
        try {
            if (Double.parseDouble(m) < 1) {
                throw Settings.invalid("scc.sync.redelivery.multiplier", "must be at least 1");
            }
        } catch (NumberFormatException e) {
            throw Settings.invalid("scc.sync.redelivery.multiplier", "must be a number such as 2");
        }
        try {
            double f = Double.parseDouble(j);
            if (f < 0 || f > 1) {
                throw Settings.invalid("scc.sync.redelivery.jitter", "must be between 0 and 1");
            }
        } catch (NumberFormatException e) {
            throw Settings.invalid("scc.sync.redelivery.jitter", "must be a number between 0 and 1");
        }
    }

    public boolean isOwnNumber(String normalized) {
        return normalized != null && ownNumbers.contains(normalized);
    }

    static Duration duration(Settings s, String key) {
        return s.duration(key, true);
    }

    private static List<String> list(Settings s, String key) {
        String v = s.get(key);
        return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static List<String> fields(Settings s, String key) {
        List<String> f = list(s, key);
        if (f.size() == 1 && f.get(0).equalsIgnoreCase("none")) {
            return List.of();
        }
        for (String x : f) {
            if (!PERSON_FIELDS.contains(x)) {
                throw Settings.invalid(key, "may list only " + String.join(", ", PERSON_FIELDS) + " (got '" + x + "')");
            }
        }
        return List.copyOf(f);
    }
}
