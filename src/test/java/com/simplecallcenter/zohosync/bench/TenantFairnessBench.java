package com.simplecallcenter.zohosync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.Application;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.db.Database;
import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.zaxxer.hikari.HikariDataSource;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tenant fairness (issue 12, bench/tenants.sh): one service, {@code bench.tenants} tenants (50), each connected to its
 * own Zoho org (a sandbox of its own: 100 ms a request, 10 in flight). Not a test: it prints figures.
 *
 * <ol>
 *   <li><b>Baseline</b>: every good tenant posts {@code bench.callsPerTenant} calls from new callers, paced over
 *       {@code bench.seconds}; received-to-synced p50/p99 of their calls.</li>
 *   <li><b>With a bad tenant</b>: the same load again while one more tenant, whose Zoho answers in 2.5 s and refuses a
 *       third of its requests with 429, has a backlog of {@code bench.backlog} (300) calls posted just before.
 *       The good tenants' p99 divided by the baseline's is the figure (target: at most 2).</li>
 *   <li><b>Idle tenants</b>: {@code bench.idleTenants} (1,000) tenants created and left idle: the heap after a GC,
 *       the database sessions, and the transactions the service runs per second while idle, against the same
 *       readings before they were created.</li>
 * </ol>
 * Both runs are in the same process, one after the other, so the ratio does not depend on the machine.
 */
public final class TenantFairnessBench {

    private static final String SCHEMA = "bench_tenants";
    private static final String CLIENT_ID = "1000.SCCBENCHTENANTS";
    private static final String SCOPES = "ZohoCRM.modules.ALL,ZohoCRM.users.READ,ZohoCRM.coql.READ,ZohoSearch.securesearch.READ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int tenants = Integer.getInteger("bench.tenants", 50);
    private final int callsPerTenant = Integer.getInteger("bench.callsPerTenant", 8);
    private final int seconds = Integer.getInteger("bench.seconds", 20);
    private final int backlog = Integer.getInteger("bench.backlog", 300);
    private final int idleTenants = Integer.getInteger("bench.idleTenants", 1000);
    private final int port = Integer.getInteger("bench.port", 18093);

    private final SecureRandom random = new SecureRandom();
    private final String adminToken = HexFormat.of().formatHex(bytes(24));
    private final String clientSecret = HexFormat.of().formatHex(bytes(16));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService posters = Executors.newFixedThreadPool(16);
    private final AtomicInteger phones = new AtomicInteger();
    private final List<ZohoSandbox> sandboxes = new ArrayList<>();
    private final Map<String, String> secrets = new HashMap<>();
    private Application app;
    private HikariDataSource db;

    public static void main(String[] args) {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true"); // see SyncBench
        }
        TenantFairnessBench bench = new TenantFairnessBench();
        int status = 0;
        try {
            bench.run();
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        } finally {
            bench.stop();
        }
        System.exit(status);
    }

    void run() throws Exception {
        // one org per tenant, plus the bad tenant's
        for (int i = 0; i <= tenants; i++) {
            ZohoSandbox sb = ZohoSandbox.start();
            sb.registerClient(CLIENT_ID, clientSecret, "http://127.0.0.1:" + port + "/oauth/zoho/callback");
            sb.addUser("admin@org" + i + ".example", "Admin " + i, "active");
            sandboxes.add(sb);
        }
        Map<String, String> overrides = new HashMap<>();
        overrides.put("scc.http.port", String.valueOf(port));
        overrides.put("scc.db.schema", SCHEMA);
        overrides.put("scc.webhook.secret", "whsec_" + Base64.getEncoder().encodeToString(bytes(32)));
        overrides.put("scc.admin.token", adminToken);
        overrides.put("scc.token.key", Base64.getEncoder().encodeToString(bytes(32)));
        overrides.put("zoho.client-id", CLIENT_ID);
        overrides.put("zoho.client-secret", clientSecret);
        overrides.put("zoho.accounts-url", sandboxes.get(0).accountsUrl());
        overrides.put("scc.zoho.trusted-accounts-servers",
                String.join(",", sandboxes.stream().map(ZohoSandbox::accountsUrl).toList()));
        // more workers than one tenant's call slots (2.5 x 10): a crawling tenant can hold only its own slots
        overrides.put("scc.sync.concurrency", "48");
        overrides.put("scc.db.pool-size", "30");
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("scc.") || k.startsWith("zoho."))
                .forEach(k -> overrides.put(k, System.getProperty(k)));
        Path config = Path.of("config/application.properties");
        Settings settings = Settings.load(config, System.getenv(), overrides);
        try (HikariDataSource ds = Database.open(settings); Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        app = Application.start(config, System.getenv(), overrides);
        db = app.dataSource();

        for (int i = 0; i < tenants; i++) {
            createAndConnect("good-" + i, sandboxes.get(i));
        }
        ZohoSandbox badOrg = sandboxes.get(tenants);
        createAndConnect("bad", badOrg);
        for (int i = 0; i < tenants; i++) {
            sandboxes.get(i).latency(Duration.ofMillis(100));
            sandboxes.get(i).concurrencyLimit(10);
        }
        System.out.printf("bench: %d tenants, each its own sandbox (100 ms, 10 in flight); %d calls per tenant over %d s; "
                        + "scc.sync.concurrency=%s, a tenant's call slots=%d%n", tenants, callsPerTenant, seconds,
                settings.get("scc.sync.concurrency"), (int) Math.ceil(2.5 * settings.intValue("scc.zoho.max-concurrency", 1, 200)));

        // warm-up: one call per tenant (JIT, connections, active-users caches), not measured
        load("warm", 1, 2);

        double[] base = load("base", callsPerTenant, seconds);
        System.out.printf("bench: baseline (no bad tenant): good tenants' received-to-synced p50=%.0f ms p99=%.0f ms max=%.0f ms%n",
                base[0], base[1], base[2]);

        // the bad tenant: 2.5 s per request, a third of them refused with 429, 300 calls waiting
        badOrg.latency(Duration.ofMillis(2500));
        badOrg.concurrencyLimit(10);
        AtomicInteger n = new AtomicInteger();
        badOrg.failWhen(r -> r.isApi() && n.incrementAndGet() % 3 == 0, 429, "TOO_MANY_REQUESTS");
        List<Future<?>> posts = new ArrayList<>();
        for (int i = 0; i < backlog; i++) {
            String id = "backlog-" + i;
            posts.add(posters.submit(() -> postCall("bad", id)));
        }
        for (Future<?> f : posts) {
            f.get();
        }
        long badSyncedBefore = scalar("SELECT count(*) FROM " + SCHEMA + ".call_sync WHERE tenant_id = 'bad' AND status = 'synced'");
        double[] withBad = load("mixed", callsPerTenant, seconds);
        long badSynced = scalar("SELECT count(*) FROM " + SCHEMA + ".call_sync WHERE tenant_id = 'bad' AND status = 'synced'")
                - badSyncedBefore;
        System.out.printf("bench: with the bad tenant (2.5 s, 1/3 429, backlog %d): good tenants' p50=%.0f ms p99=%.0f ms max=%.0f ms; "
                + "bad tenant synced %d of its backlog meanwhile%n", backlog, withBad[0], withBad[1], withBad[2], badSynced);
        System.out.printf(Locale.ROOT, "bench: fairness ratio p99(with bad) / p99(baseline) = %.2f (target <= 2)%n", withBad[1] / base[1]);
        badOrg.clearFaults();
        badOrg.latency(Duration.ZERO);
        // the rest of the backlog goes through now, so that the tenants below are measured idle
        Instant drained = Instant.now().plus(Duration.ofMinutes(5));
        while (scalar("SELECT count(*) FROM " + SCHEMA + ".call_sync WHERE tenant_id = 'bad' AND status = 'synced'") < backlog
                && Instant.now().isBefore(drained)) {
            Thread.sleep(200);
        }

        idleTenants();
    }

    /** Each good tenant posts {@code perTenant} calls, open loop over {@code secs}; returns p50, p99, max of their latency. */
    private double[] load(String prefix, int perTenant, int secs) throws Exception {
        int total = perTenant * tenants;
        long intervalNanos = Duration.ofSeconds(secs).toNanos() / total;
        long start = System.nanoTime();
        List<Future<?>> posts = new ArrayList<>();
        int k = 0;
        for (int c = 0; c < perTenant; c++) {
            for (int t = 0; t < tenants; t++) {
                long due = start + k++ * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                String tenant = "good-" + t;
                String id = prefix + "-" + c;
                posts.add(posters.submit(() -> postCall(tenant, id)));
            }
        }
        for (Future<?> f : posts) {
            f.get();
        }
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        String where = "tenant_id LIKE 'good-%' AND call_id LIKE '" + prefix + "-%'";
        while (scalar("SELECT count(*) FROM " + SCHEMA + ".call_sync WHERE status = 'synced' AND " + where) < total) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the good tenants' calls did not all sync within 5 minutes");
            }
            Thread.sleep(100);
        }
        List<Double> ms = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT extract(epoch FROM synced_at - first_received_at) * 1000 FROM " + SCHEMA
                     + ".call_sync WHERE " + where)) {
            while (rs.next()) {
                ms.add(rs.getDouble(1));
            }
        }
        ms.sort(Double::compare);
        return new double[]{pct(ms, 0.50), pct(ms, 0.99), ms.get(ms.size() - 1)};
    }

    private void idleTenants() throws Exception {
        Thread.sleep(3000); // let the runs above settle
        Reading before = reading();
        for (int i = 0; i < idleTenants; i++) {
            HttpResponse<String> r = operator("POST", "/api/v1/tenants", "{\"id\":\"idle-" + i + "\",\"name\":\"Idle " + i + "\"}");
            if (r.statusCode() != 201) {
                throw new IllegalStateException("create idle tenant: " + r.statusCode() + " " + r.body());
            }
        }
        Thread.sleep(3000);
        Reading after = reading();
        System.out.printf(Locale.ROOT, "bench: idle tenants: %d created; heap after GC %.1f MB -> %.1f MB (%.1f KB per tenant); "
                        + "database sessions of the service %d -> %d; its transactions while idle %.1f/s -> %.1f/s%n",
                idleTenants, before.heapMb, after.heapMb, (after.heapMb - before.heapMb) * 1024 / idleTenants,
                before.sessions, after.sessions, before.xactPerSecond, after.xactPerSecond);
    }

    private record Reading(double heapMb, long sessions, double xactPerSecond) {
    }

    /** Heap after a GC, the service's sessions, and its commits per second over 10 s of idling. */
    private Reading reading() throws Exception {
        System.gc();
        Thread.sleep(500);
        double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
        long sessions = scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name IN ('scc-zoho-sync', 'scc-zoho-sync-locks')");
        long x0 = scalar("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");
        Thread.sleep(10_000);
        long x1 = scalar("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");
        return new Reading(heap, sessions, (x1 - x0) / 10.0);
    }

    private void createAndConnect(String id, ZohoSandbox org) throws Exception {
        HttpResponse<String> r = operator("POST", "/api/v1/tenants", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}");
        if (r.statusCode() != 201) {
            throw new IllegalStateException("create " + id + ": " + r.statusCode() + " " + r.body());
        }
        secrets.put(id, JSON.readTree(r.body()).get("webhookSecret").asText());
        String code = org.issueGrantCode(CLIENT_ID, SCOPES);
        HttpResponse<String> g = operator("POST", "/api/v1/tenants/" + id + "/admin/zoho/grant",
                "{\"code\":\"" + code + "\",\"accountsUrl\":\"" + org.accountsUrl() + "\"}");
        if (g.statusCode() != 200) {
            throw new IllegalStateException("connect " + id + ": " + g.statusCode() + " " + g.body());
        }
    }

    /** One call of a new caller, reported by its call.ended alone. */
    private Void postCall(String tenant, String callId) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String phone = String.format("+1415%07d", phones.incrementAndGet());
        Map<String, Object> e = new HashMap<>();
        e.put("eventId", callId + ":ended");
        e.put("callId", callId);
        e.put("type", "call.ended");
        e.put("occurredAt", now.toString());
        e.put("direction", "inbound");
        e.put("status", "answered");
        e.put("from", phone);
        e.put("to", "+14155550100");
        e.put("startedAt", now.minusSeconds(60).toString());
        e.put("endedAt", now.toString());
        e.put("durationSeconds", 52);
        byte[] body = JSON.writeValueAsBytes(e);
        String id = "msg_" + tenant + "_" + callId;
        long ts = System.currentTimeMillis() / 1000;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tenants/" + tenant
                        + "/calls/events"))
                .header("Content-Type", "application/json").header("webhook-id", id)
                .header("webhook-timestamp", String.valueOf(ts))
                .header("webhook-signature", StandardWebhookVerifier.signature(secrets.get(tenant), id, ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("post " + tenant + "/" + callId + ": " + r.statusCode() + " " + r.body());
        }
        return null;
    }

    private HttpResponse<String> operator(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    void stop() {
        posters.shutdownNow();
        if (app != null) {
            app.stop();
        }
        sandboxes.forEach(ZohoSandbox::stop);
    }
}
