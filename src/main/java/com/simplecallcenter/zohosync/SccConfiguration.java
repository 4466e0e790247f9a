package com.simplecallcenter.zohosync;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.simplecallcenter.zohosync.admin.AdminAuth;
import com.simplecallcenter.zohosync.admin.AdminPage;
import com.simplecallcenter.zohosync.admin.AdminTenants;
import com.simplecallcenter.zohosync.admin.ZohoOAuthEndpoints;
import com.simplecallcenter.zohosync.config.ServiceSettings;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.features.FeaturesConfiguration;
import com.simplecallcenter.zohosync.http.ProblemErrorHandler;
import com.simplecallcenter.zohosync.http.FailureLimiter;
import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.http.Tenancy;
import com.simplecallcenter.zohosync.http.TenantDirectory;
import com.simplecallcenter.zohosync.http.RawFormHttpBinding;
import com.simplecallcenter.zohosync.inbox.AtomicJdbcMessageIdRepository;
import com.simplecallcenter.zohosync.inbox.EventInbox;
import com.simplecallcenter.zohosync.ingest.CallEventParser;
import com.simplecallcenter.zohosync.ingest.CanonicalIngest;
import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;
import com.simplecallcenter.zohosync.ops.DatabaseCheck;
import com.simplecallcenter.zohosync.ops.Health;
import com.simplecallcenter.zohosync.ops.Instances;
import com.simplecallcenter.zohosync.ops.Metrics;
import com.simplecallcenter.zohosync.ops.MetricsAccess;
import com.simplecallcenter.zohosync.phone.PhoneNumbers;
import com.simplecallcenter.zohosync.providers.ProvidersConfiguration;
import com.simplecallcenter.zohosync.sync.SyncAdmin;
import com.simplecallcenter.zohosync.sync.SyncConfiguration;
import com.simplecallcenter.zohosync.sync.SyncSettings;
import com.simplecallcenter.zohosync.tenants.TenantAuth;
import com.simplecallcenter.zohosync.tenants.TenantSettings;
import com.simplecallcenter.zohosync.tenants.Tenants;
import com.simplecallcenter.zohosync.tenants.TenantsConfiguration;
import com.simplecallcenter.zohosync.zoho.ZohoConfiguration;
import com.simplecallcenter.zohosync.zoho.ZohoOrgs;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jetty.JettyHttpComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import java.time.Clock;

/**
 * The one place where the beans that routes call by name are built and bound. {@link #configure} goes up the package
 * layers (README, "Packages"): HTTP plumbing and ops, the inbox and the canonical ingest, the tenant registry, Zoho,
 * the optional routes, the sync, the provider webhooks, the admin page. Each layer's configuration gets what it uses from the layers below
 * as arguments, never by a look-up in the registry. Every setting is checked when this class is built, before the
 * database is opened: a bad one stops the start with one line naming it.
 */
public final class SccConfiguration implements CamelConfiguration {

    private final Settings settings;
    private final Clock clock;
    private final ZohoConfiguration zoho;
    private final FeaturesConfiguration features;
    private final SyncConfiguration sync;
    private final ProvidersConfiguration providers;
    private final TenantsConfiguration tenants;
    private final ServiceSettings service;
    private HikariDataSource dataSource;

    /** {@code clock}: the one clock of the service, passed to every bean that reads the time (tests move their own). */
    public SccConfiguration(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.service = ServiceSettings.from(settings);
        validate();
        this.zoho = new ZohoConfiguration(settings, clock);
        this.features = new FeaturesConfiguration(settings);
        this.sync = new SyncConfiguration(settings, clock);
        this.providers = new ProvidersConfiguration(settings, service, clock);
        this.tenants = new TenantsConfiguration(settings);
    }

    /** The settings of this package's beans: everything that can be checked before a connection is opened. */
    private void validate() {
        failureLimiter();
        // a short operator token can be guessed; the limiter slows guessing down, length makes it hopeless
        if (settings.optional("scc.admin.token").map(t -> t.length() < 32).orElse(false)) {
            throw Settings.invalid("scc.admin.token", "must be at least 32 characters (generate one with: openssl rand -hex 32)");
        }
        readyTimeoutMillis();
        if (!PhoneNumbers.isKnownRegion(service.defaultRegion())) {
            throw Settings.invalid("scc.phone.default-region", "must be an ISO 3166-1 alpha-2 region code such as US or DE");
        }
        webhookVerifier();
        maxEventsPerCall();
        callsPerZohoSlot();
        adminZohoCacheTtl();
    }

    /** How long the admin page keeps what it read of a tenant's Zoho org (users, fields): each read costs credits. */
    private java.time.Duration adminZohoCacheTtl() {
        return settings.duration("scc.admin.zoho-cache-ttl", java.time.Duration.ZERO, java.time.Duration.ofHours(1));
    }

    /** Every sync of a call loads all its events: ingest refuses a new one beyond this many (issue 13, finding 6). */
    private int maxEventsPerCall() {
        return settings.intValue("scc.ingest.max-events-per-call", 1, 1_000_000);
    }

    SccConfiguration withDataSource(HikariDataSource ds) {
        this.dataSource = ds;
        return this;
    }

    public static ObjectMapper objectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Wrong tokens answered 429 per address after too many within the window (README, "Security"). */
    private FailureLimiter failureLimiter() {
        return new FailureLimiter(settings.intValue("scc.auth.failures-per-client", 1, 1_000_000),
                settings.intValue("scc.auth.failures-overall", 1, 1_000_000),
                settings.duration("scc.auth.failure-window", java.time.Duration.ofSeconds(1), java.time.Duration.ofHours(24)));
    }

    /** How long /health/ready waits for the database's answer: at most a second, so readiness always answers within one. */
    private long readyTimeoutMillis() {
        return settings.duration("scc.db.ready-timeout", java.time.Duration.ofMillis(50), java.time.Duration.ofSeconds(1)).toMillis();
    }

    /** What a tenant's unset setting falls back to: the deployment's own value of it (already checked by its layer). */
    private TenantSettings deploymentTenantSettings() {
        SyncSettings s = SyncSettings.from(settings);
        return new TenantSettings(s.createMissing(), s.callIdField(), s.defaultRegion(), s.defaultOwnerId().orElse(null),
                s.leadSource(), s.updateFields(), zoho.settings().maxConcurrency(), s.subjectTemplate(), s.overwriteFields(),
                zoho.settings().dailyCredits());
    }

    private StandardWebhookVerifier webhookVerifier() {
        return new StandardWebhookVerifier(settings.optional("scc.webhook.secret"), "scc.webhook.secret", clock);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry r = context.getRegistry();
        // plumbing every route uses (http, ops)
        ObjectMapper mapper = objectMapper();
        Metrics metrics = new Metrics();
        FailureLimiter limiter = failureLimiter();
        Problems problems = new Problems(mapper).countFailures(limiter);
        r.bind("failureLimiter", limiter);
        r.bind("settings", settings);
        r.bind("objectMapper", mapper);
        r.bind("metrics", metrics);
        r.bind("metricsAccess", new MetricsAccess(settings.optional("scc.metrics.token")));
        r.bind("meterRegistry", metrics.registry());
        r.bind("problems", problems);
        r.bind("dataSource", dataSource);
        DatabaseCheck databaseCheck = new DatabaseCheck(dataSource, readyTimeoutMillis());
        r.bind("health", new Health(databaseCheck, problems));
        r.bind("restHttpBinding", new RawFormHttpBinding());
        // Jetty's own 404/405 answers as problem+json too: every error answer of the API is a problem
        context.getComponent("jetty", JettyHttpComponent.class).setErrorHandler(new ProblemErrorHandler());

        // the inbox and the canonical webhook that stores into it
        AtomicJdbcMessageIdRepository eventIds = new AtomicJdbcMessageIdRepository(dataSource, "call-events", clock);
        r.bind("eventIdRepository", eventIds);
        EventInbox inbox = new EventInbox(dataSource, eventIds, mapper, maxEventsPerCall());
        r.bind("eventInbox", inbox);
        CallEventParser parser = new CallEventParser(mapper, service.defaultRegion());
        r.bind("callEventParser", parser);
        // the tenant registry and the operator API. Its Zoho side (a tenant's connection state, revoking a disabled
        // tenant's tokens) goes through the orgs, bound next: the two functions read them when called.
        java.util.concurrent.atomic.AtomicReference<ZohoOrgs> orgsRef = new java.util.concurrent.atomic.AtomicReference<>();
        TenantsConfiguration.Beans tenantBeans = tenants.bind(r, dataSource, mapper, problems, clock, deploymentTenantSettings(),
                tenant -> connectionState(orgsRef.get(), tenant),
                tenant -> forgetZoho(orgsRef.get(), tenant), limiter);
        Tenants registry = tenantBeans.tenants();

        TenantDirectory directory = directory(registry);
        r.bind("tenancy", new Tenancy());
        r.bind("canonicalIngest", new CanonicalIngest(webhookVerifier(), directory, parser, inbox, problems, metrics.registry(), limiter));

        // Camel does not close registry beans: close the pool after the routes have stopped (else each restart leaks one)
        HikariDataSource ds = dataSource;
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                databaseCheck.close();
                ds.close();
            }
        });

        // Zoho's concurrency limit is per org: every live instance takes its share of a tenant's budget
        Instances instances = new Instances(dataSource, settings.duration("scc.instances.heartbeat",
                java.time.Duration.ofMillis(100), java.time.Duration.ofMinutes(5)));
        instances.heartbeat();
        r.bind("instances", instances);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                instances.leave();
            }
        });
        ZohoOrgs orgs = zoho.bind(context, dataSource, mapper, metrics.registry(),
                t -> instances.share(registry.effectiveSettings(t).zohoConcurrency()),
                t -> registry.effectiveSettings(t).dailyCredits());
        orgsRef.set(orgs);
        double callsPerSlot = callsPerZohoSlot(); // read once: the slots function runs for every call a worker takes
        SyncConfiguration.Beans syncBeans = sync.bind(context, dataSource, mapper, metrics.registry(), problems, orgs,
                t -> syncSettings(registry, t), t -> Tenancy.DEFAULT.equals(t) ? java.util.Map.of() : registry.agents(t),
                t -> callSlots(registry.effectiveSettings(t).zohoConcurrency(), callsPerSlot),
                () -> registry.list().stream().filter(Tenants.Tenant::active).map(Tenants.Tenant::id).toList(), inbox);
        FeaturesConfiguration.Beans featureBeans = features.bind(context, dataSource, mapper, metrics.registry(), problems,
                syncBeans.tenants());
        SyncAdmin syncAdmin = syncBeans.admin();
        providers.bind(r, inbox, directory, problems, metrics.registry(), limiter);

        // on top of everything: the admin page and the HTTP side of the Zoho connection
        AdminAuth adminAuth = new AdminAuth(settings.optional("scc.admin.token"), clock, registry::active, limiter, dataSource);
        r.bind("adminAuth", adminAuth);
        r.bind("adminPage", new AdminPage(adminAuth, service.publicBaseUrl(), orgs, featureBeans.switches(), syncAdmin, syncBeans.overview(),
                syncBeans.reconciler(), adminTenants(registry, tenantBeans.auth(), orgs), adminZohoCacheTtl()));
        r.bind("adminAssets", new com.simplecallcenter.zohosync.admin.AdminAssets());
        r.bind("zohoOAuth", new ZohoOAuthEndpoints(orgs, directory, problems, mapper, service.publicBaseUrl()));
    }

    /**
     * How many calls of a tenant may be in flight at once across all instances: {@code scc.sync.calls-per-zoho-slot}
     * x its Zoho concurrency, since a call spends most of its run waiting (for a batch to share, in our database), not
     * holding a Zoho request, and the waiting records are what make the batches (BENCHMARKS.md, "Keeping Zoho's slots
     * full": 2.5 left about a quarter of the slots idle under a backlog).
     */
    static int callSlots(int zohoConcurrency, double callsPerZohoSlot) {
        return (int) Math.ceil(zohoConcurrency * callsPerZohoSlot);
    }

    private double callsPerZohoSlot() {
        String v = settings.get("scc.sync.calls-per-zoho-slot").trim();
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw Settings.invalid("scc.sync.calls-per-zoho-slot", "must be a number from 1 to 20, such as 3.6");
        }
        if (!(d >= 1 && d <= 20)) {
            throw Settings.invalid("scc.sync.calls-per-zoho-slot", "must be a number from 1 to 20, such as 3.6");
        }
        return d;
    }

    // ------------------------------------------------------------------ tenants: the registry seen by the layers below

    /** A tenant's sync settings: its own values (default's too may be set through the API) over the deployment's. */
    private SyncSettings syncSettings(Tenants registry, String tenant) {
        TenantSettings t = registry.settings(tenant);
        return sync.settings().withTenant(t.createMissing(), t.callIdField(), t.defaultRegion(), t.defaultOwnerId(),
                t.leadSource(), t.updateFields(), t.subjectTemplate(), t.overwriteFields());
    }

    /** What ingest asks about a tenant, answered by the registry (default: by the configuration). */
    private static TenantDirectory directory(Tenants registry) {
        return new TenantDirectory() {
            @Override
            public void requireActive(String tenant) {
                if (!registry.active(tenant)) {
                    // the same answer for an unknown and a disabled tenant: nothing to learn by probing
                    throw ProblemException.notFound("no such tenant");
                }
            }

            @Override
            public java.util.List<String> webhookSecrets(String tenant) {
                return registry.webhookSecrets(tenant);
            }

            @Override
            public String defaultRegion(String tenant) {
                return registry.effectiveSettings(tenant).defaultRegion();
            }

            @Override
            public java.util.Optional<String> providerSecret(String tenant, String provider, String name) {
                return registry.providerSecret(tenant, provider, name);
            }
        };
    }

    /** The registry as the admin page sees it. */
    private static AdminTenants adminTenants(Tenants registry, TenantAuth auth, ZohoOrgs orgs) {
        return new AdminTenants() {
            @Override
            public java.util.Optional<String> tenantOfAdminToken(String token) {
                return auth.principal(token).filter(p -> !p.isOperator()).map(TenantAuth.Principal::tenant);
            }

            @Override
            public boolean active(String tenant) {
                return registry.active(tenant);
            }

            @Override
            public java.util.List<Row> list() {
                return registry.list().stream()
                        .map(t -> new Row(t.id(), t.name(), t.active() ? connectionState(orgs, t.id()) : "disabled")).toList();
            }

            @Override
            public java.util.Map<String, String> agents(String tenant) {
                return Tenancy.DEFAULT.equals(tenant) ? java.util.Map.of() : registry.agents(tenant);
            }

            @Override
            public void putAgents(String tenant, java.util.Map<String, String> agents) {
                registry.putAgents(tenant, agents.entrySet().stream().map(e -> new Tenants.Agent(e.getKey(), e.getValue())).toList());
            }

            @Override
            public Settings settings(String tenant) {
                TenantSettings s = registry.effectiveSettings(tenant);
                return new Settings(s.createMissing(), s.callIdField(), s.defaultOwnerId(), s.updateFields(), s.defaultRegion(),
                        s.subjectTemplate(), s.overwriteFields());
            }

            @Override
            public void updateSettings(String tenant, com.fasterxml.jackson.databind.JsonNode patch) {
                registry.updateSettings(tenant, patch);
            }

            @Override
            public java.util.List<String> providers(String tenant) {
                return registry.providers(tenant);
            }
        };
    }

    /** The state of a tenant's Zoho connection as the tenant list shows it: connected, disconnected or broken. */
    private static String connectionState(ZohoOrgs orgs, String tenant) {
        return orgs == null ? "disconnected" : orgs.state(tenant);
    }

    /** A disabled tenant: its refresh token is revoked at Zoho and forgotten here, its org dropped from memory. */
    private static void forgetZoho(ZohoOrgs orgs, String tenant) {
        if (orgs != null) {
            orgs.of(tenant).oauth().disconnect();
            orgs.forget(tenant);
        }
    }
}
