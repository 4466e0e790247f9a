package com.simplecallcenter.zohosync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.Application;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.db.Database;
import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.net.URI;
import java.net.URLDecoder;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sync benchmark (issue 4, bench/sync.sh): the service and the Zoho sandbox in one process, as in the demo, on a
 * fresh schema {@code bench_sync}. The sandbox answers every request after 100 ms and refuses more than 10 in flight
 * (a Standard edition). Not a test: it prints figures.
 *
 * <ol>
 *   <li><b>Seed</b>: {@code repeatCallers} people already in Zoho, half Contacts, half Leads, their numbers stored in
 *       the formats people type (and an email on every other one).</li>
 *   <li><b>Warm-up = history</b>: a repeat caller is someone who called before, so each of them makes one call
 *       first, synced the ordinary way (search → confirmed match → cached). That primes the match cache, the
 *       active-users cache and the JIT exactly as earlier real traffic would; nothing is put into the cache by hand.
 *       These calls are not measured.</li>
 *   <li><b>Throughput</b>: {@code calls} calls, 70 % from repeat callers (random, so some call twice) and 30 % from
 *       people never seen before, each reported by {@code call.started} then {@code call.ended}, all posted at once
 *       so the sync always has work queued. Measured: calls synced per second (overall and in the steady middle,
 *       10th to 90th percentile of completion), Zoho requests per logged call from the sandbox journal (overall,
 *       repeat, new), the ceiling {@code limit / latency / requests per call}, and the fraction reached.</li>
 *   <li><b>Latency</b>: for {@code pacedSeconds}, the same mix offered at {@code pacedFraction} of the throughput measured in 3.
 *       (open loop, one call every 1/rate s), so queues stay short: received-to-synced p50/p99 (from the
 *       {@code call.ended}'s arrival to the call's {@code synced_at}).</li>
 * </ol>
 *
 * Issue 14's workload: the events come from {@code bench.senders} (20) concurrent senders and {@code bench.duplicates}
 * (10 %) of them are delivered twice; the throughput phase also prints the share of the sandbox's slots kept busy.
 * System properties: {@code bench.repeatCallers} (300), {@code bench.calls} (1500), {@code bench.pacedSeconds} (30),
 * {@code bench.pacedFraction} (0.8), {@code bench.latencyMs} (100), {@code bench.limit} (10), {@code bench.port}
 * (18091); any {@code -Dscc.*} / {@code -Dzoho.*} is passed to the service as a setting override.
 */
public final class SyncBench {

    private static final String SCHEMA = "bench_sync";
    private static final String CLIENT_ID = "1000.SCCBENCHCLIENT";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecureRandom random = new SecureRandom();
    private final Random mix = new Random(42);
    private final String webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(bytes(32));
    private final String adminToken = HexFormat.of().formatHex(bytes(24));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Concurrent senders (issue 14's workload: 20), each posting its calls' events one after another. */
    private final int senders = Integer.getInteger("bench.senders", 20);
    /** Share of events delivered twice (a sender's retry of the same webhook: same webhook-id and eventId). */
    private final double duplicates = Double.parseDouble(System.getProperty("bench.duplicates", "0.10"));
    private final ExecutorService posters = Executors.newFixedThreadPool(senders);
    private final AtomicInteger duplicatesSent = new AtomicInteger();
    private final AtomicInteger eventSeq = new AtomicInteger();

    private final int repeatCallers = Integer.getInteger("bench.repeatCallers", 300);
    private final int calls = Integer.getInteger("bench.calls", 1500);
    private final int pacedSeconds = Integer.getInteger("bench.pacedSeconds", 30);
    private final double pacedFraction = Double.parseDouble(System.getProperty("bench.pacedFraction", "0.8"));
    private final int latencyMs = Integer.getInteger("bench.latencyMs", 100);
    private final int limit = Integer.getInteger("bench.limit", 10);
    private final int port = Integer.getInteger("bench.port", 18091);

    /** Who a number or a call id belongs to, to attribute each journal entry: "repeat" or "new". */
    private final Map<String, String> kindByPhone = new HashMap<>();
    private final Map<String, String> kindByCall = new HashMap<>();
    private final List<String> repeatPhones = new ArrayList<>();
    private int newCallers;

    private ZohoSandbox sandbox;
    private Application app;
    private HikariDataSource db;

    public static void main(String[] args) {
        // The sandbox is the JDK HttpServer, which leaves Nagle's algorithm on unless told otherwise: it writes the
        // response headers and the body in two segments, and the second waits for the client's delayed ACK (~40 ms
        // on Linux loopback), so each request held a concurrency slot ~140 ms instead of ~100 ms. Zoho's servers
        // have no such stall; BENCHMARKS.md shows both. Must be set before the HttpServer classes load.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        SyncBench bench = new SyncBench();
        int status = 0;
        try {
            bench.run();
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        } finally {
            bench.stop();
        }
        System.exit(status); // Camel and HTTP client threads must not keep a failed run alive
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    void run() throws Exception {
        Path config = Path.of("config/application.properties");
        sandbox = ZohoSandbox.start();
        String redirect = "http://localhost:" + port + "/oauth/zoho/callback";
        String clientSecret = HexFormat.of().formatHex(bytes(16));
        sandbox.registerClient(CLIENT_ID, clientSecret, redirect);
        sandbox.addUser("alex.admin@acme.example", "Alex Admin", "active");
        sandbox.addUser("dana@acme.example", "Dana Ruiz", "active");
        sandbox.addUser("sam@acme.example", "Sam Ortiz", "active");
        seedRepeatCallers();

        Map<String, String> overrides = new HashMap<>();
        overrides.put("scc.http.port", String.valueOf(port));
        overrides.put("scc.db.schema", SCHEMA);
        overrides.put("scc.webhook.secret", webhookSecret);
        overrides.put("scc.admin.token", adminToken);
        overrides.put("scc.token.key", Base64.getEncoder().encodeToString(bytes(32)));
        overrides.put("zoho.client-id", CLIENT_ID);
        overrides.put("zoho.client-secret", clientSecret);
        overrides.put("zoho.accounts-url", sandbox.accountsUrl());
        overrides.put("zoho.redirect-uri", redirect);
        overrides.put("scc.zoho.trusted-accounts-servers", sandbox.accountsUrl());
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("scc.") || k.startsWith("zoho."))
                .forEach(k -> overrides.put(k, System.getProperty(k)));
        Settings settings = Settings.load(config, System.getenv(), overrides);
        try (HikariDataSource ds = Database.open(settings); Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        app = Application.start(config, System.getenv(), overrides);
        db = app.dataSource();
        String grant = sandbox.issueGrantCode(CLIENT_ID, settings.get("scc.zoho.scopes"));
        HttpResponse<String> connected = admin("/api/v1/admin/zoho/grant",
                JSON.writeValueAsString(Map.of("code", grant, "accountsUrl", sandbox.accountsUrl())));
        if (connected.statusCode() / 100 != 2) {
            throw new IllegalStateException("connecting the sandbox failed: " + connected.statusCode() + " " + connected.body());
        }
        sandbox.latency(Duration.ofMillis(latencyMs));
        sandbox.concurrencyLimit(limit);
        System.out.printf("bench: sandbox latency=%d ms, concurrency limit=%d; scc.sync.concurrency=%s scc.zoho.max-concurrency=%s "
                        + "scc.db.pool-size=%s scc.zoho.match-modules=%s scc.zoho.write-batch-size=%s scc.zoho.write-batch-in-flight=%s; "
                        + "repeat callers=%d, calls=%d, senders=%d, events delivered twice=%.0f %%%n", latencyMs, limit,
                settings.get("scc.sync.concurrency"), settings.get("scc.zoho.max-concurrency"),
                settings.get("scc.db.pool-size"), settings.get("scc.zoho.match-modules"),
                settings.get("scc.zoho.write-batch-size"), settings.get("scc.zoho.write-batch-in-flight"), repeatCallers, calls,
                senders, 100 * duplicates);
        System.out.printf("bench: sandbox TCP_NODELAY (sun.net.httpserver.nodelay)=%s%n", System.getProperty("sun.net.httpserver.nodelay"));

        // 1. history: every repeat caller called once before (primes the match cache the way real traffic does)
        List<String> warm = new ArrayList<>();
        for (int i = 0; i < repeatCallers; i++) {
            warm.add(postCall("w-" + i, repeatPhones.get(i), "repeat"));
        }
        long t = System.nanoTime();
        awaitSynced("w-%", warm.size(), Duration.ofMinutes(5));
        System.out.printf("bench: warm-up (history) %d calls synced in %.1f s%n", warm.size(), (System.nanoTime() - t) / 1e9);

        // 2. throughput: the whole mix posted at once, the sync never short of work
        sandbox.clearJournal();
        duplicatesSent.set(0);
        double busyAtStart = sandbox.busySlotSeconds();
        Instant burstStart = Instant.now();
        List<Future<String>> posted = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String id = "m-" + i;
            boolean repeat = mix.nextDouble() < 0.7;
            String phone = repeat ? repeatPhones.get(mix.nextInt(repeatPhones.size())) : newPhone();
            posted.add(posters.submit(() -> postCall(id, phone, repeat ? "repeat" : "new")));
        }
        for (Future<String> f : posted) {
            f.get();
        }
        Instant allPosted = Instant.now();
        awaitSynced("m-%", calls, Duration.ofMinutes(10));
        double busy = sandbox.busySlotSeconds() - busyAtStart;
        double phaseSeconds = secondsBetween(burstStart, Instant.now());
        List<ZohoSandbox.JournalEntry> burstJournal = sandbox.journal();
        Requests burst = attribute(burstJournal, "m-");
        List<Instant> done = syncedTimes("m-%");
        double overall = calls / secondsBetween(burstStart, done.get(done.size() - 1));
        Instant p10 = done.get(done.size() / 10);
        Instant p90 = done.get(done.size() * 9 / 10);
        double steady = (done.size() * 8 / 10) / secondsBetween(p10, p90);
        double ceiling = limit / (latencyMs / 1000.0) / burst.perCall();
        System.out.printf("bench: throughput phase: %d calls (%d repeat, %d new) posted in %.1f s%n", calls, burst.repeatCalls,
                burst.newCalls, secondsBetween(burstStart, allPosted));
        System.out.printf("bench: calls_synced_per_second overall=%.1f steady(p10-p90)=%.1f%n", overall, steady);
        burst.print("throughput");
        System.out.printf("bench: ceiling = %d / %.1f s / %.2f = %.1f calls/s; steady throughput = %.0f %% of ceiling (overall %.0f %%)%n",
                limit, latencyMs / 1000.0, burst.perCall(), ceiling, 100 * steady / ceiling, 100 * overall / ceiling);
        System.out.printf("bench: zoho slots busy = %.1f slot-s of %d x %.1f s = %.0f %% (time integral of the sandbox's requests in "
                + "flight over the phase; %d events were delivered twice)%n", busy, limit, phaseSeconds,
                100 * busy / (limit * phaseSeconds), duplicatesSent.get());
        printLatency("throughput phase (queueing included: all calls posted at once)", "m-%");
        printZohoTiming();

        // 3. latency: the same mix at a fraction of the ceiling, open loop
        if (pacedSeconds > 0) {
            double rate = pacedFraction * steady;
            int n = (int) Math.round(rate * pacedSeconds);
            sandbox.clearJournal();
            long start = System.nanoTime();
            List<Future<String>> paced = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String id = "p-" + i;
                boolean repeat = mix.nextDouble() < 0.7;
                String phone = repeat ? repeatPhones.get(mix.nextInt(repeatPhones.size())) : newPhone();
                paced.add(posters.submit(() -> postCall(id, phone, repeat ? "repeat" : "new")));
            }
            for (Future<String> f : paced) {
                f.get();
            }
            awaitSynced("p-%", n, Duration.ofMinutes(5));
            System.out.printf("bench: latency phase: %d calls offered at %.1f calls/s (%.0f %% of the measured throughput, %.0f %% of the ceiling) for %d s%n",
                    n, rate, 100 * pacedFraction, 100 * rate / ceiling, pacedSeconds);
            attribute(sandbox.journal(), "p-").print("latency");
            printLatency("latency phase", "p-%");
            printSlowest("p-%", 2000);
        }
        checkExactlyOnce();
    }

    void stop() {
        posters.shutdownNow();
        if (app != null) {
            app.stop();
        }
        if (sandbox != null) {
            sandbox.stop();
        }
    }

    // ------------------------------------------------------------------ callers and calls

    private void seedRepeatCallers() {
        for (int i = 0; i < repeatCallers; i++) {
            String local = String.format("%07d", 2_000_000 + i);
            String e164 = "+1415" + local;
            String typed = switch (i % 3) {
                case 0 -> "(415) " + local.substring(0, 3) + "-" + local.substring(3);
                case 1 -> "+1 415-" + local.substring(0, 3) + "-" + local.substring(3);
                default -> e164;
            };
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("First_Name", "Repeat");
            rec.put("Last_Name", "Caller " + i);
            rec.put(i % 4 == 1 ? "Mobile" : "Phone", typed);
            if (i % 2 == 0) {
                rec.put("Email", "repeat" + i + "@example.com");
            }
            if (i % 2 == 1) {
                rec.put("Company", "Repeat Co " + i);
            }
            sandbox.seedRecord(i % 2 == 0 ? "Contacts" : "Leads", rec);
            repeatPhones.add(e164);
            kindByPhone.put(e164, "repeat");
        }
    }

    private synchronized String newPhone() {
        String e164 = "+1650" + String.format("%07d", 3_000_000 + newCallers++);
        kindByPhone.put(e164, "new");
        return e164;
    }

    /** One call: call.started, then call.ended (answered, 2 minutes, an agent). Returns the call id. */
    private String postCall(String callId, String e164, String kind) throws Exception {
        synchronized (kindByCall) {
            kindByCall.put(callId, kind);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant started = now.minusSeconds(130);
        String from = "(" + e164.substring(2, 5) + ") " + e164.substring(5, 8) + "-" + e164.substring(8);
        Map<String, Object> start = event(callId, "call.started", started, "ringing", from);
        start.put("startedAt", iso(started));
        post(start);
        Map<String, Object> end = event(callId, "call.ended", now, "answered", from);
        end.put("startedAt", iso(started));
        end.put("answeredAt", iso(started.plusSeconds(8)));
        end.put("endedAt", iso(now));
        end.put("durationSeconds", 122);
        end.put("agent", Map.of("id", "ag_bench", "email", "dana@acme.example", "name", "Dana Ruiz"));
        end.put("notes", "benchmark call");
        post(end);
        return callId;
    }

    private Map<String, Object> event(String callId, String type, Instant at, String status, String from) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", "ev-" + callId + "-" + eventSeq.incrementAndGet());
        e.put("callId", callId);
        e.put("type", type);
        e.put("occurredAt", iso(at));
        e.put("direction", "inbound");
        e.put("status", status);
        e.put("from", from);
        e.put("to", "+14155550100");
        return e;
    }

    private void post(Map<String, Object> event) throws Exception {
        byte[] body = JSON.writeValueAsBytes(event);
        String id = "msg_" + event.get("eventId");
        long ts = System.currentTimeMillis() / 1000;
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calls/events"))
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", String.valueOf(ts))
                .header("webhook-signature", StandardWebhookVerifier.signature(webhookSecret, id, ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("event refused: " + r.statusCode() + " " + r.body());
        }
        if (duplicates > 0 && ThreadLocalRandom.current().nextDouble() < duplicates) {
            duplicatesSent.incrementAndGet(); // the sender retries the same webhook (its answer was lost, say)
            HttpResponse<String> again = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (again.statusCode() != 200 || !again.body().contains("duplicate")) {
                throw new IllegalStateException("a redelivered event was not answered as a duplicate: " + again.statusCode()
                        + " " + again.body());
            }
        }
    }

    private HttpResponse<String> admin(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String iso(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC).toString();
    }

    // ------------------------------------------------------------------ measuring

    private void awaitSynced(String like, int expected, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            long synced = scalar("SELECT count(*) FROM " + SCHEMA + ".call_sync WHERE status = 'synced' AND call_id LIKE '" + like + "'");
            if (synced >= expected) {
                return;
            }
            long failed = scalar("SELECT count(*) FROM " + SCHEMA + ".call_sync WHERE status IN ('parked', 'dead') AND call_id LIKE '" + like + "'");
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("only " + synced + " of " + expected + " calls synced (" + failed + " parked/dead)");
            }
            Thread.sleep(50);
        }
    }

    private long scalar(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Instant> syncedTimes(String like) throws Exception {
        List<Instant> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT synced_at FROM " + SCHEMA + ".call_sync WHERE call_id LIKE '" + like + "' ORDER BY synced_at")) {
            while (rs.next()) {
                out.add(rs.getTimestamp(1).toInstant());
            }
        }
        return out;
    }

    private void printLatency(String label, String like) throws Exception {
        String sql = """
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms)
                FROM (SELECT extract(epoch FROM s.synced_at - e.received_at) * 1000 AS ms
                      FROM %1$s.call_sync s JOIN %1$s.call_event e ON e.call_id = s.call_id AND e.event_type = 'call.ended'
                      WHERE s.call_id LIKE '%2$s') t""".formatted(SCHEMA, like);
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            System.out.printf("bench: received_to_synced_ms p50=%.0f p99=%.0f max=%.0f  [%s]%n", rs.getDouble(1), rs.getDouble(2),
                    rs.getDouble(3), label);
        }
    }

    /** The client's view of a Zoho request (scc.zoho.request.duration, every verb, since start): mean time per request. */
    private void printZohoTiming() {
        MeterRegistry meters = app.context().getRegistry().lookupByNameAndType("meterRegistry", MeterRegistry.class);
        double total = 0;
        long count = 0;
        for (Timer t : meters.find("scc.zoho.request.duration").timers()) {
            total += t.totalTime(TimeUnit.MILLISECONDS);
            count += t.count();
        }
        System.out.printf("bench: zoho client mean request time=%.1f ms over %d requests since start (sandbox latency %d ms; the client "
                + "holds a scc.zoho.max-concurrency permit for that long)%n", total / Math.max(1, count), count, latencyMs);
    }

    /** How many calls took longer than {@code ms}, and the timeline of the slowest (to tell queueing from the sweep). */
    private void printSlowest(String like, long ms) throws Exception {
        String sql = """
                SELECT s.call_id, s.attempts, extract(epoch FROM s.synced_at - e.received_at) * 1000 AS ms,
                       (SELECT string_agg(x.event_type || ' received +' || round(extract(epoch FROM x.received_at - e.received_at) * 1000)
                               || ' ms, processed +' || round(extract(epoch FROM x.processed_at - e.received_at) * 1000) || ' ms', '; ' ORDER BY x.id)
                        FROM %1$s.call_event x WHERE x.call_id = s.call_id) AS timeline,
                       count(*) FILTER (WHERE s.synced_at - e.received_at > %3$d * interval '1 millisecond') OVER () AS slow
                FROM %1$s.call_sync s JOIN %1$s.call_event e ON e.call_id = s.call_id AND e.event_type = 'call.ended'
                WHERE s.call_id LIKE '%2$s' ORDER BY ms DESC LIMIT 1""".formatted(SCHEMA, like, ms);
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (rs.next()) {
                System.out.printf("bench: calls slower than %d ms: %d; slowest %s: %.0f ms, attempts=%d, relative to its call.ended's arrival: %s%n",
                        ms, rs.getLong("slow"), rs.getString("call_id"), rs.getDouble("ms"), rs.getInt("attempts"), rs.getString("timeline"));
            }
        }
    }

    private static double secondsBetween(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1e9;
    }

    /**
     * Zoho requests of one phase, by caller kind, read from the sandbox journal. A write that carried k records (the
     * write batcher puts several calls' records in one request) is attributed 1/k to the caller kind of each record.
     */
    final class Requests {
        int repeatCalls;
        int newCalls;
        double repeat;
        double fresh;
        double other;
        long total;
        long throttled;
        final Map<String, Long> byVerb = new LinkedHashMap<>();
        final Map<String, long[]> writeRecords = new LinkedHashMap<>(); // verb -> {requests, records, max records}

        double perCall() {
            return (double) total / (repeatCalls + newCalls);
        }

        void print(String phase) {
            System.out.printf("bench: zoho_requests_per_call overall=%.2f repeat=%.2f new=%.2f  [%s: %d requests for %d calls; "
                            + "%.1f not attributable (users, token); %d answered 429] %s%n",
                    perCall(), repeat / repeatCalls, fresh / newCalls, phase, total, repeatCalls + newCalls,
                    other, throttled, byVerb);
            StringBuilder sb = new StringBuilder();
            writeRecords.forEach((verb, w) -> sb.append(String.format(Locale.ROOT, " %s: %d requests, %d records, mean %.2f, max %d;",
                    verb, w[0], w[1], (double) w[1] / w[0], w[2])));
            System.out.printf("bench: records per write request [%s]:%s%n", phase, sb);
        }
    }

    private Requests attribute(List<ZohoSandbox.JournalEntry> journal, String callPrefix) {
        Requests r = new Requests();
        synchronized (kindByCall) {
            kindByCall.forEach((call, kind) -> {
                if (call.startsWith(callPrefix)) {
                    if (kind.equals("repeat")) {
                        r.repeatCalls++;
                    } else {
                        r.newCalls++;
                    }
                }
            });
        }
        for (ZohoSandbox.JournalEntry e : journal) {
            if (!e.path().startsWith("/crm/")) {
                continue; // accounts server (token refresh): not a CRM API request
            }
            r.total++;
            if (e.status() == 429) {
                r.throttled++;
            }
            String module = e.path().replaceFirst("^/crm/v8/", "").replaceFirst("/.*", "");
            String verb = e.method() + " " + module + (e.path().contains("/search") ? "/search" : "");
            r.byVerb.merge(verb, 1L, Long::sum);
            List<String> kinds = writeKinds(e, callPrefix);
            if (kinds != null) {
                long[] w = r.writeRecords.computeIfAbsent(verb, v -> new long[3]);
                w[0]++;
                w[1] += kinds.size();
                w[2] = Math.max(w[2], kinds.size());
                for (String kind : kinds) {
                    add(r, kind, 1.0 / kinds.size());
                }
                continue;
            }
            String text = (e.query() == null ? "" : URLDecoder.decode(e.query(), StandardCharsets.UTF_8)) + " "
                    + (e.body() == null ? "" : e.body());
            add(r, kindIn(text, callPrefix), 1.0);
        }
        return r;
    }

    private static void add(Requests r, String kind, double share) {
        if ("repeat".equals(kind)) {
            r.repeat += share;
        } else if ("new".equals(kind)) {
            r.fresh += share;
        } else {
            r.other += share;
        }
    }

    /** The caller kind of each record of an insert/update body (by its call id, else its phone); null for other requests. */
    private List<String> writeKinds(ZohoSandbox.JournalEntry e, String callPrefix) {
        if (e.body() == null || !(e.method().equals("POST") || e.method().equals("PUT")) || e.path().endsWith("/coql")) {
            return null;
        }
        JsonNode data;
        try {
            data = JSON.readTree(e.body()).path("data");
        } catch (Exception ex) {
            return null;
        }
        if (!data.isArray() || data.isEmpty()) {
            return null;
        }
        List<String> kinds = new ArrayList<>();
        for (JsonNode item : data) {
            kinds.add(kindIn(item.toString(), callPrefix));
        }
        return kinds;
    }

    /** The kind of the first of our call ids (quoted) in the text, else of the first caller number in it; null if none. */
    private String kindIn(String text, String callPrefix) {
        synchronized (kindByCall) {
            for (Map.Entry<String, String> c : kindByCall.entrySet()) {
                if (c.getKey().startsWith(callPrefix) && text.contains("\"" + c.getKey() + "\"")) {
                    return c.getValue();
                }
            }
        }
        for (Map.Entry<String, String> p : kindByPhone.entrySet()) {
            if (text.contains(p.getKey())) {
                return p.getValue();
            }
        }
        return null;
    }

    /** Sanity: one Call activity per call id in the sandbox. */
    private void checkExactlyOnce() {
        Map<Object, Integer> perCall = new HashMap<>();
        for (Map<String, Object> call : sandbox.records("Calls")) {
            perCall.merge(call.get("SCC_Call_ID"), 1, Integer::sum);
        }
        long twice = perCall.values().stream().filter(n -> n > 1).count();
        System.out.printf("bench: Call activities in the sandbox=%d, call ids logged more than once=%d%n", perCall.values().stream()
                .mapToInt(Integer::intValue).sum(), twice);
    }
}
