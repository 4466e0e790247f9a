package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.Application;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.TestApp;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app (real PostgreSQL schema, real HTTP) connected to a Zoho sandbox over HTTP through the headless grant
 * endpoint, with short redelivery delays, plus helpers to post events and wait on outcomes.
 */
final class SyncHarness implements AutoCloseable {

    static final String ADMIN = "admin-token-for-sync-tests";
    static final String CLIENT_ID = "1000.SYNCTESTCLIENT";
    static final String CLIENT_SECRET = "sync-secret";
    static final String TOKEN_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final String SCOPES = "ZohoCRM.modules.leads.ALL,ZohoCRM.modules.contacts.ALL,ZohoCRM.modules.calls.ALL,"
            + "ZohoCRM.modules.tasks.ALL,ZohoCRM.modules.notes.ALL,ZohoCRM.modules.deals.READ,ZohoCRM.modules.accounts.READ,"
            + "ZohoCRM.users.READ,ZohoCRM.coql.READ,ZohoCRM.settings.fields.READ,ZohoSearch.securesearch.READ";

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
        sb.registerClient(CLIENT_ID, CLIENT_SECRET, "http://127.0.0.1:1/oauth/zoho/callback");
        String admin = sb.addUser("admin@acme.example", "Ada Admin", "active");
        Map<String, String> s = new HashMap<>(appSettings(sb));
        s.putAll(extra);
        SyncHarness h = new SyncHarness(sb, schema, s, admin);
        TestDatabase.freshSchema(schema);
        h.app = TestApp.startKeepingSchema(schema, s);
        h.connect();
        return h;
    }

    static Map<String, String> appSettings(ZohoSandbox sb) {
        Map<String, String> s = new HashMap<>();
        s.put("scc.admin.token", ADMIN);
        s.put("scc.token.key", TOKEN_KEY);
        s.put("zoho.client-id", CLIENT_ID);
        s.put("zoho.client-secret", CLIENT_SECRET);
        s.put("zoho.accounts-url", sb.accountsUrl());
        s.put("zoho.api-url", sb.apiDomain());
        s.put("scc.zoho.trusted-accounts-servers", sb.accountsUrl());
        s.put("scc.sync.sweep-interval", "200");
        s.put("scc.sync.sweep-grace", "1s");
        s.put("scc.sync.redelivery.delay", "10");
        s.put("scc.sync.redelivery.max-delay", "100");
        s.put("scc.sync.park.delay", "500");
        s.put("scc.sync.park.max-delay", "1s");
        return s;
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
        String code = sandbox.issueGrantCode(CLIENT_ID, SCOPES);
        HttpResponse<String> r = admin("POST", "/api/v1/admin/zoho/grant",
                "{\"code\":\"" + code + "\",\"accountsUrl\":\"" + sandbox.accountsUrl() + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    HttpResponse<String> post(String eventJson) {
        HttpResponse<String> r = Http.postEvent(app.httpPort(), eventJson);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
        return r;
    }

    HttpResponse<String> admin(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ADMIN);
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return Http.send(b.build());
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
        SyncWait.until(() -> "synced".equals(status(callId)) && unprocessed(callId) == 0, Boolean::booleanValue);
        return row(callId);
    }

    Map<String, Object> awaitStatus(String callId, String status) {
        SyncWait.until(() -> status.equals(status(callId)), Boolean::booleanValue);
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
