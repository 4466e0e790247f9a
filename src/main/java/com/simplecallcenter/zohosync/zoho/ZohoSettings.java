package com.simplecallcenter.zohosync.zoho;

import com.simplecallcenter.zohosync.config.Settings;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Zoho settings, read and checked once at start-up: a malformed value stops the start with one line naming it.
 * A missing client id/secret or token key is not fatal (the service ingests without Zoho; connecting says why not).
 */
public record ZohoSettings(
        Optional<String> clientId,
        Optional<String> clientSecret,
        String redirectUri,
        URI accountsUrl,
        Optional<URI> apiUrl,
        Optional<byte[]> tokenKey,
        Optional<byte[]> previousTokenKey,
        List<String> scopes,
        List<URI> trustedAccountsServers,
        Duration connectTimeout,
        Duration readTimeout,
        int maxConcurrency,
        Duration refreshAhead,
        Duration refreshThrottleBackoff,
        Optional<List<String>> writeTriggers,
        int writeBatchSize,
        int writeBatchInFlight,
        boolean useIdleSlots,
        long dailyCredits,
        Duration creditsRefusedPause) {

    /** The scopes of scc.zoho.scopes as shipped (tests and the sandbox grant them). */
    public static final String DEFAULT_SCOPES = Settings.of(java.util.Map.of()).get("scc.zoho.scopes");

    private static final Set<String> TRIGGERS = Set.of("workflow", "approval", "blueprint", "pathfinder", "orchestration");

    public static ZohoSettings from(Settings s) {
        String redirect = s.get("zoho.redirect-uri");
        httpUrl(s, "zoho.redirect-uri", redirect, true);
        URI accounts = origin(s, "zoho.accounts-url", s.get("zoho.accounts-url"));
        Optional<URI> api = s.optional("zoho.api-url").map(v -> origin(s, "zoho.api-url", v));
        List<String> scopes = new ArrayList<>();
        for (String scope : s.get("scc.zoho.scopes").split(",")) {
            String t = scope.trim();
            if (!t.matches("[A-Za-z]+\\.[A-Za-z0-9_.]+")) {
                throw Settings.invalid("scc.zoho.scopes", "must be a comma-separated list of Zoho scopes such as ZohoCRM.users.READ");
            }
            scopes.add(t);
        }
        List<URI> trusted = new ArrayList<>();
        for (String t : s.get("scc.zoho.trusted-accounts-servers").split(",")) {
            if (!t.isBlank()) {
                trusted.add(origin(s, "scc.zoho.trusted-accounts-servers", t.trim()));
            }
        }
        String triggerSetting = s.get("scc.zoho.write-triggers").trim().toLowerCase(Locale.ROOT);
        Optional<List<String>> triggers;
        if (triggerSetting.equals("all")) {
            triggers = Optional.empty();
        } else if (triggerSetting.equals("none")) {
            triggers = Optional.of(List.of());
        } else {
            List<String> list = Arrays.stream(triggerSetting.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
            if (list.isEmpty() || !TRIGGERS.containsAll(list)) {
                throw Settings.invalid("scc.zoho.write-triggers", "must be all, none or a comma-separated list of " + String.join(", ", TRIGGERS.stream().sorted().toList()));
            }
            triggers = Optional.of(list);
        }
        return new ZohoSettings(
                s.optional("zoho.client-id"),
                s.optional("zoho.client-secret"),
                redirect,
                accounts,
                api,
                s.base64Key("scc.token.key", 32),
                s.base64Key("scc.token.previous-key", 32),
                List.copyOf(scopes),
                List.copyOf(trusted),
                s.duration("scc.zoho.connect-timeout", Duration.ofMillis(100), Duration.ofMinutes(2)),
                s.duration("scc.zoho.read-timeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
                s.intValue("scc.zoho.max-concurrency", 1, 200),
                s.duration("scc.zoho.refresh-ahead", Duration.ZERO, Duration.ofSeconds(3000)),
                s.duration("scc.zoho.refresh-throttle-backoff", Duration.ofSeconds(1), Duration.ofDays(1)),
                triggers,
                // Zoho takes at most 100 records per write; more than 10 count as a heavy call (sub-concurrency 10)
                s.intValue("scc.zoho.write-batch-size", 1, 100),
                s.intValue("scc.zoho.write-batch-in-flight", 1, 100),
                s.bool("scc.zoho.use-idle-slots"),
                s.longValue("scc.zoho.daily-credits", 0, 1_000_000_000L),
                s.duration("scc.zoho.credits-refused-pause", Duration.ofSeconds(1), Duration.ofDays(1)));
    }

    /** Never shows the client secret or the keys. */
    @Override
    public String toString() {
        return "ZohoSettings[clientId=" + clientId.orElse("-") + ", accountsUrl=" + accountsUrl + ", apiUrl=" + apiUrl.map(URI::toString).orElse("-")
                + ", tokenKey=" + (tokenKey.isPresent() ? "set" : "unset") + ", maxConcurrency=" + maxConcurrency
                + ", writeBatchSize=" + writeBatchSize + ", writeBatchInFlight=" + writeBatchInFlight + ", useIdleSlots=" + useIdleSlots + "]";
    }

    public boolean clientConfigured() {
        return clientId.isPresent() && clientSecret.isPresent();
    }

    /** Scheme, host and port only: the form in which accounts servers and API domains are stored and compared. */
    private static URI origin(Settings s, String key, String value) {
        URI u = httpUrl(s, key, value, false);
        return URI.create(u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getRawAuthority().toLowerCase(Locale.ROOT));
    }

    private static URI httpUrl(Settings s, String key, String value, boolean pathAllowed) {
        URI u;
        try {
            u = new URI(value);
        } catch (Exception e) {
            throw Settings.invalid(key, "must be an http(s) URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null || u.getRawUserInfo() != null
                || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw Settings.invalid(key, "must be an http(s) URL without user info, query or fragment");
        }
        if (!pathAllowed && u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
            throw Settings.invalid(key, "must be a server URL without a path, such as https://accounts.zoho.eu");
        }
        return u;
    }
}
