package com.simplecallcenter.zohosync.features;

import com.simplecallcenter.zohosync.config.Settings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The run-time switches of the optional routes (bean {@code featureSwitches}), asked by the sync's filters. A row in
 * {@code feature_switch} overrides the configured default; every instance re-reads the table on a timer.
 */
public class FeatureSwitches {

    /** One optional route as {@code config/application.properties} declares it. */
    public record Feature(String name, String description, boolean defaultEnabled) {
    }

    /** An item of {@code GET /api/v1/admin/features}. */
    public record Item(String name, boolean enabled, String description) {
    }

    private static final Logger LOG = LoggerFactory.getLogger("scc.features");

    private final Map<String, Feature> features;
    private final List<String> order;
    private final FeatureSwitchRepository repository;
    private volatile Map<String, Boolean> effective;
    private volatile boolean refreshFailing;

    public FeatureSwitches(List<Feature> features, FeatureSwitchRepository repository) {
        Map<String, Feature> m = new LinkedHashMap<>();
        features.forEach(f -> m.put(f.name(), f));
        this.features = Map.copyOf(m);
        this.order = List.copyOf(m.keySet());
        this.repository = repository;
        this.effective = compute(repository.overrides());
    }

    /**
     * The catalogue: {@code scc.feature.names} in order, each with {@code scc.feature.<name>.description} and
     * {@code scc.feature.<name>.enabled}, both required.
     */
    public static List<Feature> catalogue(Settings s) {
        Set<String> names = new LinkedHashSet<>();
        for (String n : s.get("scc.feature.names").split(",")) {
            String name = n.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!name.matches("[a-z0-9][a-z0-9-]{0,63}") || !names.add(name)) {
                throw Settings.invalid("scc.feature.names", "must be distinct names of lower-case letters, digits and '-' (got '" + name + "')");
            }
        }
        List<Feature> catalogue = new ArrayList<>();
        for (String name : names) {
            String description = s.required("scc.feature." + name + ".description");
            s.required("scc.feature." + name + ".enabled");
            catalogue.add(new Feature(name, description, s.bool("scc.feature." + name + ".enabled")));
        }
        return List.copyOf(catalogue);
    }

    /** Whether the feature is on on this instance now. An unknown name is a bug in a route: it fails loudly. */
    public boolean isEnabled(String name) {
        Boolean on = effective.get(name);
        if (on == null) {
            throw new IllegalArgumentException("no optional route named '" + name + "' in scc.feature.names");
        }
        return on;
    }

    public boolean exists(String name) {
        return features.containsKey(name);
    }

    public List<String> names() {
        return order;
    }

    public List<Item> items() {
        Map<String, Boolean> now = effective;
        return order.stream().map(n -> new Item(n, now.get(n), features.get(n).description())).toList();
    }

    public Item item(String name) {
        return new Item(name, effective.get(name), features.get(name).description());
    }

    /** Stores an admin's switch (seen by every instance at its next refresh) and applies it here at once. */
    public Item set(String name, boolean enabled) {
        repository.set(name, enabled);
        LOG.info("feature {} switched {} by an admin", name, enabled ? "on" : "off");
        refresh();
        return item(name);
    }

    /** Timer step ({@code features-refresh}): reads the stored switches. */
    public void refresh() {
        Map<String, Boolean> next;
        try {
            next = compute(repository.overrides());
            if (refreshFailing) {
                LOG.info("feature switches readable again");
                refreshFailing = false;
            }
        } catch (RuntimeException e) {
            // the database is away: keep the last known state, say so once
            if (!refreshFailing) {
                LOG.warn("cannot read the feature switches ({}); keeping the last known state", e.toString());
                refreshFailing = true;
            }
            return;
        }
        Map<String, Boolean> before = effective;
        effective = next;
        for (String name : order) {
            if (!next.get(name).equals(before.get(name))) {
                LOG.info("feature {} is now {}", name, next.get(name) ? "on" : "off");
            }
        }
    }

    private Map<String, Boolean> compute(Map<String, Boolean> overrides) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (Feature f : features.values()) {
            m.put(f.name(), Optional.ofNullable(overrides.get(f.name())).orElse(f.defaultEnabled()));
        }
        return Map.copyOf(m);
    }

    /** {@code scc_feature_enabled{feature}} 1 or 0. */
    void bindMetrics(MeterRegistry registry) {
        for (String name : order) {
            Gauge.builder("scc_feature_enabled", () -> effective.get(name) ? 1 : 0)
                    .description("1 when the optional route is switched on on this instance")
                    .tag("feature", name).register(registry);
        }
    }
}
