package com.simplecallcenter.zohosync.features;

import com.simplecallcenter.zohosync.config.Settings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.PropertiesFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The run-time switches of the optional routes (bean {@code featureSwitches}). Each feature's default comes from
 * {@code scc.feature.<name>.enabled}; a row in {@code feature_switch}, written by {@code PUT /api/v1/admin/features/{name}},
 * overrides it on every instance and across restarts. Every instance polls the table ({@code scc.feature.refresh-interval})
 * and starts or stops the feature's routes when the effective state changes. The sync asks {@link #isEnabled} before
 * it sends a call to an optional route, so "off" means "skipped", never an error.
 */
public class FeatureSwitches {

    /** One optional route: its switch name, what it does, its default, and the Camel routes it starts and stops. */
    public record Feature(String name, String description, boolean defaultEnabled, List<String> routeIds) {
    }

    /** An item of {@code GET /api/v1/admin/features}. */
    public record Item(String name, boolean enabled, String description) {
    }

    public static final String FOLLOWUP_TASKS = "followup-tasks";
    public static final String DEAL_LINKS = "deal-links";
    public static final String RECORDING_LINKS = "recording-links";
    public static final String CONTACT_UPDATES = "contact-updates";

    private static final Logger LOG = LoggerFactory.getLogger("scc.features");

    private final Map<String, Feature> features;
    private final List<String> order;
    private final FeatureSwitchRepository repository;
    private volatile Map<String, Boolean> effective;
    private volatile CamelContext context;
    private volatile boolean refreshFailing;

    public FeatureSwitches(List<Feature> features, FeatureSwitchRepository repository) {
        Map<String, Feature> m = new LinkedHashMap<>();
        features.forEach(f -> m.put(f.name(), f));
        this.features = Map.copyOf(m);
        this.order = List.copyOf(m.keySet());
        this.repository = repository;
        this.effective = compute(repository.overrides());
    }

    /** The four optional routes, their defaults read from the settings. */
    public static List<Feature> catalogue(Settings s) {
        return List.of(
                new Feature(FOLLOWUP_TASKS, "Follow-up Tasks in Zoho for missed inbound calls, requested callbacks and escalations",
                        s.bool("scc.feature.followup-tasks.enabled", false), List.of("followup-tasks")),
                new Feature(DEAL_LINKS, "Links the Call of a Contact to the Contact's open Deal, else to its Account",
                        s.bool("scc.feature.deal-links.enabled", false), List.of("deal-links")),
                new Feature(RECORDING_LINKS, "Recording link in Voice_Recording__s; transcript and summary links in the Call's "
                        + "Description or as Notes on the Call", s.bool("scc.feature.recording-links.enabled", true),
                        List.of("recording-notes")),
                new Feature(CONTACT_UPDATES, "Fills the allowed empty fields (scc.zoho.update-fields) of a matched Lead or Contact",
                        s.bool("scc.feature.contact-updates.enabled", true), List.of("contact-updates")));
    }

    /** Whether the feature is on on this instance now. An unknown name is a bug in a route: it fails loudly. */
    public boolean isEnabled(String name) {
        Boolean on = effective.get(name);
        if (on == null) {
            throw new IllegalArgumentException("no optional route named '" + name + "'");
        }
        return on;
    }

    public boolean exists(String name) {
        return features.containsKey(name);
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

    /** Timer step ({@code features-refresh}): reads the table and starts/stops routes whose feature changed. */
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
        applyRoutes(next);
    }

    /** Brings every feature route to its feature's state (also repairs a route someone started or stopped by hand). */
    synchronized void applyRoutes(Map<String, Boolean> state) {
        CamelContext ctx = context;
        if (ctx == null || !ctx.isStarted()) {
            return;
        }
        for (Feature f : features.values()) {
            boolean on = state.get(f.name());
            for (String routeId : f.routeIds()) {
                Route route = ctx.getRoute(routeId);
                if (route == null) {
                    continue; // the route file was removed: the switch still guards the sync's step
                }
                ServiceStatus status = ctx.getRouteController().getRouteStatus(routeId);
                try {
                    if (on && status != null && !status.isStarted() && status.isStartable()) {
                        ctx.getRouteController().startRoute(routeId);
                    } else if (!on && status != null && status.isStarted()) {
                        ctx.getRouteController().stopRoute(routeId, 10, TimeUnit.SECONDS);
                    }
                } catch (Exception e) {
                    LOG.warn("feature {}: could not {} route {} ({})", f.name(), on ? "start" : "stop", routeId, e.toString());
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

    /** Lets the switches start and stop routes; called once the context exists. */
    void attach(CamelContext context) {
        this.context = context;
    }

    /**
     * {@code {{feature:followup-tasks}}} in a route's {@code autoStartup}: the effective state when the routes are
     * created (property default, or the stored switch).
     */
    PropertiesFunction propertiesFunction() {
        return new PropertiesFunction() {
            @Override
            public String getName() {
                return "feature";
            }

            @Override
            public String apply(String remainder) {
                return String.valueOf(isEnabled(remainder.trim()));
            }
        };
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
