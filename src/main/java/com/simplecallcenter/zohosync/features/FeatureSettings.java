package com.simplecallcenter.zohosync.features;

import com.simplecallcenter.zohosync.config.ServiceSettings;
import com.simplecallcenter.zohosync.config.Settings;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The settings of the optional routes ({@code # ---- Optional routes} in {@code config/application.properties}),
 * read and validated once: a bad value stops the start with one line naming the setting.
 */
public record FeatureSettings(
        List<FeatureSwitches.Feature> features,
        Duration refreshInterval,
        String callIdField,
        int followupDueBusinessDays,
        String followupPriority,
        Optional<String> followupFallbackOwnerId,
        String callbackTag,
        String escalationTag,
        Optional<String> escalationOwnerId,
        String missedSubject,
        String callbackSubject,
        String escalationSubject,
        String dealLinksPolicy,
        Duration dealLinksCacheTtl,
        long dealLinksCacheSize,
        String transcriptTarget,
        Set<String> expiringUrlParams) {

    public static final List<String> PRIORITIES = List.of("High", "Highest", "Low", "Lowest", "Normal");

    public static FeatureSettings from(Settings s) {
        String callIdField = ServiceSettings.from(s).callIdField();
        return new FeatureSettings(
                FeatureSwitches.catalogue(s),
                duration(s, "scc.feature.refresh-interval"),
                callIdField,
                s.intValue("scc.followup-tasks.due-business-days", 0, 365),
                s.oneOf("scc.followup-tasks.priority", PRIORITIES.toArray(String[]::new)),
                userId(s, "scc.followup-tasks.fallback-owner-id"),
                tag(s, "scc.followup-tasks.callback-tag"),
                tag(s, "scc.followup-tasks.escalation-tag"),
                userId(s, "scc.followup-tasks.escalation-owner-id"),
                s.get("scc.followup-tasks.missed-subject"),
                s.get("scc.followup-tasks.callback-subject"),
                s.get("scc.followup-tasks.escalation-subject"),
                s.oneOf("scc.deal-links.policy", "none", "account", "deal", "deal-then-account"),
                duration(s, "scc.deal-links.cache-ttl"),
                s.longValue("scc.deal-links.cache-size", 0, 10_000_000),
                s.oneOf("scc.recording-links.transcript-target", "description", "notes"),
                Arrays.stream(s.get("scc.recording-links.expiring-url-params")
                                .split(","))
                        .map(String::trim).filter(x -> !x.isEmpty()).map(x -> x.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toUnmodifiableSet()));
    }

    private static Optional<String> userId(Settings s, String key) {
        Optional<String> v = s.optional(key);
        if (v.isPresent() && !v.get().matches("[0-9]{1,19}")) {
            throw Settings.invalid(key, "must be a Zoho user id (digits)");
        }
        return v;
    }

    private static String tag(Settings s, String key) {
        String v = s.get(key);
        if (v.length() > 64 || v.contains(":")) {
            throw Settings.invalid(key, "must be a tag of at most 64 characters without ':'");
        }
        return v;
    }

    static Duration duration(Settings s, String key) {
        return s.duration(key, false);
    }
}
