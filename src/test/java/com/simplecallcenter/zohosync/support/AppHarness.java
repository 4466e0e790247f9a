package com.simplecallcenter.zohosync.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.Application;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoOrgs;
import com.simplecallcenter.zohosync.zoho.ZohoSettings;
import com.simplecallcenter.zohosync.zoho.ZohoTokenManager;
import com.simplecallcenter.zohosync.zoho.ZohoWriteBatcher;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one way tests start the service: its real wiring ({@link Application}: settings, Flyway, camel-main, the YAML
 * routes, Jetty) on a free port and a fresh PostgreSQL schema, in front of the in-process Zoho sandbox over real HTTP,
 * connected through the admin API's headless grant unless told otherwise, with sweep, retry and switch delays short
 * enough for tests. Helpers post signed events, call the admin API, read the database and the sandbox, wait on outcomes.
 *
 * <pre>{@code
 * try (AppHarness h = AppHarness.on("t_sync_x").setting("scc.zoho.create-missing", "none").start()) {
 *     h.post(CanonicalEvent.ended("c-1").from("+14155550601").status("answered"));
 *     h.awaitSynced("c-1");
 * }
 * }</pre>
 */
public final class AppHarness implements AutoCloseable {

    /** A webhook secret for tests only (whsec_ + base64 of 32 bytes). */
    public static final String WEBHOOK_SECRET = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    public static final String ADMIN = "admin-token-for-zoho-tests-0123456789";
    public static final String CLIENT_ID = "1000.SCCTESTCLIENT";
    public static final String CLIENT_SECRET = "scc-test-secret";
    /** base64 of 32 bytes, for tests only; {@link #OTHER_TOKEN_KEY} is the key a rotation moves to. */
    public static final String TOKEN_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    public static final String OTHER_TOKEN_KEY = "QW5vdGhlcktleUZvclpvaG9Ub2tlbnNJblRlc3RzMDE=";
    /** What the grant asks for: the scopes the service needs. */
    public static final String SCOPES = ZohoSettings.DEFAULT_SCOPES;
    public static final String ADMIN_USER_EMAIL = "admin@acme.example";
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, AppHarness> SHARED = new HashMap<>();

    private final Builder options;
    private final Map<String, String> settings;
    private final ZohoSandbox sandbox;
    private final boolean ownsSandbox;
    private final String adminUserId;
    private final JdbcTemplate db;
    private Application app;

    private AppHarness(Builder options, ZohoSandbox sandbox, boolean ownsSandbox, String adminUserId) {
        this.options = options;
        this.settings = new LinkedHashMap<>(options.settings);
        this.sandbox = sandbox;
        this.ownsSandbox = ownsSandbox;
        this.adminUserId = adminUserId;
        this.db = new JdbcTemplate(TestDatabase.dataSource(options.schema));
    }

    /** Options for an app on {@code schema} (dropped and recreated at the start, unless {@link Builder#keepSchema()}). */
    public static Builder on(String schema) {
        return new Builder(schema);
    }

    public static final class Builder {
        private final String schema;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private boolean zoho = true;
        private boolean connect = true;
        private boolean keepSchema;
        private ZohoSandbox sandbox;
        private ZohoSandbox.Options sandboxOptions = ZohoSandbox.Options.defaults();
        private Function<ZohoSandbox, Map<String, String>> seed = sb -> Map.of();
        private Clock clock = Clock.systemUTC();
        private String browserHost = "127.0.0.1";

        private Builder(String schema) {
            this.schema = schema;
        }

        /** A setting of {@code config/application.properties}, over the harness's own; later calls win. */
        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        public Builder settings(Map<String, String> values) {
            settings.putAll(values);
            return this;
        }

        /** The app does not connect to Zoho after its start (it still knows the sandbox and the test client). */
        public Builder notConnected() {
            connect = false;
            return this;
        }

        /** No sandbox and no Zoho settings at all: for tests of ingest, the providers and settings. */
        public Builder withoutZoho() {
            zoho = false;
            connect = false;
            return this;
        }

        /**
         * A sandbox the test started and stops itself (shared by several apps, on a clock of its own): the harness only
         * registers the test client there; the test seeds its users.
         */
        public Builder sandbox(ZohoSandbox shared) {
            sandbox = shared;
            return this;
        }

        /** Options of the harness's own sandbox (its clock, port, location). */
        public Builder sandboxOptions(ZohoSandbox.Options o) {
            sandboxOptions = o;
            return this;
        }

        /**
         * Seeds the sandbox (users, records) before the app starts; the settings it returns are added (they may name what
         * it seeded, such as an owner's user id).
         */
        public Builder seed(Function<ZohoSandbox, Map<String, String>> s) {
            seed = s;
            return this;
        }

        /** The app's one clock (tests move an {@link AdjustableClock} instead of waiting). */
        public Builder clock(Clock c) {
            clock = c;
            return this;
        }

        /**
         * A browser reaches the app as {@code http://localhost:port} ({@link AppHarness#browserUrl()}), and Zoho's consent
         * sends it back there: the admin session cookie is {@code __Host-} and Secure, which a browser keeps over plain
         * http for localhost, and the OAuth callback must reach the host whose connect cookie the browser holds.
         */
        public Builder browserOnLocalhost() {
            browserHost = "localhost";
            return this;
        }

        /** Starts on the schema as it is (restart tests, a second app on the same database). */
        public Builder keepSchema() {
            keepSchema = true;
            return this;
        }

        /** Switches stored by an admin are read back every 200 ms instead of every 2 s (another instance sees them soon). */
        public Builder fastFeatureRefresh() {
            return setting("scc.feature.refresh-interval", "200ms");
        }

        /** Every telephony provider switched on with {@link ProviderSender}'s secrets. */
        public Builder providers() {
            settings.putAll(ProviderSender.settings(ProviderSender.AIRCALL_TOKEN));
            return this;
        }

        /** An agents file with this content ({@code scc.sync.agents-file}); see {@link AppHarness#agentsFile()}. */
        public Builder agents(String yaml) {
            try {
                Path f = Files.createTempFile("agents", ".yaml");
                f.toFile().deleteOnExit();
                Files.writeString(f, yaml);
                return setting("scc.sync.agents-file", f.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public AppHarness start() throws Exception {
            boolean own = zoho && sandbox == null;
            ZohoSandbox sb = !zoho ? null : own ? ZohoSandbox.start(sandboxOptions) : sandbox;
            AppHarness h;
            try {
                String admin = null;
                if (own) {
                    // the user who connects: Zoho's CurrentUser of the grant
                    admin = sb.addUser(ADMIN_USER_EMAIL, "Ada Admin", "active");
                }
                if (sb != null) {
                    settings.putAll(seed.apply(sb));
                }
                h = new AppHarness(this, sb, own, admin);
            } catch (RuntimeException | Error e) {
                if (own) {
                    sb.stop();
                }
                throw e;
            }
            try {
                if (!keepSchema) {
                    TestDatabase.freshSchema(schema);
                }
                h.app = h.startApp(Map.of(), clock);
                if (connect) {
                    h.connect();
                }
            } catch (Exception | Error e) {
                h.close();
                throw e;
            }
            return h;
        }

        /**
         * One running app per schema for the whole JVM, for test classes that each read only their own calls (the
         * provider tests): started by the first class that asks, stopped when the JVM exits.
         */
        public AppHarness startShared() throws Exception {
            synchronized (SHARED) {
                AppHarness h = SHARED.get(schema);
                if (h == null) {
                    h = start();
                    SHARED.put(schema, h);
                    Runtime.getRuntime().addShutdownHook(new Thread(h::close));
                } else if (!h.options.settings.equals(settings)) {
                    throw new IllegalStateException("the shared app on " + schema + " was started with other settings");
                }
                return h;
            }
        }
    }

    /**
     * The app the provider test classes share (schema {@code t_prov_shared}): every provider on, the agents of
     * {@code src/test/resources/providers/agents.yaml}, no Zoho. Started once per JVM.
     */
    public static AppHarness sharedProviderApp() {
        try {
            return on("t_prov_shared").withoutZoho().providers()
                    .setting("scc.sync.agents-file", "src/test/resources/providers/agents.yaml").startShared();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts an app on this harness's schema and sandbox, on a new port, with these settings changed. */
    private Application startApp(Map<String, String> changes, Clock clock) throws Exception {
        int port = freePort();
        Map<String, String> s = new HashMap<>();
        s.put("scc.db.url", TestDatabase.URL);
        s.put("scc.db.user", TestDatabase.USER);
        s.put("scc.db.schema", options.schema);
        s.put("scc.db.pool-size", "8");
        s.put("scc.http.host", "127.0.0.1");
        s.put("scc.http.port", String.valueOf(port));
        s.put("scc.webhook.secret", WEBHOOK_SECRET);
        // tests send many wrong tokens on purpose; the limiter's own test sets these low (SecurityLimitsTest)
        s.put("scc.auth.failures-per-client", "1000000");
        s.put("scc.auth.failures-overall", "1000000");
        if (sandbox != null) {
            String redirect = "http://" + options.browserHost + ":" + port + "/oauth/zoho/callback";
            sandbox.registerClient(CLIENT_ID, CLIENT_SECRET, redirect);
            s.putAll(zohoSettings(sandbox));
            s.put("zoho.redirect-uri", redirect);
        }
        s.putAll(settings);
        s.putAll(changes);
        return Application.startForTest(s, clock);
    }

    /** The settings that put an app in front of {@code sb}, with sweep, retry and switch delays short enough for tests. */
    public static Map<String, String> zohoSettings(ZohoSandbox sb) {
        Map<String, String> s = new HashMap<>();
        s.put("scc.admin.token", ADMIN);
        s.put("scc.token.key", TOKEN_KEY);
        s.put("zoho.client-id", CLIENT_ID);
        s.put("zoho.client-secret", CLIENT_SECRET);
        s.put("zoho.accounts-url", sb.accountsUrl());
        s.put("scc.sync.sweep-interval", "200ms");
        s.put("scc.sync.sweep-grace", "1s");
        s.put("scc.sync.redelivery.delay", "10ms");
        s.put("scc.sync.redelivery.max-delay", "100ms");
        s.put("scc.sync.park.delay", "500ms");
        s.put("scc.sync.park.max-delay", "1s");
        return s;
    }

    // ---- the *IT tests, which run the packaged jar as a child process

    /** Registers the test client at {@code sb} for an app on {@code port} and adds the user who connects; returns its id. */
    public static String prepareSandbox(ZohoSandbox sb, int port) {
        sb.registerClient(CLIENT_ID, CLIENT_SECRET, "http://127.0.0.1:" + port + "/oauth/zoho/callback");
        return sb.addUser(ADMIN_USER_EMAIL, "Ada Admin", "active");
    }

    /**
     * The environment variables that put a child process on {@code port} in front of {@code sb} (null: no Zoho) with the
     * settings of the in-process tests, as a deployment would set them; the database is the test's to add.
     */
    public static Map<String, String> processEnvironment(ZohoSandbox sb, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("SCC_HTTP_PORT", String.valueOf(port));
        env.put("SCC_HTTP_HOST", "127.0.0.1");
        env.put("SCC_WEBHOOK_SECRET", WEBHOOK_SECRET);
        if (sb != null) {
            zohoSettings(sb).forEach((key, value) -> env.put(Settings.envName(key), value));
            env.put("ZOHO_REDIRECT_URI", "http://127.0.0.1:" + port + "/oauth/zoho/callback");
        }
        return env;
    }

    /** Connects the app on {@code port} to {@code sb} with a self-client grant code, as an admin would. */
    public static void connect(int port, ZohoSandbox sb) {
        String code = sb.issueGrantCode(CLIENT_ID, SCOPES);
        HttpResponse<String> r = request(port, "POST", "/api/v1/admin/zoho/grant",
                "{\"code\":\"" + code + "\",\"accountsUrl\":\"" + sb.accountsUrl() + "\"}", ADMIN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    // ---- the app

    public Application app() {
        return app;
    }

    public int port() {
        return app.httpPort();
    }

    /** The app's URL as a browser opens it (see {@link Builder#browserOnLocalhost()}). */
    public String browserUrl() {
        return "http://" + options.browserHost + ":" + port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public String redirectUri() {
        return browserUrl() + "/oauth/zoho/callback";
    }

    public String schema() {
        return options.schema;
    }

    public ZohoSandbox sandbox() {
        return sandbox;
    }

    /** The user added to the harness's own sandbox, who connects (null with a sandbox of the test's). */
    public String adminUserId() {
        return adminUserId;
    }

    /** The harness's schema. */
    public JdbcTemplate db() {
        return db;
    }

    public Path agentsFile() {
        return Path.of(Objects.requireNonNull(settings.get("scc.sync.agents-file"), "no agents(...) given"));
    }

    /** The Zoho organisations of the running app, one per tenant. */
    public ZohoOrgs zohoOrgs() {
        return bean("zohoOrgs", ZohoOrgs.class);
    }

    /** The Zoho client of the tenant {@code default} (the one the harness connects). */
    public ZohoClient zohoClient() {
        return zohoOrgs().of("default").client();
    }

    public ZohoTokenManager zohoTokens() {
        return zohoOrgs().of("default").tokens();
    }

    public ZohoWriteBatcher zohoWrites() {
        return zohoOrgs().of("default").writes();
    }

    /** A bean of the running app's registry. */
    public <T> T bean(String name, Class<T> type) {
        return app.context().getRegistry().lookupByNameAndType(name, type);
    }

    /** Stops the app and starts it again on the same schema (same clock), with these settings changed from now on. */
    public void restart(Map<String, String> changes) throws Exception {
        settings.putAll(changes);
        app.stop();
        app = null;
        app = startApp(Map.of(), options.clock);
    }

    public void restart() throws Exception {
        restart(Map.of());
    }

    /** A second app on the same schema and sandbox (and so the same Zoho connection); closing it leaves this one be. */
    public AppHarness startAnotherInstance() throws Exception {
        return startAnotherInstance(options.clock, Map.of());
    }

    public AppHarness startAnotherInstance(Clock clock, Map<String, String> changes) throws Exception {
        AppHarness other = new AppHarness(options, sandbox, false, adminUserId);
        other.settings.putAll(settings);
        other.app = other.startApp(changes, clock);
        return other;
    }

    /** The headless connect: a fresh self-client grant code posted to the admin API, which must take it; returns its answer. */
    public JsonNode connect() {
        HttpResponse<String> r = grant(sandbox.issueGrantCode(CLIENT_ID, SCOPES), sandbox.accountsUrl());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body());
    }

    /** Posts a grant code to the admin API ({@code accountsUrl} null: none given). */
    public HttpResponse<String> grant(String code, String accountsUrl) {
        String body = accountsUrl == null ? "{\"code\":\"" + code + "\"}"
                : "{\"code\":\"" + code + "\",\"accountsUrl\":\"" + accountsUrl + "\"}";
        return admin("POST", "/api/v1/admin/zoho/grant", body);
    }

    /** GET /api/v1/admin/zoho, which must answer 200. */
    public JsonNode zohoStatus() {
        HttpResponse<String> r = admin("GET", "/api/v1/admin/zoho", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body());
    }

    // ---- HTTP

    /** POSTs a canonical event signed with {@link #WEBHOOK_SECRET}; the app must take it (200 or 202). */
    public HttpResponse<String> post(String eventJson) {
        HttpResponse<String> r = postEvent(eventJson);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
        return r;
    }

    public HttpResponse<String> post(CanonicalEvent event) {
        return post(event.json());
    }

    /** POSTs a canonical event signed with {@link #WEBHOOK_SECRET}, whatever the answer. */
    public HttpResponse<String> postEvent(String eventJson) {
        return Http.postEvent(port(), eventJson);
    }

    /** A request to build, with the admin token (for what {@link #admin} does not cover: other content types…). */
    public HttpRequest.Builder adminRequest(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + ADMIN);
    }

    /** A request with the admin token. */
    public HttpResponse<String> admin(String method, String path, String body) {
        return request(method, path, body, ADMIN);
    }

    /** A request with this bearer token ({@code null}: none); a body is sent as JSON. */
    public HttpResponse<String> request(String method, String path, String body, String token) {
        return request(port(), method, path, body, token);
    }

    public static HttpResponse<String> request(int port, String method, String path, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return Http.send(b.build());
    }

    /** Flips a switch through the admin API. */
    public void setFeature(String name, boolean enabled) {
        HttpResponse<String> r = admin("PUT", "/api/v1/admin/features/" + name, "{\"enabled\":" + enabled + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** A provider's webhook, {@code /api/v1/webhooks/{provider}} ({@code query} may be null), with these headers as given. */
    public HttpResponse<String> webhook(String provider, String query, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(webhookUri(provider, query)).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        return Http.send(b.build());
    }

    public HttpResponse<String> webhookJson(String provider, String query, String json, Map<String, String> headers) {
        return webhook(provider, query, "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
    }

    public HttpResponse<String> webhookGet(String provider, String query, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(webhookUri(provider, query)).timeout(Duration.ofSeconds(15)).GET();
        headers.forEach(b::header);
        return Http.send(b.build());
    }

    /** A sender that signs each provider's webhook the way that provider does (with {@link #providers()}' secrets). */
    public ProviderSender providerSender() {
        return new ProviderSender(port());
    }

    private URI webhookUri(String provider, String query) {
        return URI.create(baseUrl() + "/api/v1/webhooks/" + provider + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    // ---- the database

    public String status(String callId) {
        List<String> s = db.queryForList("SELECT status FROM call_sync WHERE call_id = ?", String.class, callId);
        return s.isEmpty() ? null : s.get(0);
    }

    public Map<String, Object> row(String callId) {
        return db.queryForMap("SELECT * FROM call_sync WHERE call_id = ?", callId);
    }

    public int unprocessed(String callId) {
        Integer n = db.queryForObject("SELECT count(*) FROM call_event WHERE call_id = ? AND processed_at IS NULL", Integer.class, callId);
        return n == null ? 0 : n;
    }

    /** Waits until the call is synced and no event of it is left unprocessed; returns its row. */
    public Map<String, Object> awaitSynced(String callId) {
        Wait.until(() -> "synced".equals(status(callId)) && unprocessed(callId) == 0, Boolean::booleanValue);
        return row(callId);
    }

    /** The sync of this call has run again since {@code before} (synced_at moved). */
    public Map<String, Object> awaitSyncedAgain(String callId, Object before) {
        Wait.until(() -> {
            Map<String, Object> r = db.queryForMap("SELECT status, synced_at FROM call_sync WHERE call_id = ?", callId);
            return "synced".equals(r.get("status")) && !r.get("synced_at").equals(before) && unprocessed(callId) == 0;
        }, Boolean::booleanValue);
        return row(callId);
    }

    public Map<String, Object> awaitStatus(String callId, String status) {
        Wait.until(() -> status.equals(status(callId)), Boolean::booleanValue);
        return row(callId);
    }

    /** The stored canonical events of a call, in occurredAt order. */
    public List<JsonNode> storedEvents(String callId) {
        return db.queryForList("select event::text from call_event where call_id = ? order by occurred_at, id", String.class, callId)
                .stream().map(AppHarness::json).toList();
    }

    /** The stored canonical event with this id, or null. */
    public JsonNode storedEvent(String eventId) {
        List<String> rows = db.queryForList("select event::text from call_event where event_id = ?", String.class, eventId);
        return rows.isEmpty() ? null : json(rows.get(0));
    }

    public int countStoredEvent(String eventId) {
        return db.queryForObject("select count(*) from call_event where event_id = ?", Integer.class, eventId);
    }

    public int countStoredEventsOfCall(String callId) {
        return db.queryForObject("select count(*) from call_event where call_id = ?", Integer.class, callId);
    }

    // ---- the sandbox

    /** The Call activities in the sandbox that carry this call id. */
    public List<Map<String, Object>> calls(String callId) {
        return sandbox.records("Calls").stream().filter(c -> callId.equals(c.get("SCC_Call_ID"))).toList();
    }

    public Map<String, Object> onlyCall(String callId) {
        List<Map<String, Object>> calls = calls(callId);
        assertThat(calls).as("Calls with SCC_Call_ID " + callId).hasSize(1);
        return calls.get(0);
    }

    /** The Tasks that carry this call id (value {@code callId:kind}). */
    public List<Map<String, Object>> tasks(String callId) {
        return sandbox.records("Tasks").stream()
                .filter(t -> String.valueOf(t.get("SCC_Call_ID")).startsWith(callId + ":")).toList();
    }

    /** The id of a Zoho lookup field ({@code {"id":…,"name":…}}), or null. */
    @SuppressWarnings("unchecked")
    public static String id(Object lookup) {
        return lookup instanceof Map<?, ?> m ? (String) ((Map<String, Object>) m).get("id") : null;
    }

    public static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the app, and the sandbox if it is the harness's own. */
    @Override
    public void close() {
        try {
            if (app != null) {
                app.stop();
                app = null;
            }
        } finally {
            if (ownsSandbox) {
                sandbox.stop();
            }
        }
    }
}
