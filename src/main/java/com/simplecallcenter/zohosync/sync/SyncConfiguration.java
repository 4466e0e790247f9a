package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoTokenManager;
import com.simplecallcenter.zohosync.zoho.ZohoWriteBatcher;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import java.nio.file.Path;
import java.time.Clock;

/** Binds the beans of the sync routes ({@code routes/sync*.camel.yaml}). */
public final class SyncConfiguration {

    /** Ingest wire-taps each stored event's callId here; the sweep and replays use the same queue. */
    public static final String HAND_OFF = "seda:call-event-stored?size=10000&discardWhenFull=true";

    private final Settings settings;
    private final SyncSettings s;
    private final Clock clock;
    private final int concurrency;

    /** Validates the sync's settings right away, so a bad one stops the start with one line naming it. */
    public SyncConfiguration(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.s = SyncSettings.from(settings);
        SyncSettings.validateRouteSettings(settings);
        this.concurrency = settings.intValue("scc.sync.concurrency", 1, 200);
        AgentDirectory.load(Path.of(s.agentsFile()));
    }

    /** Returns {@code syncAdmin}, which the admin page uses too. */
    public SyncAdmin bind(CamelContext context, HikariDataSource dataSource, ObjectMapper mapper, MeterRegistry meters, Problems problems,
                          ZohoClient zoho, ZohoWriteBatcher writes, ZohoTokenManager tokens) throws Exception {
        Registry r = context.getRegistry();

        SyncMetrics metrics = new SyncMetrics(meters);
        CallSyncRepository repository = new CallSyncRepository(dataSource, mapper, clock);
        ProducerTemplate producer = context.createProducerTemplate();
        HikariDataSource lockPool = CallLocks.lockPool(dataSource, concurrency + 4);
        CallLocks locks = new CallLocks(lockPool, repository, producer, HAND_OFF);
        PersonCreatedRepository created = new PersonCreatedRepository(dataSource);
        PersonMatcher matcher = new PersonMatcher(zoho, s, metrics, repository, created, locks);

        r.bind("syncSettings", s);
        r.bind("syncMetrics", metrics);
        r.bind("callSyncRepository", repository);
        r.bind("callLocks", locks);
        r.bind("callSync", new CallSync(repository, new CallStateMerger(mapper), s, metrics, clock));
        r.bind("ownerResolver", new OwnerResolver(AgentDirectory.load(Path.of(s.agentsFile())), zoho, s, metrics));
        r.bind("personMatcher", matcher);
        r.bind("personWriter", new PersonWriter(zoho, writes, s, repository, matcher, created, mapper));
        r.bind("callActivityWriter", new CallActivityWriter(zoho, writes, new CallMapper(s, mapper), repository, s, matcher));
        r.bind("syncFailures", new SyncFailures(repository, s, metrics));
        r.bind("syncSweep", new SyncSweep(repository, created, s, tokens::isConnected));
        r.bind("syncGate", new ConnectionGate(tokens::isConnected));
        SyncAdmin admin = new SyncAdmin(repository, problems, metrics, matcher, producer, HAND_OFF);
        r.bind("syncAdmin", admin);

        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                lockPool.close();
            }
        });
        return admin;
    }
}
