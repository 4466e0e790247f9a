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
 * The run-time switches of the optional routes (bean {@code featureSwitches}), asked by the sync's filters, per tenant.
 * A tenant's row in {@code feature_switch} overrides the configured default; every instance re-reads the switches of
 * the tenants it has seen on a timer (a tenant is read on its first call, not at start).
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
    private final java.util.concurrent.ConcurrentMap<String, Map<String, Boolean>> effective =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean refreshFailing;

    public FeatureSwitches(List<Feature> features, FeatureSwitchRepository repository) {
        Map<String, Feature> m = new LinkedHashMap<>();
        features.forEach(f -> m.put(f.name(), f));
        this.features = Map.copyOf(m);
        this.order = List.copyOf(m.keySet());
        this.repository = repository;
        effective.put(com.simplecallcenter.zohosync.http.Tenancy.DEFAULT,
                compute(repository.overrides(com.simplecallcenter.zohosync.http.Tenancy.DEFAULT)));
    }

    private Map<String, Boolean> of(String tenant) {
        return effective.computeIfAbsent(tenant, t -> compute(repository.overrides(t)));
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

    /** Whether the feature is on for the tenant on this instance now. An unknown name is a bug in a route: it fails loudly. */
    public boolean isEnabled(String name, String tenant) {
        Boolean on = of(tenant).get(name);
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

    public List<Item> items(String tenant) {
        Map<String, Boolean> now = of(tenant);
        return order.stream().map(n -> new Item(n, now.get(n), features.get(n).description())).toList();
    }

    public Item item(String name, String tenant) {
        return new Item(name, of(tenant).get(name), features.get(name).description());
    }

    /** Stores a tenant admin's switch (seen by every instance at its next refresh) and applies it here at once. */
    public Item set(String tenant, String name, boolean enabled) {
        repository.set(tenant, name, enabled);
        LOG.info("tenant={} feature {} switched {} by an admin", tenant, name, enabled ? "on" : "off");
        effective.put(tenant, compute(repository.overrides(tenant)));
        return item(name, tenant);
    }

    /** Timer step ({@code features-refresh}): reads the stored switches. */
    public void refresh() {
        Map<String, Map<String, Boolean>> stored;
        try {
            stored = repository.overrides(List.copyOf(effective.keySet()));
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
        for (Map.Entry<String, Map<String, Boolean>> e : effective.entrySet()) {
            Map<String, Boolean> before = e.getValue();
            Map<String, Boolean> next = compute(stored.getOrDefault(e.getKey(), Map.of()));
            e.setValue(next);
            for (String name : order) {
                if (!next.get(name).equals(before.get(name))) {
                    LOG.info("tenant={} feature {} is now {}", e.getKey(), name, next.get(name) ? "on" : "off");
                }
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

    /** {@code scc_feature_enabled{feature}} 1 or 0, for the tenant default (other tenants: their admin API). */
    void bindMetrics(MeterRegistry registry) {
        for (String name : order) {
            Gauge.builder("scc_feature_enabled", () -> of(com.simplecallcenter.zohosync.http.Tenancy.DEFAULT).get(name) ? 1 : 0)
                    .description("1 when the optional route is switched on for the tenant default on this instance")
                    .tag("feature", name).register(registry);
        }
    }
}
