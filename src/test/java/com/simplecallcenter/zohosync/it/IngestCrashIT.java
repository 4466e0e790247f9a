package com.simplecallcenter.zohosync.it;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Guarantee: a 2xx means the event is in the database, whatever happens to the process right after. */
class IngestCrashIT {

    static Map<String, String> env(String schema, int port) {
        Map<String, String> env = AppHarness.processEnvironment(null, port);
        env.put("SCC_DB_URL", TestDatabase.URL);
        env.put("SCC_DB_USER", TestDatabase.USER);
        env.put("SCC_DB_SCHEMA", schema);
        return env;
    }

    static String event(String eventId, String callId) {
        return CanonicalEvent.event(eventId, callId, "call.ended").occurredAt("2026-11-24T10:17:05Z").inbound().status("answered")
                .from("+1 415 555 0134").to("+14155550100").durationSeconds(42).json();
    }

    @Test
    void everyAcknowledgedEventSurvivesKillMinus9DuringABurst() throws Exception {
        String schema = TestDatabase.freshSchema("t_it_ingest_crash");
        int port = AppHarness.freePort();
        AppProcess app = AppProcess.start(env(schema, port), port, List.of()).awaitReady(Duration.ofSeconds(60));

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        for (int t = 0; t < 16; t++) {
            int thread = t;
            senders.submit(() -> {
                for (int i = 0; i < 2000; i++) {
                    String id = "evt_" + thread + "_" + i;
                    sent.incrementAndGet();
                    try {
                        HttpResponse<String> r = Http.postEvent(port, event(id, "call_" + thread + "_" + i));
                        if (r.statusCode() == 202 || r.statusCode() == 200) {
                            acknowledged.add(id);
                        }
                    } catch (RuntimeException connectionLost) {
                        return;
                    }
                }
            });
        }
        // let the burst run, then kill the process in the middle of it
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (acknowledged.size() < 300) {
            assertThat(System.nanoTime()).as("300 events acknowledged within 2 minutes:\n" + app.output()).isLessThan(deadline);
            Thread.sleep(20);
        }
        app.kill9();
        senders.shutdown();
        assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        JdbcTemplate db = new JdbcTemplate(TestDatabase.dataSource(schema));
        List<String> stored = db.queryForList("select event_id from call_event", String.class);
        assertThat(stored).containsAll(acknowledged);

        // after a restart the service answers again and retries of acknowledged events are duplicates, never lost
        AppProcess again = AppProcess.start(env(schema, port), port, List.of()).awaitReady(Duration.ofSeconds(60));
        try {
            String someAcknowledged = acknowledged.iterator().next();
            HttpResponse<String> retry = Http.postEvent(port, event(someAcknowledged, "call_retry"));
            assertThat(retry.statusCode()).isEqualTo(200);
            assertThat(retry.body()).contains("duplicate");
        } finally {
            assertThat(again.terminate()).as("clean exit on SIGTERM").isIn(0, 130, 143);
        }
        System.out.printf("crash test: %d sent, %d acknowledged before kill -9, %d stored%n", sent.get(), acknowledged.size(), stored.size());
    }

    @Test
    void aBadSettingStopsTheJarWithOneLineAndNoStackTrace() throws Exception {
        int port = AppHarness.freePort();
        Map<String, String> env = env("t_it_never_created", port);
        env.put("SCC_HTTP_PORT", "not-a-port");
        AppProcess app = AppProcess.start(env, port, List.of());
        assertThat(app.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(app.process().exitValue()).isEqualTo(2);
        String out = app.output().strip();
        assertThat(out).contains("SCC_HTTP_PORT");
        assertThat(out.lines().count()).as(out).isEqualTo(1);
        assertThat(out).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
