package com.simplecallcenter.zohosync.features;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.web.Problems;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * Binds the beans of the optional routes and their switches (docs/optional-routes.md). Needs {@code dataSource},
 * {@code objectMapper}, {@code meterRegistry}, {@code problems} and {@code zohoClient} in the registry.
 */
public final class FeaturesConfiguration implements CamelConfiguration {

    private final FeatureSettings s;

    /** Validates the settings right away, so a bad one stops the start with one line naming it. */
    public FeaturesConfiguration(Settings settings) {
        this.s = FeatureSettings.from(settings);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry r = context.getRegistry();
        HikariDataSource dataSource = required(r, "dataSource", HikariDataSource.class);
        ObjectMapper mapper = required(r, "objectMapper", ObjectMapper.class);
        MeterRegistry meters = required(r, "meterRegistry", MeterRegistry.class);
        Problems problems = required(r, "problems", Problems.class);
        ZohoClient zoho = required(r, "zohoClient", ZohoClient.class);

        FeatureSwitches switches = new FeatureSwitches(s.features(), new FeatureSwitchRepository(dataSource));
        switches.bindMetrics(meters);

        r.bind("featureSettings", s);
        r.bind("featureSwitches", switches);
        r.bind("featuresAdmin", new FeaturesAdmin(switches, problems, mapper));
        r.bind("followupTasks", new FollowupTasks(zoho, new FollowupTaskRepository(dataSource), s, mapper, meters));
        r.bind("dealLinks", new DealLinks(zoho, s, meters));
        r.bind("recordingLinks", new RecordingLinks(s, zoho, new CallNoteRepository(dataSource), mapper, meters));
    }

    private static <T> T required(Registry r, String name, Class<T> type) {
        T bean = r.lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("the optional routes need the bean '" + name + "' (" + type.getSimpleName() + ") in the registry");
        }
        return bean;
    }
}
