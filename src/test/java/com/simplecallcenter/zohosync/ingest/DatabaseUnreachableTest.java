package com.simplecallcenter.zohosync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.ProviderSender;
import com.simplecallcenter.zohosync.support.TcpProxy;
import com.simplecallcenter.zohosync.support.TestDatabase;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app with its database taken away (a TCP proxy between them that the test cuts or black-holes; the PostgreSQL
 * server the other tests share is not touched): every ingest endpoint answers 503 problem+json with Retry-After and
 * stores nothing, readiness says 503 within a second, and both come back by themselves with the link.
 * The whole story, a real PostgreSQL restart mid-burst through to Zoho, is {@code it.DatabaseOutageIT}.
 */
class DatabaseUnreachableTest {

    static final String SCHEMA = "t_db_unreachable";
    static final ObjectMapper JSON = new ObjectMapper();
    static TcpProxy proxy;
    static AppHarness app;
    static JdbcTemplate db;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        proxy = TcpProxy.inFrontOf(TestDatabase.URL);
        app = AppHarness.on(SCHEMA).withoutZoho().setting("scc.db.url", proxy.jdbcUrl(TestDatabase.URL))
                .setting("scc.3cx.api-key", ProviderSender.THREECX_KEY).start();
        port = app.port();
        // the test's own look at what was stored goes around the proxy
        db = app.db();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            proxy.restore();
            app.close();
        } finally {
            proxy.close();
        }
    }

    static String event(String eventId, String callId) {
        return CanonicalEvent.event(eventId, callId, "call.ended").occurredAt("2026-11-24T10:17:05Z").inbound().status("answered")
                .from("+1 415 555 0134").to("+14155550100").durationSeconds(42).json();
    }

    static String threeCx(String number) {
        return """
                {"CallType":"Inbound","Number":"%s","Agent":"101","Duration":"00:00:42","CallStartTimeUTC":"2026-11-24T10:15:00Z",
                 "CallEstablishedTimeUTC":"2026-11-24T10:15:05Z","CallEndTimeUTC":"2026-11-24T10:15:47Z"}""".formatted(number);
    }

    static int stored(String eventId) {
        return db.queryForObject("select count(*) from call_event where event_id = ?", Integer.class, eventId);
    }

    static int storedOfNumber(String e164) {
        return db.queryForObject("select count(*) from call_event where event->>'from' = ?", Integer.class, e164);
    }

    /** The answer of {@code /health/ready} and how long it took. */
    record Probe(int status, long millis) {
    }

    static Probe ready() {
        long t0 = System.nanoTime();
        int status = Http.get("http://127.0.0.1:" + port + "/health/ready").statusCode();
        return new Probe(status, (System.nanoTime() - t0) / 1_000_000);
    }

    static void assertUnavailable(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(r.headers().firstValue("Retry-After")).contains("5");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(503);
        assertThat(p.get("title").asText()).isEqualTo("Service Unavailable");
        assertThat(r.body()).doesNotContainIgnoringCase("sql").doesNotContain("Exception").doesNotContain("127.0.0.1");
    }

    @Test
    void withThePostgresLinkCutEveryIngestEndpointAnswers503AndReadinessFollowsWithinASecond() throws Exception {
        assertThat(Http.postEvent(port, event("evt_before_cut", "call_before_cut")).statusCode()).isEqualTo(202);
        assertThat(ready().status()).isEqualTo(200);

        proxy.cut();
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> canonical = Http.postEvent(port, event("evt_during_cut", "call_during_cut"));
            long canonicalMillis = (System.nanoTime() - t0) / 1_000_000;
            assertUnavailable(canonical);
            // the pool gives up after scc.db.connect-timeout-ms (1 s), not after the 5 s it waited before
            assertThat(canonicalMillis).as("ms to the 503").isLessThan(3000);

            HttpResponse<String> native3cx = new ProviderSender(port).post("3cx", "region=US", "application/json", threeCx("+14155550142"));
            assertUnavailable(native3cx);
            assertThat(JSON.readTree(native3cx.body()).has("errors")).isFalse();

            // readiness: 503 (at once, or after the cached "up" of the last second), each answer within a second
            Wait.until(DatabaseUnreachableTest::ready, p -> p.status() == 503, Duration.ofSeconds(3));
            for (int i = 0; i < 5; i++) {
                Probe p = ready();
                assertThat(p.status()).isEqualTo(503);
                assertThat(p.millis()).as("ms for /health/ready").isLessThan(1000);
                Wait.pause(300);
            }
            assertThat(Http.get("http://127.0.0.1:" + port + "/health/live").statusCode()).isEqualTo(200);
            assertThat(Http.get("http://127.0.0.1:" + port + "/metrics").body())
                    .contains("scc_ingest_events_total{outcome=\"rejected\",reason=\"database-unavailable\"")
                    .contains("scc_provider_webhooks_total{outcome=\"unavailable\",provider=\"3cx\"");
        } finally {
            proxy.restore();
        }

        // back by itself: ready again, and the senders' retries are stored (nothing of the 503s was kept)
        Wait.until(DatabaseUnreachableTest::ready, p -> p.status() == 200, Duration.ofSeconds(10));
        assertThat(stored("evt_during_cut")).isZero();
        assertThat(storedOfNumber("+14155550142")).isZero();
        HttpResponse<String> retried = Http.postEvent(port, event("evt_during_cut", "call_during_cut"));
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
        assertThat(stored("evt_during_cut")).isEqualTo(1);
        HttpResponse<String> retried3cx = new ProviderSender(port).post("3cx", "region=US", "application/json", threeCx("+14155550142"));
        assertThat(retried3cx.statusCode()).as(retried3cx.body()).isEqualTo(200);
        assertThat(storedOfNumber("+14155550142")).isEqualTo(1);
    }

    /**
     * A network that swallows packets is the worst case: connecting hangs instead of being refused and open sessions
     * stall. Readiness still answers within a second, to every one of a burst of probes.
     */
    @Test
    void withThePostgresLinkBlackHoledReadinessStillAnswersWithinASecond() throws Exception {
        assertThat(ready().status()).isEqualTo(200);
        proxy.blackHole();
        ExecutorService probes = Executors.newFixedThreadPool(8);
        try {
            Wait.until(DatabaseUnreachableTest::ready, p -> p.status() == 503, Duration.ofSeconds(3));
            for (int round = 0; round < 3; round++) {
                List<Future<Probe>> burst = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    burst.add(probes.submit(DatabaseUnreachableTest::ready));
                }
                for (Future<Probe> f : burst) {
                    Probe p = f.get();
                    assertThat(p.status()).isEqualTo(503);
                    assertThat(p.millis()).as("ms for /health/ready").isLessThan(1000);
                }
                Wait.pause(700);
            }
        } finally {
            probes.shutdownNow();
            proxy.restore();
        }
        Wait.until(DatabaseUnreachableTest::ready, p -> p.status() == 200, Duration.ofSeconds(15));
        assertThat(Http.postEvent(port, event("evt_after_black_hole", "call_after_black_hole")).statusCode()).isEqualTo(202);
    }
}
