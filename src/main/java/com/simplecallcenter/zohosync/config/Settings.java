package com.simplecallcenter.zohosync.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Every setting of the service, resolved once at start-up: {@code config/application.properties}, then an environment
 * variable named after the key (upper case, {@code .} and {@code -} as {@code _}: {@code scc.db.url} → {@code SCC_DB_URL}),
 * then explicit overrides (tests, {@code -D}). The resolved map is handed to Camel as override properties, so routes'
 * {@code {{placeholders}}} and beans see exactly what was validated here.
 */
public final class Settings {

    /**
     * Keys renamed so that an optional route's settings carry its feature's name (former key → key). The former key is
     * still read from a settings file, the environment ({@code SCC_FOLLOWUP_PRIORITY}) and overrides; the key wins.
     */
    static final Map<String, String> FORMER_KEYS = Map.ofEntries(
            Map.entry("scc.followup.due-business-days", "scc.followup-tasks.due-business-days"),
            Map.entry("scc.followup.priority", "scc.followup-tasks.priority"),
            Map.entry("scc.followup.fallback-owner-id", "scc.followup-tasks.fallback-owner-id"),
            Map.entry("scc.followup.callback-tag", "scc.followup-tasks.callback-tag"),
            Map.entry("scc.followup.escalation-tag", "scc.followup-tasks.escalation-tag"),
            Map.entry("scc.followup.escalation-owner-id", "scc.followup-tasks.escalation-owner-id"),
            Map.entry("scc.followup.missed-subject", "scc.followup-tasks.missed-subject"),
            Map.entry("scc.followup.callback-subject", "scc.followup-tasks.callback-subject"),
            Map.entry("scc.followup.escalation-subject", "scc.followup-tasks.escalation-subject"),
            Map.entry("scc.links.transcript-target", "scc.recording-links.transcript-target"),
            Map.entry("scc.links.expiring-url-params", "scc.recording-links.expiring-url-params"));

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Settings load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> values = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new SettingsException("cannot read settings file " + file + ": " + e.getMessage());
            }
            p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
        }
        FORMER_KEYS.forEach((former, key) -> {
            String v = values.remove(former);
            if (v != null) {
                values.putIfAbsent(key, v);
            }
            String fromEnv = env.get(envName(former));
            if (fromEnv != null && !env.containsKey(envName(key))) {
                values.put(key, fromEnv.trim());
            }
        });
        // environment variables override keys of the file
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            for (String key : values.keySet().toArray(new String[0])) {
                if (envName(key).equals(name)) {
                    values.put(key, e.getValue().trim());
                }
            }
        }
        putAll(values, overrides);
        return new Settings(values);
    }

    public static Settings of(Map<String, String> values) {
        Map<String, String> m = new TreeMap<>();
        putAll(m, values);
        return new Settings(m);
    }

    /** Puts every entry, a former key under its current name unless {@code entries} also has that name. */
    private static void putAll(Map<String, String> values, Map<String, String> entries) {
        entries.forEach((k, v) -> {
            String key = FORMER_KEYS.getOrDefault(k, k);
            if (key.equals(k) || !entries.containsKey(key)) {
                values.put(key, v);
            }
        });
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Map<String, String> asMap() {
        return values;
    }

    public Optional<String> optional(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    public String get(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> invalid(key, "is required"));
    }

    /**
     * A duration in Camel's words ({@code 500} ms, {@code 5s}, {@code 30m}, {@code 2h}); a word it cannot read, a negative
     * value, or zero when {@code zeroAllowed} is false stops the start with a line naming the setting.
     */
    public java.time.Duration duration(String key, String defaultValue, boolean zeroAllowed) {
        String v = get(key, defaultValue);
        long ms;
        try {
            ms = org.apache.camel.util.TimeUtils.toMilliSeconds(v);
        } catch (RuntimeException e) {
            // Camel's parser throws more than IllegalArgumentException for words it cannot read ("soon")
            throw invalid(key, "must be a duration such as 500, 5s, 30m or 2h (got '" + v + "')");
        }
        if (ms < 0 || (ms == 0 && !zeroAllowed)) {
            throw invalid(key, zeroAllowed ? "must not be negative" : "must be positive");
        }
        return java.time.Duration.ofMillis(ms);
    }

    public int intValue(String key, int defaultValue, int min, int max) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int i = Integer.parseInt(v.get());
            if (i < min || i > max) {
                throw invalid(key, "must be between " + min + " and " + max + " (got " + i + ")");
            }
            return i;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number (got '" + v.get() + "')");
        }
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            long i = Long.parseLong(v.get());
            if (i < min || i > max) {
                throw invalid(key, "must be between " + min + " and " + max + " (got " + i + ")");
            }
            return i;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number (got '" + v.get() + "')");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, "must be true or false (got '" + v.get() + "')");
        };
    }

    public <E extends Enum<E>> String oneOf(String key, String defaultValue, String... allowed) {
        String v = get(key, defaultValue);
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
        String former = FORMER_KEYS.entrySet().stream().filter(e -> e.getValue().equals(key))
                .map(e -> ", formerly " + envName(e.getKey())).findFirst().orElse("");
        return new SettingsException("invalid setting " + envName(key) + " (" + key + former + "): " + why);
    }
}
