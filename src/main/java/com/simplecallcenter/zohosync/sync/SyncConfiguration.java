package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.zoho.ZohoOrgs;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Binds the beans of the sync routes ({@code routes/sync*.camel.yaml}). */
public final class SyncConfiguration {

    /** Ingest wire-taps each stored event's callId here; the sweep and replays use the same queue. */
    public static final String HAND_OFF = "seda:call-event-stored?size=10000&discardWhenFull=true";

    private final Settings settings;
    private final SyncSettings s;
    private final Clock clock;
    private final int concurrency;
    private final Duration retention;
    private final int retentionBatch;
    private final Reconciler.Options reconcile;

    /** Validates the sync's settings right away, so a bad one stops the start with one line naming it. */
    public SyncConfiguration(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.s = SyncSettings.from(settings);
        SyncSettings.validateRouteSettings(settings);
        this.concurrency = settings.intValue("scc.sync.concurrency", 1, 200);
        this.retention = settings.duration("scc.retention.events", Duration.ofHours(1), Duration.ofDays(3650));
        this.retentionBatch = settings.intValue("scc.retention.batch", 1, 100_000);
        settings.duration("scc.retention.interval", Duration.ofSeconds(1), Duration.ofDays(1));
        AgentDirectory.load(Path.of(s.agentsFile()));
        this.reconcile = reconcileOptions(settings);
    }

    private static Reconciler.Options reconcileOptions(Settings settings) {
        int pageSize = settings.intValue("scc.reconcile.page-size", 1, 2000);
        int maxPages = settings.intValue("scc.reconcile.max-pages", 1, 50);
        if ((long) pageSize * maxPages > 100_000) {
            // COQL reaches no further than 100,000 records by offset
            throw Settings.invalid("scc.reconcile.max-pages", "page-size x max-pages must stay within 100000 (COQL's reach)");
        }
        return new Reconciler.Options(settings.duration("scc.reconcile.interval", Duration.ofSeconds(1), Duration.ofDays(7)),
                settings.duration("scc.reconcile.window", Duration.ofMinutes(1), Duration.ofDays(365)), pageSize, maxPages,
                settings.bool("scc.reconcile.recreate-deleted"), settings.bool("scc.reconcile.remove-duplicates"));
    }

    /** What the layers above use: the admin page reads the sync's state; the optional routes reach each tenant's Zoho. */
    public record Beans(SyncAdmin admin, SyncTenants tenants, Reconciler reconciler, SyncOverview overview) {
    }

    public SyncSettings settings() {
        return s;
    }

    /**
     * @param tenantSettings a tenant's settings (its own values over {@link #settings()})
     * @param savedAgents    a tenant's agent map as its admin saved it
     * @param slots          how many calls of a tenant may be in flight at once, across all instances
     */
    public Beans bind(CamelContext context, HikariDataSource dataSource, ObjectMapper mapper, MeterRegistry meters, Problems problems,
                      ZohoOrgs orgs, java.util.function.Function<String, SyncSettings> tenantSettings,
                      java.util.function.Function<String, java.util.Map<String, String>> savedAgents,
                      java.util.function.ToIntFunction<String> slots, java.util.function.Supplier<java.util.List<String>> activeTenants,
                      com.simplecallcenter.zohosync.inbox.EventInbox inbox) throws Exception {
        Registry r = context.getRegistry();
        SyncTenants tenants = new SyncTenants(orgs, AgentDirectory.load(Path.of(s.agentsFile())), tenantSettings, savedAgents);

        SyncMetrics metrics = new SyncMetrics(meters);
        CallSyncRepository repository = new CallSyncRepository(dataSource, mapper, clock);
        ProducerTemplate producer = context.createProducerTemplate();
        HikariDataSource lockPool = CallLocks.lockPool(dataSource, concurrency + 4);
        CallLocks locks = new CallLocks(lockPool, repository, producer, HAND_OFF, slots);
        PersonCreatedRepository created = new PersonCreatedRepository(dataSource);
        PersonMatcher matcher = new PersonMatcher(tenants, s, metrics, repository, created, locks);

        r.bind("syncSettings", s);
        r.bind("syncMetrics", metrics);
        r.bind("callSyncRepository", repository);
        r.bind("callLocks", locks);
        r.bind("callSync", new CallSync(repository, new CallStateMerger(mapper), s, metrics, clock));
        r.bind("ownerResolver", new OwnerResolver(tenants, s, metrics));
        r.bind("personMatcher", matcher);
        r.bind("personWriter", new PersonWriter(tenants, s, repository, matcher, created, mapper));
        r.bind("callActivityWriter", new CallActivityWriter(tenants, new CallMapper(s, mapper), repository, s, matcher));
        r.bind("syncFailures", new SyncFailures(repository, s, metrics));
        ConnectionGate gate = new ConnectionGate(orgs::isConnected, orgs.credits()::exhausted);
        // a sweep takes at most the deployment's call slots of one tenant: more could not run at once anyway
        r.bind("syncSweep", new SyncSweep(repository, created, s, gate::isConnected, gate::hasCredits, slots.applyAsInt(com.simplecallcenter.zohosync.http.Tenancy.DEFAULT)));
        r.bind("syncGate", gate);
        // the same question as a Camel predicate, for the ingest routes' hand-off filter (`ref: tenantConnected`): called
        // directly on every accepted request, without the bean language's copy of the exchange
        r.bind("tenantConnected", (org.apache.camel.Predicate) gate::isTenantConnected);
        SyncAdmin admin = new SyncAdmin(repository, problems, metrics, matcher, producer, HAND_OFF);
        r.bind("syncAdmin", admin);
        Reconciler reconciler = new Reconciler(tenants, repository, new ReconcileReports(dataSource), problems, mapper, meters, producer,
                HAND_OFF, activeTenants, orgs::isConnected, reconcile, clock);
        r.bind("reconciler", reconciler);
        r.bind("personalData", new PersonalData(dataSource, tenants, matcher, problems, retention, retentionBatch));

        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                lockPool.close();
            }
        });
        return new Beans(admin, tenants, reconciler, new SyncOverview(repository, tenants, admin, inbox, mapper, producer, HAND_OFF, clock, s.subjectTemplate()));
    }
}
