package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.Wait;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The write batcher over real HTTP against the sandbox: records of concurrent callers share requests, and each
 * caller still gets exactly its own record's outcome, or the exception of the request that carried it.
 */
class ZohoWriteBatcherTest {

    static final String SCHEMA = "t_zoho_write_batcher";
    static ZohoSandbox zoho;
    static AppHarness app;
    static ZohoClient client;

    SimpleMeterRegistry meters;
    ExecutorService pool;

    @BeforeAll
    static void start() throws Exception {
        zoho = ZohoSandbox.start();
        app = AppHarness.on(SCHEMA).sandbox(zoho).notConnected().setting("scc.zoho.read-timeout-ms", "5000").start();
        client = app.zohoClient();
    }

    @AfterAll
    static void stop() {
        app.close();
        zoho.stop();
    }

    @BeforeEach
    void connect() {
        zoho.reset();
        zoho.registerClient(AppHarness.CLIENT_ID, AppHarness.CLIENT_SECRET, app.redirectUri());
        zoho.addUser("ana@example.com", "Ana Admin", "active");
        app.connect();
        zoho.clearJournal();
        meters = new SimpleMeterRegistry();
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
        zoho.latency(Duration.ZERO);
        zoho.clearFaults();
    }

    @Test
    void theBoundBatcherTakesItsSettings() {
        ZohoWriteBatcher bound = app.zohoWrites();
        assertThat(bound).isNotNull();
        assertThat(bound.batchSize()).isEqualTo(10);
    }

    @Test
    void concurrentInsertsShareRequestsAndEachCallerGetsItsOwnId() throws Exception {
        zoho.latency(Duration.ofMillis(150));
        ZohoWriteBatcher batcher = new ZohoWriteBatcher(client, 10, 2, meters);
        int n = 40;
        CountDownLatch go = new CountDownLatch(1);
        Map<String, Double> shares = new ConcurrentHashMap<>();
        List<Future<ZohoClient.RecordResult>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String callId = "c-" + i;
            results.add(pool.submit(() -> {
                go.await();
                return batcher.insert("Calls", call(callId, "Inbound", "01:30"), share -> shares.merge(callId, share, Double::sum));
            }));
        }
        go.countDown();
        Map<String, String> idByCall = new HashMap<>();
        for (int i = 0; i < n; i++) {
            ZohoClient.RecordResult r = results.get(i).get(30, TimeUnit.SECONDS);
            assertThat(r.success()).as("c-" + i).isTrue();
            idByCall.put("c-" + i, r.id());
        }
        // every call exactly once in Zoho, and every caller got the id of its own record
        List<Map<String, Object>> stored = zoho.records("Calls");
        assertThat(stored).hasSize(n);
        for (Map<String, Object> rec : stored) {
            assertThat(idByCall.get((String) rec.get("SCC_Call_ID"))).as("id for " + rec.get("SCC_Call_ID")).isEqualTo(rec.get("id"));
        }
        long requests = zoho.count("POST", "/crm/v8/Calls");
        assertThat(requests).as("one request per record would be %d", n).isLessThan(n).isGreaterThanOrEqualTo(n / 10);
        assertThat(maxRecordsPerRequest("POST", "/crm/v8/Calls")).isBetween(2, 10);
        // the shares each caller was charged add up to the requests actually made
        assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(requests, org.assertj.core.data.Offset.offset(1e-6));
        DistributionSummary sizes = meters.find("scc.zoho.write.batch.size").tag("verb", "insert").tag("module", "Calls").summary();
        assertThat(sizes.count()).isEqualTo(requests);
        assertThat(sizes.totalAmount()).isEqualTo(n);
    }

    @Test
    void aRecordRefusedInsideABatchFailsOnlyItsOwnCaller() throws Exception {
        zoho.latency(Duration.ofMillis(1500));
        ZohoWriteBatcher batcher = new ZohoWriteBatcher(client, 10, 1, meters);
        Future<ZohoClient.RecordResult> blocker = occupyTheOnlySlot(batcher);
        List<Future<ZohoClient.RecordResult>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // q-2 is an Outbound call of zero duration: Zoho refuses it (DEPENDENT_MISMATCH), the others are fine
            ObjectNode rec = i == 2 ? call("q-2", "Outbound", "00:00") : call("q-" + i, "Inbound", "00:45");
            queued.add(pool.submit(() -> batcher.insert("Calls", rec)));
        }
        awaitQueued(batcher, 5);
        assertThat(blocker.get(30, TimeUnit.SECONDS).success()).isTrue();
        for (int i = 0; i < 5; i++) {
            if (i == 2) {
                ZohoClient.RecordResult refused = queued.get(i).get(30, TimeUnit.SECONDS);
                assertThat(refused.success()).isFalse();
                assertThat(refused.code()).isEqualTo("DEPENDENT_MISMATCH");
                assertThat(refused.toException()).isInstanceOf(ZohoPermanentException.class);
            } else {
                assertThat(queued.get(i).get(30, TimeUnit.SECONDS).success()).as("q-" + i).isTrue();
            }
        }
        // the five went together, in one request after the blocker's
        assertThat(zoho.count("POST", "/crm/v8/Calls")).isEqualTo(2);
        assertThat(zoho.journal().get(zoho.journal().size() - 1).status()).isEqualTo(207);
        assertThat(zoho.records("Calls")).extracting(r -> r.get("SCC_Call_ID")).containsExactlyInAnyOrder("blocker", "q-0", "q-1", "q-3", "q-4");
    }

    @Test
    void aWholeRequestRefusedOrFailedReachesEveryCallerAsTheSameRetryableType() throws Exception {
        zoho.latency(Duration.ofMillis(1500));
        ZohoWriteBatcher batcher = new ZohoWriteBatcher(client, 10, 1, meters);

        zoho.failWhen(r -> r.body() != null && r.body().contains("\"r429-"), 429, "TOO_MANY_REQUESTS");
        List<Future<ZohoClient.RecordResult>> limited = queueBehindABlocker(batcher, "r429-", 4);
        for (Future<ZohoClient.RecordResult> f : limited) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(ZohoRateLimitedException.class)
                    .cause().hasMessageContaining("one request for 4 records");
        }
        zoho.clearFaults();

        zoho.failWhen(r -> r.body() != null && r.body().contains("\"r500-"), 500, "INTERNAL_ERROR");
        List<Future<ZohoClient.RecordResult>> failed = queueBehindABlocker(batcher, "r500-", 3);
        for (Future<ZohoClient.RecordResult> f : failed) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(ZohoUnavailableException.class)
                    .cause().isInstanceOf(ZohoRetryableException.class);
        }
        zoho.clearFaults();

        // sent, but the answer never came: every caller learns that its record may have been written (the blocker's
        // answer is dropped first, then the batch's)
        List<Future<ZohoClient.RecordResult>> unknown = queueBehindABlocker(batcher, "drop-", 3, () -> zoho.dropConnectionNext(2));
        for (Future<ZohoClient.RecordResult> f : unknown) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(ZohoOutcomeUnknownException.class);
        }
        assertThat(zoho.records("Calls")).extracting(r -> (String) r.get("SCC_Call_ID"))
                .noneMatch(id -> id.startsWith("r429-") || id.startsWith("r500-"))
                .filteredOn(id -> id.matches("drop-\\d")).hasSize(3);
        // the lane is free again afterwards
        assertThat(batcher.laneState(ZohoWriteBatcher.Verb.INSERT, "Calls")).containsExactly(0, 0);
    }

    @Test
    void aBatchRefusedAsAWholeIsSentRecordByRecordSoOnlyTheRecordAtFaultFails() throws Exception {
        zoho.latency(Duration.ofMillis(1500));
        ZohoWriteBatcher batcher = new ZohoWriteBatcher(client, 10, 1, meters);
        // a request that carries the poisoned record is refused whole (a top-level INVALID_DATA, no per-record items)
        zoho.failWhen(r -> r.body() != null && r.body().contains("\"iso-2\""), 400, "INVALID_DATA");
        List<Future<ZohoClient.RecordResult>> queued = queueBehindABlocker(batcher, "iso-", 4);
        zoho.latency(Duration.ZERO);
        for (int i = 0; i < 4; i++) {
            if (i == 2) {
                int n = i;
                assertThatThrownBy(() -> queued.get(n).get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(ZohoPermanentException.class);
            } else {
                assertThat(queued.get(i).get(30, TimeUnit.SECONDS).success()).as("iso-" + i).isTrue();
            }
        }
        assertThat(zoho.records("Calls")).extracting(r -> (String) r.get("SCC_Call_ID"))
                .filteredOn(id -> id.matches("iso-\\d")).containsExactlyInAnyOrder("iso-0", "iso-1", "iso-3");
        assertThat(meters.counter("scc.zoho.write.batch.isolated").count()).isEqualTo(1.0);

        // refused for a reason every record shares (scope): no record-by-record retry, every caller gets it
        zoho.latency(Duration.ofMillis(1500));
        zoho.clearFaults();
        zoho.failWhen(r -> r.body() != null && r.body().contains("\"scope-"), 401, "OAUTH_SCOPE_MISMATCH");
        long before = zoho.count("POST", "/crm/v8/Calls");
        List<Future<ZohoClient.RecordResult>> scoped = queueBehindABlocker(batcher, "scope-", 3);
        for (Future<ZohoClient.RecordResult> f : scoped) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(ZohoPermanentException.class);
        }
        assertThat(zoho.count("POST", "/crm/v8/Calls") - before).as("the blocker's request and the batch's, no more").isEqualTo(2);
    }

    @Test
    void updatesOfDifferentRecordsShareARequestAndTwoOfOneRecordDoNot() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(zoho.seedRecord("Leads", Map.of("Last_Name", "Lead " + i, "Company", "Acme")));
        }
        zoho.latency(Duration.ofMillis(1500));
        ZohoWriteBatcher batcher = new ZohoWriteBatcher(client, 10, 1, meters);
        Future<ZohoClient.RecordResult> blocker = pool.submit(() -> batcher.update("Leads", lead(ids.get(0), "Blocker")));
        Wait.until(() -> batcher.laneState(ZohoWriteBatcher.Verb.UPDATE, "Leads")[1], n -> n == 1);
        List<Future<ZohoClient.RecordResult>> queued = new ArrayList<>();
        queued.add(pool.submit(() -> batcher.update("Leads", lead(ids.get(1), "First"))));
        awaitQueued(batcher, ZohoWriteBatcher.Verb.UPDATE, "Leads", 1);
        queued.add(pool.submit(() -> batcher.update("Leads", lead(ids.get(1), "Second"))));
        awaitQueued(batcher, ZohoWriteBatcher.Verb.UPDATE, "Leads", 2);
        queued.add(pool.submit(() -> batcher.update("Leads", lead(ids.get(2), "Third"))));
        queued.add(pool.submit(() -> batcher.update("Leads", lead(ids.get(3), "Fourth"))));
        awaitQueued(batcher, ZohoWriteBatcher.Verb.UPDATE, "Leads", 4);
        assertThat(blocker.get(30, TimeUnit.SECONDS).success()).isTrue();
        for (Future<ZohoClient.RecordResult> f : queued) {
            assertThat(f.get(30, TimeUnit.SECONDS).success()).isTrue();
        }
        // blocker; then First, Third, Fourth together; then Second alone (after First, so it wins)
        List<ZohoSandbox.JournalEntry> puts = zoho.journal().stream().filter(e -> e.method().equals("PUT")).toList();
        assertThat(puts).extracting(e -> records(e).size()).containsExactly(1, 3, 1);
        assertThat(zoho.record("Leads", ids.get(1)).get("Last_Name")).isEqualTo("Second");
        assertThat(zoho.record("Leads", ids.get(3)).get("Last_Name")).isEqualTo("Fourth");
    }

    @Test
    void batchSizeOneWritesEachRecordAloneAsBefore() throws Exception {
        zoho.latency(Duration.ofMillis(300));
        ZohoWriteBatcher batcher = new ZohoWriteBatcher(client, 1, 2, meters);
        int n = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ZohoClient.RecordResult>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String callId = "one-" + i;
            results.add(pool.submit(() -> {
                go.await();
                return batcher.insert("Calls", call(callId, "Inbound", "00:10"));
            }));
        }
        go.countDown();
        Map<String, String> idByCall = new HashMap<>();
        for (int i = 0; i < n; i++) {
            idByCall.put("one-" + i, results.get(i).get(30, TimeUnit.SECONDS).id());
        }
        assertThat(zoho.count("POST", "/crm/v8/Calls")).isEqualTo(n);
        assertThat(maxRecordsPerRequest("POST", "/crm/v8/Calls")).isEqualTo(1);
        for (Map<String, Object> rec : zoho.records("Calls")) {
            assertThat(rec.get("id")).isEqualTo(idByCall.get((String) rec.get("SCC_Call_ID")));
        }
        // not held to write-batch-in-flight: nothing queues, the client's own cap is the only limit
        assertThat(batcher.laneState(ZohoWriteBatcher.Verb.INSERT, "Calls")).containsExactly(0, 0);
        assertThat(meters.find("scc.zoho.write.batch.size").summary().max()).isEqualTo(1);
    }

    @Test
    void noRecordIsStrandedUnderAStressLoop() throws Exception {
        zoho.latency(Duration.ofMillis(5));
        ZohoWriteBatcher batcher = new ZohoWriteBatcher(client, 10, 2, meters);
        int threads = 16;
        int perThread = 500 / threads + 1;
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        Map<String, String> idByName = new ConcurrentHashMap<>();
        try {
            List<Future<Object>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(workers.submit((Callable<Object>) () -> {
                    for (int i = 0; i < perThread; i++) {
                        String name = "Stress " + thread + "-" + i;
                        ZohoClient.RecordResult r = batcher.insert("Leads", MAPPER.createObjectNode().put("Last_Name", name).put("Company", "Acme"));
                        assertThat(r.success()).isTrue();
                        idByName.put(name, r.id());
                    }
                    return null;
                }));
            }
            for (Future<Object> f : done) {
                f.get(90, TimeUnit.SECONDS); // a stranded record would hang its thread here
            }
        } finally {
            workers.shutdownNow();
        }
        int total = threads * perThread;
        List<Map<String, Object>> leads = zoho.records("Leads");
        assertThat(leads).hasSize(total);
        for (Map<String, Object> lead : leads) {
            assertThat(lead.get("id")).isEqualTo(idByName.get((String) lead.get("Last_Name")));
        }
        assertThat(zoho.count("POST", "/crm/v8/Leads")).isLessThan(total);
        assertThat(maxRecordsPerRequest("POST", "/crm/v8/Leads")).isLessThanOrEqualTo(10);
        assertThat(batcher.laneState(ZohoWriteBatcher.Verb.INSERT, "Leads")).containsExactly(0, 0);
    }

    // ------------------------------------------------------------------ helpers

    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = AppHarness.JSON;

    private Future<ZohoClient.RecordResult> occupyTheOnlySlot(ZohoWriteBatcher batcher) {
        Future<ZohoClient.RecordResult> blocker = pool.submit(() -> batcher.insert("Calls", call("blocker", "Inbound", "00:30")));
        Wait.until(() -> batcher.laneState(ZohoWriteBatcher.Verb.INSERT, "Calls")[1], n -> n == 1);
        return blocker;
    }

    private List<Future<ZohoClient.RecordResult>> queueBehindABlocker(ZohoWriteBatcher batcher, String prefix, int n) throws Exception {
        return queueBehindABlocker(batcher, prefix, n, () -> { });
    }

    /** A blocker takes the lane's only slot; n records queue behind it and go in the next request. */
    private List<Future<ZohoClient.RecordResult>> queueBehindABlocker(ZohoWriteBatcher batcher, String prefix, int n, Runnable whileQueued)
            throws Exception {
        Future<ZohoClient.RecordResult> blocker = pool.submit(() -> batcher.insert("Calls", call(prefix + "blocker", "Inbound", "00:30")));
        Wait.until(() -> batcher.laneState(ZohoWriteBatcher.Verb.INSERT, "Calls")[1], k -> k == 1);
        List<Future<ZohoClient.RecordResult>> queued = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode rec = call(prefix + i, "Inbound", "00:20");
            queued.add(pool.submit(() -> batcher.insert("Calls", rec)));
        }
        awaitQueued(batcher, n);
        whileQueued.run();
        // the blocker's body carries the prefix too, so a fault aimed at the batch may hit it: only the batch matters
        try {
            blocker.get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // its outcome is not what this helper is about
        }
        return queued;
    }

    private static void awaitQueued(ZohoWriteBatcher batcher, int n) {
        awaitQueued(batcher, ZohoWriteBatcher.Verb.INSERT, "Calls", n);
    }

    private static void awaitQueued(ZohoWriteBatcher batcher, ZohoWriteBatcher.Verb verb, String module, int n) {
        Wait.until(() -> batcher.laneState(verb, module)[0], q -> q == n);
    }

    private static ObjectNode call(String callId, String type, String duration) {
        return MAPPER.createObjectNode().put("Subject", "Call " + callId).put("Call_Type", type)
                .put("Call_Start_Time", "2026-11-24T10:15:00+00:00").put("Call_Duration", duration).put("SCC_Call_ID", callId);
    }

    private static ObjectNode lead(String id, String lastName) {
        return MAPPER.createObjectNode().put("id", id).put("Last_Name", lastName);
    }

    private static JsonNode records(ZohoSandbox.JournalEntry e) {
        return AppHarness.json(e.body()).path("data");
    }

    private static int maxRecordsPerRequest(String method, String path) {
        return zoho.journal().stream().filter(e -> e.method().equals(method) && e.path().equals(path))
                .mapToInt(e -> records(e).size()).max().orElse(0);
    }
}
