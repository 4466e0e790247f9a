package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.support.Wait;

import com.simplecallcenter.zohosync.Application;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.ConnectedZoho;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.TestApp;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app (real PostgreSQL schema, real HTTP) connected to a Zoho sandbox over HTTP through the headless grant
 * endpoint, with short redelivery delays, plus helpers to post events and wait on outcomes.
 */
final class SyncHarness implements AutoCloseable {

    static final String ADMIN = ConnectedZoho.ADMIN;
    static final String CLIENT_ID = ConnectedZoho.CLIENT_ID;
    static final String CLIENT_SECRET = ConnectedZoho.CLIENT_SECRET;
    static final String TOKEN_KEY = ConnectedZoho.TOKEN_KEY;
    static final String SCOPES = ConnectedZoho.SCOPES;

    final ZohoSandbox sandbox;
    final String schema;
    final JdbcTemplate db;
    final String adminUserId;
    private final Map<String, String> settings;
    Application app;

    private SyncHarness(ZohoSandbox sandbox, String schema, Map<String, String> settings, String adminUserId) {
        this.sandbox = sandbox;
        this.schema = schema;
        this.settings = settings;
        this.adminUserId = adminUserId;
        this.db = new JdbcTemplate(TestDatabase.dataSource(schema));
    }

    /** Sandbox + app on a fresh schema, connected. {@code extra} overrides settings (e.g. create-missing). */
    static SyncHarness start(String schema, Map<String, String> extra) throws Exception {
        ZohoSandbox sb = ZohoSandbox.start();
        String admin = ConnectedZoho.prepare(sb);
        Map<String, String> s = new HashMap<>(ConnectedZoho.appSettings(sb));
        s.putAll(extra);
        SyncHarness h = new SyncHarness(sb, schema, s, admin);
        TestDatabase.freshSchema(schema);
        h.app = TestApp.startKeepingSchema(schema, s);
        h.connect();
        return h;
    }

    /** A second instance of the app on the same schema (and the same Zoho connection). */
    Application startAnotherInstance() throws Exception {
        return TestApp.startKeepingSchema(schema, settings);
    }

    void restart() throws Exception {
        restart(Map.of());
    }

    /** Stops the app and starts it again on the same schema, with these settings changed. */
    void restart(Map<String, String> changes) throws Exception {
        settings.putAll(changes);
        app.stop();
        app = TestApp.startKeepingSchema(schema, settings);
    }

    void connect() {
        ConnectedZoho.connect(app.httpPort(), sandbox);
    }

    HttpResponse<String> post(String eventJson) {
        HttpResponse<String> r = Http.postEvent(app.httpPort(), eventJson);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
        return r;
    }

    HttpResponse<String> admin(String method, String path, String body) {
        return ConnectedZoho.request(app.httpPort(), method, path, body, ADMIN);
    }

    String status(String callId) {
        List<String> s = db.queryForList("SELECT status FROM call_sync WHERE call_id = ?", String.class, callId);
        return s.isEmpty() ? null : s.get(0);
    }

    Map<String, Object> row(String callId) {
        return db.queryForMap("SELECT * FROM call_sync WHERE call_id = ?", callId);
    }

    /** Waits until the call is synced and no event of it is left unprocessed; returns its row. */
    Map<String, Object> awaitSynced(String callId) {
        Wait.until(() -> "synced".equals(status(callId)) && unprocessed(callId) == 0, Boolean::booleanValue);
        return row(callId);
    }

    Map<String, Object> awaitStatus(String callId, String status) {
        Wait.until(() -> status.equals(status(callId)), Boolean::booleanValue);
        return row(callId);
    }

    int unprocessed(String callId) {
        Integer n = db.queryForObject("SELECT count(*) FROM call_event WHERE call_id = ? AND processed_at IS NULL", Integer.class, callId);
        return n == null ? 0 : n;
    }

    /** The Call activities in the sandbox that carry this call id. */
    List<Map<String, Object>> calls(String callId) {
        return sandbox.records("Calls").stream().filter(c -> callId.equals(c.get("SCC_Call_ID"))).toList();
    }

    Map<String, Object> onlyCall(String callId) {
        List<Map<String, Object>> calls = calls(callId);
        assertThat(calls).as("Calls with SCC_Call_ID " + callId).hasSize(1);
        return calls.get(0);
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

    /** An event with a fresh eventId. */
    static String ended(String callId, String direction, String from, String to, String extra) {
        return SyncFixtures.event(callId + "-ended", callId, "call.ended", "2026-11-24T10:17:05Z", direction, from, to,
                "\"startedAt\":\"2026-11-24T10:15:00Z\",\"endedAt\":\"2026-11-24T10:17:05Z\"" + (extra == null ? "" : "," + extra));
    }

    @SuppressWarnings("unchecked")
    static String id(Object lookup) {
        return lookup instanceof Map<?, ?> m ? (String) ((Map<String, Object>) m).get("id") : null;
    }
}
