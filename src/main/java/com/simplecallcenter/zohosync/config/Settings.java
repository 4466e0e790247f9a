package com.simplecallcenter.zohosync.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Every setting of the service, resolved once at start-up. Each setting is named, documented and given its default
 * in one place, {@code config/application.properties} (the build copies it into the jar as the defaults, so a
 * deployment without the file still has them); then the file at {@code scc.config} overrides it, then an environment
 * variable named after a key ({@code scc.db.url} → {@code SCC_DB_URL}), then explicit overrides (tests, the demo).
 * Only keys of the defaults exist: an accessor asked for another key is a programming error, and an {@code SCC_…}
 * environment variable naming no key is reported by {@link #unknownEnvironment()}. Durations are written with a unit
 * ({@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}; a bare number is milliseconds).
 */
public final class Settings {

    /** The defaults on the classpath: {@code config/application.properties}, copied by the build. */
    static final String DEFAULTS = "scc-defaults/application.properties";

    /** A renamed key: its former name is still read (file, environment, overrides) and the current name wins. */
    record Former(String key, String unit) {
        String value(String v) {
            return unit.isEmpty() || !v.trim().matches("[0-9]+") ? v.trim() : v.trim() + unit;
        }
    }

    /**
     * Former key → current key: optional routes' settings carry their feature's name, and durations lost their unit
     * suffix ({@code -ms}, {@code -seconds}), a bare number under the former name keeping its former unit.
     */
    static final Map<String, Former> FORMER_KEYS = Map.ofEntries(
            Map.entry("scc.followup.due-business-days", new Former("scc.followup-tasks.due-business-days", "")),
            Map.entry("scc.followup.priority", new Former("scc.followup-tasks.priority", "")),
            Map.entry("scc.followup.fallback-owner-id", new Former("scc.followup-tasks.fallback-owner-id", "")),
            Map.entry("scc.followup.callback-tag", new Former("scc.followup-tasks.callback-tag", "")),
            Map.entry("scc.followup.escalation-tag", new Former("scc.followup-tasks.escalation-tag", "")),
            Map.entry("scc.followup.escalation-owner-id", new Former("scc.followup-tasks.escalation-owner-id", "")),
            Map.entry("scc.followup.missed-subject", new Former("scc.followup-tasks.missed-subject", "")),
            Map.entry("scc.followup.callback-subject", new Former("scc.followup-tasks.callback-subject", "")),
            Map.entry("scc.followup.escalation-subject", new Former("scc.followup-tasks.escalation-subject", "")),
            Map.entry("scc.links.transcript-target", new Former("scc.recording-links.transcript-target", "")),
            Map.entry("scc.links.expiring-url-params", new Former("scc.recording-links.expiring-url-params", "")),
            Map.entry("scc.db.connect-timeout-ms", new Former("scc.db.connect-timeout", "ms")),
            Map.entry("scc.db.ready-timeout-ms", new Former("scc.db.ready-timeout", "ms")),
            Map.entry("scc.zoho.connect-timeout-ms", new Former("scc.zoho.connect-timeout", "ms")),
            Map.entry("scc.zoho.read-timeout-ms", new Former("scc.zoho.read-timeout", "ms")),
            Map.entry("scc.zoho.refresh-ahead-seconds", new Former("scc.zoho.refresh-ahead", "s")),
            Map.entry("scc.zoho.refresh-throttle-backoff-seconds", new Former("scc.zoho.refresh-throttle-backoff", "s")));

    /** Durations that Camel options read as a bare number of milliseconds: routes use {@code {{<key>.millis}}}. */
    static final List<String> MILLIS_VIEWS = List.of("scc.sync.redelivery.delay", "scc.sync.redelivery.max-delay");

    private final Map<String, String> values;
    private final List<String> unknownEnvironment;

    private Settings(Map<String, String> values, List<String> unknownEnvironment) {
        this.values = Collections.unmodifiableMap(values);
        this.unknownEnvironment = List.copyOf(unknownEnvironment);
    }

    public static Settings load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> values = defaults();
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new SettingsException("cannot read settings file " + file + ": " + e.getMessage());
            }
            Map<String, String> fromFile = new TreeMap<>();
            p.stringPropertyNames().forEach(k -> fromFile.put(k, p.getProperty(k)));
            putAll(values, fromFile);
        }
        Map<String, String> byEnvName = new HashMap<>();
        values.keySet().forEach(k -> byEnvName.put(envName(k), k));
        FORMER_KEYS.forEach((former, f) -> byEnvName.putIfAbsent(envName(former), former));
        Map<String, String> fromEnv = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        env.forEach((name, v) -> {
            String key = byEnvName.get(name);
            if (key != null) {
                fromEnv.put(key, v);
            } else if (name.startsWith("SCC_") && !name.startsWith("SCC_TEST_")) {
                unknown.add(name);
            }
        });
        putAll(values, fromEnv);
        putAll(values, overrides);
        Collections.sort(unknown);
        return new Settings(values, unknown);
    }

    /** The defaults with {@code values} over them (unit tests of settings readers). */
    public static Settings of(Map<String, String> values) {
        Map<String, String> m = defaults();
        putAll(m, values);
        return new Settings(m, List.of());
    }

    private static Map<String, String> defaults() {
        Properties p = new Properties();
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new SettingsException("the defaults " + DEFAULTS + " are missing from the classpath (a broken build)");
            }
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SettingsException("cannot read the defaults " + DEFAULTS + ": " + e.getMessage());
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
        return m;
    }

    /** Puts every entry, a former key under its current name unless {@code entries} also has that name. */
    private static void putAll(Map<String, String> values, Map<String, String> entries) {
        entries.forEach((k, v) -> {
            Former f = FORMER_KEYS.get(k);
            if (f == null) {
                values.put(k, v.trim());
            } else if (!entries.containsKey(f.key())) {
                values.put(f.key(), f.value(v));
            }
        });
    }

    /** {@code SCC_…} environment variables that name no setting (a typo, or a setting that no longer exists). */
    public List<String> unknownEnvironment() {
        return unknownEnvironment;
    }

    /** What routes' {@code {{placeholders}}} see: every setting, plus the {@code .millis} views of {@link #MILLIS_VIEWS}. */
    public Map<String, String> forCamel() {
        Map<String, String> m = new TreeMap<>(values);
        for (String key : MILLIS_VIEWS) {
            m.put(key + ".millis", Long.toString(duration(key, false).toMillis()));
        }
        return m;
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** The value, or empty when blank. */
    public Optional<String> optional(String key) {
        String v = value(key);
        return v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /** The value as written (possibly blank). */
    public String get(String key) {
        return value(key);
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> invalid(key, "is required"));
    }

    private String value(String key) {
        String v = values.get(key);
        if (v == null) {
            // every setting has its line in config/application.properties; a key built from others (a feature's
            // description) may be missing there
            throw invalid(key, "is not set: every setting needs its line in config/application.properties");
        }
        return v;
    }

    /**
     * A duration: {@code 250ms}, {@code 5s}, {@code 30m}, {@code 2h} (a bare number is milliseconds); a word it cannot
     * read, a negative value, or zero when {@code zeroAllowed} is false stops the start with a line naming the setting.
     */
    public java.time.Duration duration(String key, boolean zeroAllowed) {
        String v = required(key);
        long ms;
        try {
            ms = org.apache.camel.util.TimeUtils.toMilliSeconds(v);
        } catch (RuntimeException e) {
            // Camel's parser throws more than IllegalArgumentException for words it cannot read ("soon")
            throw invalid(key, "must be a duration such as 250ms, 5s, 30m or 2h (got '" + v + "')");
        }
        if (ms < 0 || (ms == 0 && !zeroAllowed)) {
            throw invalid(key, zeroAllowed ? "must not be negative" : "must be positive");
        }
        return java.time.Duration.ofMillis(ms);
    }

    /** A duration within bounds. */
    public java.time.Duration duration(String key, java.time.Duration min, java.time.Duration max) {
        java.time.Duration d = duration(key, min.isZero());
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw invalid(key, "must be between " + words(min) + " and " + words(max) + " (got " + words(d) + ")");
        }
        return d;
    }

    private static String words(java.time.Duration d) {
        return org.apache.camel.util.TimeUtils.printDuration(d.toMillis());
    }

    public int intValue(String key, int min, int max) {
        return (int) longValue(key, min, max);
    }

    public long longValue(String key, long min, long max) {
        String v = required(key);
        try {
            long i = Long.parseLong(v);
            if (i < min || i > max) {
                throw invalid(key, "must be between " + min + " and " + max + " (got " + i + ")");
            }
            return i;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number (got '" + v + "')");
        }
    }

    public boolean bool(String key) {
        String v = required(key);
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, "must be true or false (got '" + v + "')");
        };
    }

    public String oneOf(String key, String... allowed) {
        String v = required(key);
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw invalid(key, "must be one of " + String.join(", ", allowed) + " (got '" + v + "')");
    }

    /** Decodes a base64 setting of an exact length in bytes; never echoes the value. */
    public Optional<byte[]> base64Key(String key, int length) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(v.get());
        } catch (IllegalArgumentException e) {
            throw invalid(key, "must be base64");
        }
        if (bytes.length != length) {
            throw invalid(key, "must decode to " + length + " bytes (got " + bytes.length + ")");
        }
        return Optional.of(bytes);
    }

    public static SettingsException invalid(String key, String why) {
        String former = FORMER_KEYS.entrySet().stream().filter(e -> e.getValue().key().equals(key))
                .map(e -> ", formerly " + envName(e.getKey())).findFirst().orElse("");
        return new SettingsException("invalid setting " + envName(key) + " (" + key + former + "): " + why);
    }
}
