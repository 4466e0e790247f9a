package com.simplecallcenter.zohosync.features;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.sync.CallLinkPolicy;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.spi.CamelEvent;

/**
 * Binds the beans of the optional routes and their switches (docs/optional-routes.md). Bound before the sync, because
 * the sync's Call mapper takes the {@code callLinkPolicy} of recording-links from here.
 */
public final class FeaturesConfiguration {

    /** What the layers above use: the sync asks {@code callLinkPolicy}, the admin page flips the switches. */
    public record Beans(FeatureSwitches switches, CallLinkPolicy callLinkPolicy) {
    }

    private final Settings settings;
    private final FeatureSettings s;

    /** Validates the settings right away, so a bad one stops the start with one line naming it. */
    public FeaturesConfiguration(Settings settings) {
        this.settings = settings;
        this.s = FeatureSettings.from(settings);
    }

    public Beans bind(CamelContext context, HikariDataSource dataSource, ObjectMapper mapper, MeterRegistry meters, Problems problems,
                      ZohoClient zoho) {
        Registry r = context.getRegistry();

        // the stored switches are read now, so the routes start (autoStartup) in their effective state
        FeatureSwitches switches = new FeatureSwitches(FeatureSwitches.catalogue(settings), new FeatureSwitchRepository(dataSource));
        switches.bindMetrics(meters);
        context.getPropertiesComponent().addPropertiesFunction(switches.propertiesFunction());
        switches.attach(context);
        // a switch flipped between reading the table and the routes' start is applied once everything has started
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    switches.refresh();
                }
            }
        });

        r.bind("featureSettings", s);
        r.bind("featureSwitches", switches);
        r.bind("featuresAdmin", new FeaturesAdmin(switches, problems, mapper));
        r.bind("followupTasks", new FollowupTasks(zoho, new FollowupTaskRepository(dataSource), s, mapper, meters));
        r.bind("dealLinks", new DealLinks(zoho, s, meters));
        RecordingLinks links = new RecordingLinks(switches, s, zoho, new CallNoteRepository(dataSource), mapper, meters);
        r.bind("recordingLinks", links);
        r.bind("callLinkPolicy", links);
        return new Beans(switches, links);
    }
}
