package com.simplecallcenter.zohosync.features;

import com.simplecallcenter.zohosync.Application;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.ConnectedZoho;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.Wait;
import com.simplecallcenter.zohosync.support.TestApp;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app (real PostgreSQL schema {@code t_feat_*}, real HTTP) connected to a Zoho sandbox over HTTP, with short
 * redelivery delays and a fast switch refresh, plus helpers to post events, flip switches and wait on outcomes.
 */
final class FeatureHarness implements AutoCloseable {

    static final String ADMIN = ConnectedZoho.ADMIN;
    static final Duration WAIT = Duration.ofSeconds(20);

    final ZohoSandbox sandbox;
    final String schema;
    final JdbcTemplate db;
    final String adminUserId;
    final Map<String, String> settings;
    Application app;

    private FeatureHarness(ZohoSandbox sandbox, String schema, Map<String, String> settings, String adminUserId) {
        this.sandbox = sandbox;
        this.schema = schema;
        this.settings = settings;
        this.adminUserId = adminUserId;
        this.db = new JdbcTemplate(TestDatabase.dataSource(schema));
    }

    static FeatureHarness start(String schema, Map<String, String> extra) throws Exception {
        return start(schema, sb -> extra);
    }

    /** {@code setup} seeds the sandbox (users, records) before the app starts and returns extra settings. */
    static FeatureHarness start(String schema, java.util.function.Function<ZohoSandbox, Map<String, String>> setup) throws Exception {
        ZohoSandbox sb = ZohoSandbox.start();
        String admin = ConnectedZoho.prepare(sb);
        Map<String, String> extra = setup.apply(sb);
        Map<String, String> s = new HashMap<>(ConnectedZoho.appSettings(sb));
        s.put("scc.feature.refresh-interval", "200");
        s.putAll(extra);
        FeatureHarness h = new FeatureHarness(sb, schema, s, admin);
        TestDatabase.freshSchema(schema);
        try {
            h.app = TestApp.startKeepingSchema(schema, s);
            h.connect();
        } catch (Exception | Error e) {
            h.close();
            throw e;
        }
        return h;
    }

    /** A second instance of the app on the same schema (and the same Zoho connection). */
    Application startAnotherInstance() throws Exception {
        return TestApp.startKeepingSchema(schema, settings);
    }

    void restart(Map<String, String> changes) throws Exception {
        settings.putAll(changes);
        app.stop();
        app = TestApp.startKeepingSchema(schema, settings);
    }

    void connect() {
        ConnectedZoho.connect(app.httpPort(), sandbox);
    }

    void post(String eventJson) {
        HttpResponse<String> r = Http.postEvent(app.httpPort(), eventJson);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
    }

    HttpResponse<String> admin(String method, String path, String body) {
        return request(app, method, path, body, ADMIN);
    }

    static HttpResponse<String> request(Application on, String method, String path, String body, String token) {
        return ConnectedZoho.request(on.httpPort(), method, path, body, token);
    }

    void setFeature(String name, boolean enabled) {
        HttpResponse<String> r = admin("PUT", "/api/v1/admin/features/" + name, "{\"enabled\":" + enabled + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    String status(String callId) {
        List<String> s = db.queryForList("SELECT status FROM call_sync WHERE call_id = ?", String.class, callId);
        return s.isEmpty() ? null : s.get(0);
    }

    int unprocessed(String callId) {
        Integer n = db.queryForObject("SELECT count(*) FROM call_event WHERE call_id = ? AND processed_at IS NULL", Integer.class, callId);
        return n == null ? 0 : n;
    }

    /** Waits until the call is synced with no event of it left unprocessed; returns its row. */
    Map<String, Object> awaitSynced(String callId) {
        until(() -> "synced".equals(status(callId)) && unprocessed(callId) == 0, Boolean::booleanValue);
        return db.queryForMap("SELECT * FROM call_sync WHERE call_id = ?", callId);
    }

    /** The sync of this call has run again since {@code before} (synced_at moved). */
    Map<String, Object> awaitSyncedAgain(String callId, Object before) {
        until(() -> {
            Map<String, Object> row = db.queryForMap("SELECT status, synced_at FROM call_sync WHERE call_id = ?", callId);
            return "synced".equals(row.get("status")) && !row.get("synced_at").equals(before) && unprocessed(callId) == 0;
        }, Boolean::booleanValue);
        return db.queryForMap("SELECT * FROM call_sync WHERE call_id = ?", callId);
    }

    List<Map<String, Object>> calls(String callId) {
        return sandbox.records("Calls").stream().filter(c -> callId.equals(c.get("SCC_Call_ID"))).toList();
    }

    Map<String, Object> onlyCall(String callId) {
        List<Map<String, Object>> calls = calls(callId);
        assertThat(calls).as("Calls with SCC_Call_ID " + callId).hasSize(1);
        return calls.get(0);
    }

    /** The Tasks that carry this call id (value {@code callId:kind}). */
    List<Map<String, Object>> tasks(String callId) {
        return sandbox.records("Tasks").stream()
                .filter(t -> String.valueOf(t.get("SCC_Call_ID")).startsWith(callId + ":")).toList();
    }

    @Override
    public void close() {
        try {
            if (app != null) {
                app.stop();
            }
        } finally {
            sandbox.stop();
        }
    }

    static <T> T until(Supplier<T> probe, Predicate<T> done) {
        return Wait.until(probe, done, WAIT);
    }

    static void pause(long ms) {
        Wait.pause(ms);
    }

    /** A canonical event; {@code extra} is raw JSON members appended to the object. */
    static String event(String eventId, String callId, String type, String occurredAt, String direction, String from, String to,
                        String extra) {
        return "{\"eventId\":\"" + eventId + "\",\"callId\":\"" + callId + "\",\"type\":\"" + type + "\",\"occurredAt\":\""
                + occurredAt + "\",\"direction\":\"" + direction + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\""
                + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** A {@code call.ended} event of an inbound call from {@code from} on Tuesday 2026-11-24. */
    static String ended(String callId, String from, String extra) {
        return event(callId + "-ended", callId, "call.ended", "2026-11-24T10:17:05Z", "inbound", from, "+14155550100",
                "\"startedAt\":\"2026-11-24T10:15:00Z\",\"endedAt\":\"2026-11-24T10:17:05Z\"" + (extra == null ? "" : "," + extra));
    }

    @SuppressWarnings("unchecked")
    static String id(Object lookup) {
        return lookup instanceof Map<?, ?> m ? (String) ((Map<String, Object>) m).get("id") : null;
    }
}
