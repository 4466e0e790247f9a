package com.simplecallcenter.zohosync.features;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.sync.SyncTenants;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** Binds the beans of the optional routes and their switches (docs/optional-routes.md). */
public final class FeaturesConfiguration {

    /** What the layers above use: the admin page flips the switches. */
    public record Beans(FeatureSwitches switches) {
    }

    private final FeatureSettings s;

    /** Validates the settings right away, so a bad one stops the start with one line naming it. */
    public FeaturesConfiguration(Settings settings) {
        this.s = FeatureSettings.from(settings);
    }

    public Beans bind(CamelContext context, HikariDataSource dataSource, ObjectMapper mapper, MeterRegistry meters, Problems problems,
                      SyncTenants tenants) {
        Registry r = context.getRegistry();

        FeatureSwitches switches = new FeatureSwitches(s.features(), new FeatureSwitchRepository(dataSource));
        switches.bindMetrics(meters);

        r.bind("featureSettings", s);
        r.bind("featureSwitches", switches);
        r.bind("featuresAdmin", new FeaturesAdmin(switches, problems, mapper));
        r.bind("followupTasks", new FollowupTasks(tenants, new FollowupTaskRepository(dataSource), s, mapper, meters));
        r.bind("dealLinks", new DealLinks(tenants, s, meters));
        r.bind("recordingLinks", new RecordingLinks(s, tenants, new CallNoteRepository(dataSource), mapper, meters));
        return new Beans(switches);
    }
}
