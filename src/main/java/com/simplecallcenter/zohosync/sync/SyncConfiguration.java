package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.web.Problems;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoTokenManager;
import com.simplecallcenter.zohosync.zoho.ZohoWriteBatcher;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Binds the beans of the sync routes ({@code routes/sync*.camel.yaml}). Needs {@code dataSource}, {@code objectMapper},
 * {@code meterRegistry}, {@code settings}, {@code problems}, {@code zohoClient} and {@code zohoWriteBatcher} in the registry.
 */
public final class SyncConfiguration implements CamelConfiguration {

    /** Ingest wire-taps each stored event's callId here; the sweep and replays use the same queue. */
    public static final String HAND_OFF = "seda:call-event-stored?size=10000&discardWhenFull=true";

    private final Settings settings;
    private final SyncSettings s;

    /** Validates the sync's settings right away, so a bad one stops the start with one line naming it. */
    public SyncConfiguration(Settings settings) {
        this.settings = settings;
        this.s = SyncSettings.from(settings);
        SyncSettings.validateRouteSettings(settings);
        AgentDirectory.load(Path.of(s.agentsFile()));
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry r = context.getRegistry();
        HikariDataSource dataSource = required(r, "dataSource", HikariDataSource.class);
        ObjectMapper mapper = required(r, "objectMapper", ObjectMapper.class);
        MeterRegistry meters = required(r, "meterRegistry", MeterRegistry.class);
        Problems problems = required(r, "problems", Problems.class);
        ZohoClient zoho = required(r, "zohoClient", ZohoClient.class);
        ZohoWriteBatcher writes = required(r, "zohoWriteBatcher", ZohoWriteBatcher.class);

        SyncMetrics metrics = new SyncMetrics(meters);
        CallSyncRepository repository = new CallSyncRepository(dataSource, mapper);
        ProducerTemplate producer = context.createProducerTemplate();
        int concurrency = settings.intValue("scc.sync.concurrency", 24, 1, 200);
        HikariDataSource lockPool = CallLocks.lockPool(dataSource, concurrency + 4);
        CallLocks locks = new CallLocks(lockPool, repository, producer, HAND_OFF);
        PersonCreatedRepository created = new PersonCreatedRepository(dataSource);
        PersonMatcher matcher = new PersonMatcher(zoho, s, metrics, repository, created, locks);

        r.bind("syncSettings", s);
        r.bind("syncMetrics", metrics);
        r.bind("callSyncRepository", repository);
        r.bind("callLocks", locks);
        r.bind("callSync", new CallSync(repository, new CallStateMerger(mapper), s, metrics, Clock.systemUTC()));
        r.bind("ownerResolver", new OwnerResolver(AgentDirectory.load(Path.of(s.agentsFile())), zoho, s, metrics));
        r.bind("personMatcher", matcher);
        r.bind("personWriter", new PersonWriter(zoho, writes, s, repository, matcher, created, mapper));
        r.bind("callActivityWriter", new CallActivityWriter(zoho, writes, new CallMapper(s, mapper), repository, s, matcher));
        r.bind("syncFailures", new SyncFailures(repository, s, metrics));
        ZohoTokenManager tokens = required(r, "zohoTokenManager", ZohoTokenManager.class);
        r.bind("syncSweep", new SyncSweep(repository, created, s, tokens::isConnected));
        r.bind("syncGate", new ConnectionGate(tokens::isConnected));
        r.bind("syncAdmin", new SyncAdmin(repository, problems, metrics, matcher, producer, HAND_OFF));

        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                lockPool.close();
            }
        });
    }

    private static <T> T required(Registry r, String name, Class<T> type) {
        T bean = r.lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("the sync needs the bean '" + name + "' (" + type.getSimpleName() + ") in the registry");
        }
        return bean;
    }
}
