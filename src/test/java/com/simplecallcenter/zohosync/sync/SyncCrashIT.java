package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Wait;

import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the real jar in the middle of a burst of 200 calls, then a restart: every call that got a 2xx ends as
 * exactly one Call activity in the sandbox (no loss, no duplicate); once more while batched writes are in flight.
 * Runs after {@code package} (failsafe).
 */
class SyncCrashIT {

    static final String SCHEMA = "t_sync_crash";
    static final ObjectMapper JSON = new ObjectMapper();
    ZohoSandbox sandbox;
    Process process;

    @AfterEach
    void cleanUp() {
        if (process != null) {
            process.destroyForcibly();
        }
        if (sandbox != null) {
            sandbox.stop();
        }
    }

    @Test
    void killDuringABurstThenRestartLogsEveryAcknowledgedCallExactlyOnce() throws Exception {
        burstKillRestart(Duration.ofMillis(5), false);
        assertThat(callsPerId().values()).allMatch(c -> c == 1L);
    }

    /**
     * The same with Zoho slow enough (150 ms a request) that the writes of the 24 workers are batched when the
     * process dies: records of several calls in one request, their markers set, their answers lost with the process.
     * Every acknowledged call still has one Call, and every caller one Lead (each call's create marker and COQL).
     */
    @Test
    void killWhileBatchedWritesAreInFlightThenRestartLogsEveryCallOnceAndCreatesEveryLeadOnce() throws Exception {
        Set<String> acknowledged = burstKillRestart(Duration.ofMillis(150), true);
        assertThat(callsPerId().values()).allMatch(c -> c == 1L);
        Map<Object, Long> leadsPerPhone = sandbox.records("Leads").stream()
                .collect(Collectors.groupingBy(l -> l.get("Phone"), Collectors.counting()));
        for (String id : acknowledged) {
            String phone = String.format("+1415556%04d", Integer.parseInt(id.substring("crash-".length())));
            assertThat(leadsPerPhone.get(phone)).as("Leads for the caller of " + id).isEqualTo(1L);
        }
        assertThat(leadsPerPhone.values()).allMatch(c -> c == 1L);
    }

    /** 200 calls from new callers, kill -9 once some are synced, restart: returns the acknowledged call ids, all synced. */
    private Set<String> burstKillRestart(Duration zohoLatency, boolean killWhileBatching) throws Exception {
        sandbox = ZohoSandbox.start();
        TestDatabase.freshSchema(SCHEMA);
        int port = AppHarness.freePort();
        AppHarness.prepareSandbox(sandbox, port);
        Path log = Path.of("target", "sync-crash-it.log");

        process = startJar(port, log, false);
        awaitReady(port);
        AppHarness.connect(port, sandbox);
        sandbox.latency(zohoLatency);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (int i = 0; i < 200; i++) {
            String id = "crash-" + i;
            String n = String.format("+1415556%04d", i);
            pool.submit(() -> {
                sent.incrementAndGet();
                try {
                    String started = CanonicalEvent.event(id + "-s", id, "call.started").occurredAt("2026-11-24T10:15:00Z")
                            .direction("inbound").from(n).to("+14155550100").status("ringing").json();
                    String ended = CanonicalEvent.ended(id).from(n).status("answered").durationSeconds(7).json();
                    if (Http.postEvent(port, started).statusCode() / 100 == 2 && Http.postEvent(port, ended).statusCode() / 100 == 2) {
                        acknowledged.add(id);
                    }
                } catch (RuntimeException refused) {
                    // the process is gone: this call was not acknowledged
                }
            });
        }
        // kill -9 once some calls are through and others are on their way (mid-burst, mid-sync); with batching, once
        // writes that carry several calls' records are going on
        JdbcTemplate db = new JdbcTemplate(TestDatabase.dataSource(SCHEMA));
        String inFlight = "SELECT count(*) FROM call_sync WHERE zoho_call_id IS NULL AND call_insert_started_at IS NOT NULL"
                + " OR zoho_record_id IS NULL AND person_create_started_at IS NOT NULL";
        // with batching, also wait for a moment when writes are actually in flight: on a busy machine the burst can
        // trickle in so slowly that every write is answered before the next call arrives
        Wait.until(() -> db.queryForObject("SELECT count(*) FROM call_sync WHERE status = 'synced'", Integer.class) >= 15
                        && (!killWhileBatching || batchedWrites() >= 2 && db.queryForObject(inFlight, Integer.class) > 0),
                Boolean::booleanValue, Duration.ofSeconds(60));
        int sentAtKill = sent.get();
        int syncedAtKill = db.queryForObject("SELECT count(*) FROM call_sync WHERE status = 'synced'", Integer.class);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        // writes sent but unanswered when the process died: their calls' markers stay set
        int markedAtKill = db.queryForObject(inFlight, Integer.class);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).isNotEmpty();
        if (killWhileBatching) {
            assertThat(syncedAtKill).as("killed before every acknowledged call was synced").isLessThan(acknowledged.size());
            assertThat(markedAtKill).as("calls whose write was in flight at the kill").isPositive();
        } else {
            assertThat(sentAtKill).as("killed before the burst ended").isLessThan(200);
        }

        process = startJar(port, log, true);
        awaitReady(port);
        Wait.until(() -> db.queryForList("SELECT call_id FROM call_sync WHERE status = 'synced'", String.class),
                synced -> synced.containsAll(acknowledged), Duration.ofSeconds(90));

        Map<Object, Long> callsPerId = callsPerId();
        for (String id : acknowledged) {
            assertThat(callsPerId.get(id)).as("Calls for acknowledged " + id).isEqualTo(1L);
        }
        // events stored but never acknowledged (the kill came before the answer) are processed too, by the sweep: wait
        // for them rather than race them (on a loaded machine the restart's queue drains for a few more seconds)
        Wait.until(() -> db.queryForObject("SELECT count(*) FROM call_event WHERE processed_at IS NULL", Integer.class),
                n -> n == 0, Duration.ofSeconds(60));
        return acknowledged;
    }

    private Map<Object, Long> callsPerId() {
        return sandbox.records("Calls").stream().collect(Collectors.groupingBy(c -> c.get("SCC_Call_ID"), Collectors.counting()));
    }

    /** Calls and Leads inserts so far that carried more than one record (the sandbox journals a request once answered). */
    private long batchedWrites() {
        return sandbox.journal().stream()
                .filter(e -> e.method().equals("POST") && (e.path().equals("/crm/v8/Calls") || e.path().equals("/crm/v8/Leads")))
                .filter(e -> {
                    try {
                        return JSON.readTree(e.body()).path("data").size() > 1;
                    } catch (Exception notJson) {
                        return false;
                    }
                }).count();
    }

    Process startJar(int port, Path log, boolean append) throws Exception {
        String jar = System.getProperty("app.jar", "target/scc-zoho-sync.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar);
        Map<String, String> env = pb.environment();
        // the same settings as the in-process sync tests, as the environment variables a deployment would set
        env.putAll(AppHarness.processEnvironment(sandbox, port));
        env.put("SCC_DB_URL", TestDatabase.URL);
        env.put("SCC_DB_USER", TestDatabase.USER);
        env.put("SCC_DB_SCHEMA", SCHEMA);
        env.put("SCC_SYNC_CLAIM_LEASE", "3s");
        pb.redirectErrorStream(true);
        pb.redirectOutput(append ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(log.toFile()));
        pb.directory(new File("."));
        return pb.start();
    }

    static void awaitReady(int port) {
        Wait.until(() -> {
            try {
                return Http.get("http://127.0.0.1:" + port + "/health/ready").statusCode();
            } catch (RuntimeException notYet) {
                return 0;
            }
        }, status -> status == 200, Duration.ofSeconds(60));
    }
}
