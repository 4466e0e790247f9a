package com.simplecallcenter.zohosync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The canonical webhook end to end: real Jetty, real PostgreSQL, signed requests as a sender makes them. */
class IngestEndpointTest {

    static final String SCHEMA = "t_ingest_endpoint";
    static AppHarness app;
    static JdbcTemplate db;
    static int port;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        app = AppHarness.on(SCHEMA).withoutZoho().start();
        port = app.port();
        db = app.db();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String event(String eventId, String callId) {
        // every member of the contract, and one it does not know yet
        return CanonicalEvent.ended(callId).eventId(eventId).status("answered").from("+1 (415) 555-0134")
                .set("answeredAt", "2026-11-24T10:15:09Z").durationSeconds(116)
                .members("""
                        "agent":{"id":"ag_17","email":"dana@acme.example","name":"Dana Ruiz"},
                        "caller":{"email":"pat.lee@example.com","firstName":"Pat","lastName":"Lee","company":"Example Ltd"},
                        "notes":"Asked about invoice 4411","tags":["billing"],
                        "links":{"recording":"https://rec.example/r/1"},"someFutureField":{"x":1}""").json();
    }

    static int stored(String eventId) {
        return db.queryForObject("select count(*) from call_event where event_id = ?", Integer.class, eventId);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> raw(String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calls/events"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        return Http.send(b.build());
    }

    static Map<String, String> signed(byte[] body) {
        String id = "msg_" + System.nanoTime();
        long ts = System.currentTimeMillis() / 1000;
        return Map.of("webhook-id", id, "webhook-timestamp", String.valueOf(ts),
                "webhook-signature", StandardWebhookVerifier.signature(AppHarness.WEBHOOK_SECRET, id, ts, body));
    }

    @Test
    void newEventIsStoredThenAnswered202AndItsRetryIs200Duplicate() throws Exception {
        HttpResponse<String> first = Http.postEvent(port, event("evt_new_1", "call_1"));
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(json(first).get("status").asText()).isEqualTo("accepted");
        assertThat(json(first).get("eventId").asText()).isEqualTo("evt_new_1");
        assertThat(json(first).get("callId").asText()).isEqualTo("call_1");
        // the answer goes out whole with its length, not as chunks
        assertThat(first.headers().firstValue("Content-Length"))
                .contains(String.valueOf(first.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(first.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(stored("evt_new_1")).isEqualTo(1);

        Map<String, Object> row = db.queryForMap("select call_id, event_type, event->>'from' as from_e164, convert_from(b.body, 'UTF8') as raw from call_event e join raw_body b on b.id = e.raw_body_id where event_id = 'evt_new_1'");
        assertThat(row.get("call_id")).isEqualTo("call_1");
        assertThat(row.get("event_type")).isEqualTo("call.ended");
        assertThat(row.get("from_e164")).isEqualTo("+14155550134");
        assertThat((String) row.get("raw")).contains("\"+1 (415) 555-0134\"");

        HttpResponse<String> again = Http.postEvent(port, event("evt_new_1", "call_1"));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("status").asText()).isEqualTo("duplicate");
        assertThat(stored("evt_new_1")).isEqualTo(1);
        // responses never echo request headers (the Jetty consumer would, unless they are removed)
        assertThat(again.headers().firstValue("webhook-signature")).isEmpty();
    }

    @Test
    void twentyConcurrentDeliveriesOfOneEventStoreItOnce() throws Exception {
        String body = event("evt_concurrent", "call_concurrent");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tasks.add(() -> Http.postEvent(port, body).statusCode());
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                codes.add(f.get());
            }
            assertThat(codes).containsOnly(200, 202);
            assertThat(codes.stream().filter(c -> c == 202).count()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(stored("evt_concurrent")).isEqualTo(1);
        assertThat(db.queryForObject("select count(*) from camel_messageprocessed where messageid = 'canonical:evt_concurrent'", Integer.class)).isEqualTo(1);
    }

    @Test
    void failureAfterTheKeyIsRecordedLeavesNeitherKeyNorEventSoTheRetryIsStored() throws Exception {
        // the event insert fails inside the transaction that recorded the key: the classic "key without event" hole
        db.execute("""
                create or replace function fail_event_once() returns trigger language plpgsql as $$
                begin
                  if new.event_id = 'evt_hole' and exists (select 1 from pg_class where relname = 'fail_flag' and relnamespace = 't_ingest_endpoint'::regnamespace) then
                    raise exception 'simulated crash while storing the event';
                  end if;
                  return new;
                end $$""");
        db.execute("create table fail_flag(x int)");
        db.execute("create trigger fail_event_once before insert on call_event for each row execute function fail_event_once()");
        try {
            HttpResponse<String> failed = Http.postEvent(port, event("evt_hole", "call_hole"));
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(failed.body()).doesNotContain("simulated").doesNotContain("SQL");
            assertThat(stored("evt_hole")).isZero();
            assertThat(db.queryForObject("select count(*) from camel_messageprocessed where messageid = 'canonical:evt_hole'", Integer.class)).isZero();

            db.execute("drop table fail_flag");
            HttpResponse<String> retry = Http.postEvent(port, event("evt_hole", "call_hole"));
            assertThat(retry.statusCode()).isEqualTo(202);
            assertThat(json(retry).get("status").asText()).isEqualTo("accepted");
            assertThat(stored("evt_hole")).isEqualTo(1);
        } finally {
            db.execute("drop trigger if exists fail_event_once on call_event");
            db.execute("drop table if exists fail_flag");
        }
    }

    @Test
    void missingOrWrongSignatureIs401AndNothingIsStored() throws Exception {
        byte[] body = event("evt_unsigned", "call_x").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> none = raw("application/json", body, Map.of());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(json(none).get("status").asInt()).isEqualTo(401);

        HttpResponse<String> wrongSecret = Http.postEvent(port, event("evt_unsigned", "call_x"),
                "whsec_ZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmY=", "msg_1");
        assertThat(wrongSecret.statusCode()).isEqualTo(401);

        long old = System.currentTimeMillis() / 1000 - 600;
        HttpResponse<String> stale = raw("application/json", body, Map.of("webhook-id", "m1", "webhook-timestamp", String.valueOf(old),
                "webhook-signature", StandardWebhookVerifier.signature(AppHarness.WEBHOOK_SECRET, "m1", old, body)));
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(stored("evt_unsigned")).isZero();
    }

    @Test
    void bodyAbove256KiBIs413WithOrWithoutContentLength() throws Exception {
        String big = event("evt_big", "call_big").replace("Asked about invoice 4411", "x".repeat(300 * 1024));
        byte[] body = big.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> declared = raw("application/json", body, signed(body));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.headers().firstValue("Content-Type")).contains("application/problem+json");

        // chunked: no Content-Length, the cap applies while reading
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calls/events"))
                .header("Content-Type", "application/json")
                .headers(signed(body).entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        assertThat(Http.send(chunked).statusCode()).isEqualTo(413);
        assertThat(stored("evt_big")).isZero();
    }

    @Test
    void nonJsonContentTypeOrCharsetIs415() {
        byte[] body = event("evt_415", "call_415").getBytes(StandardCharsets.UTF_8);
        assertThat(raw("text/plain", body, signed(body)).statusCode()).isEqualTo(415);
        assertThat(raw("application/x-www-form-urlencoded", body, signed(body)).statusCode()).isEqualTo(415);
        assertThat(raw("application/json; charset=ISO-8859-1", body, signed(body)).statusCode()).isEqualTo(415);
        assertThat(raw(null, body, signed(body)).statusCode()).isEqualTo(415);
        assertThat(raw("application/json; charset=utf-8", body, signed(body)).statusCode()).isEqualTo(202);
    }

    @Test
    void malformedJsonIs400ProblemWithErrors() throws Exception {
        byte[] body = "{\"eventId\": \"evt_bad\", ".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = raw("application/json", body, signed(body));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode p = json(r);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("errors").get(0).get("field").asText()).isEqualTo("$");
    }

    @Test
    void invalidFieldsAre400ListingEachField() throws Exception {
        String body = """
                {"eventId":"bad id with spaces","callId":"c1","type":"call.exploded","occurredAt":"yesterday",
                 "direction":"sideways","status":"answered","from":"call me maybe","durationSeconds":-3,
                 "tags":["ok", ""],"caller":{"email":"not-an-email"},"callbackAt":"tomorrow morning"}""";
        HttpResponse<String> r = Http.postEvent(port, body);
        assertThat(r.statusCode()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        json(r).get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).contains("eventId", "type", "occurredAt", "direction", "from", "to", "durationSeconds", "tags[1]", "caller.email",
                "callbackAt");
        assertThat(db.queryForObject("select count(*) from call_event where call_id = 'c1'", Integer.class)).isZero();
    }

    @Test
    void byteOrderMarkNumericStringDurationAndAnonymousAreAccepted() throws Exception {
        String body = event("evt_bom", "call_bom").replace("\"durationSeconds\":116", "\"durationSeconds\":\"116\"")
                .replace("\"+1 (415) 555-0134\"", "\"anonymous\"");
        byte[] bytes = ("\uFEFF" + body).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = raw("application/json", bytes, signed(bytes));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(db.queryForObject("select (event->>'durationSeconds')::int from call_event where event_id = 'evt_bom'", Integer.class)).isEqualTo(116);
        assertThat(db.queryForObject("select event->>'from' from call_event where event_id = 'evt_bom'", String.class)).isEqualTo("anonymous");
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() throws Exception {
        HttpResponse<String> unknown = Http.get("http://127.0.0.1:" + port + "/api/v1/nothing-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(json(unknown).get("status").asInt()).isEqualTo(404);
        HttpResponse<String> wrongMethod = Http.get("http://127.0.0.1:" + port + "/api/v1/calls/events");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(json(wrongMethod).get("status").asInt()).isEqualTo(405);
    }

    @Test
    void healthAndMetricsAnswer() {
        assertThat(Http.get("http://127.0.0.1:" + port + "/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = Http.get("http://127.0.0.1:" + port + "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\":\"UP\"");
        Http.postEvent(port, event("evt_metrics", "call_metrics"));
        Http.postEvent(port, event("evt_metrics", "call_metrics"));
        HttpResponse<String> metrics = Http.get("http://127.0.0.1:" + port + "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("scc_ingest_events_total{outcome=\"accepted\"")
                .contains("scc_ingest_events_total{outcome=\"duplicate\"")
                .contains("scc_ingest_latency_seconds_bucket");
    }
}
