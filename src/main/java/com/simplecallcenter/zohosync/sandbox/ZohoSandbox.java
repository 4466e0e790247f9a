package com.simplecallcenter.zohosync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-process, stateful emulator of one Zoho data centre: the accounts server ({@code /oauth/v2/...}) and the CRM
 * API ({@code /crm/v8/...}) on one local HTTP port, faithful to the status codes, JSON shapes and error codes of
 * Zoho CRM's API v8, with knobs for faults and limits and a journal of every request. See docs/sandbox.md.
 *
 * <p>Production code never depends on this class; tests, the demo mode and benchmarks start it.
 */
public final class ZohoSandbox {

    /** Start-up options; {@link #defaults()} is port 0 (any free port), location "us", system UTC clock. */
    public static final class Options {
        private int port;
        private String location = "us";
        private Clock clock = Clock.systemUTC();
        private ZoneId timeZone = ZoneOffset.UTC;

        private Options() {
        }

        public static Options defaults() {
            return new Options();
        }

        public Options port(int port) {
            this.port = port;
            return this;
        }

        /** The data centre's {@code location} as the consent callback names it ("us", "eu", "in", …). */
        public Options location(String location) {
            this.location = location;
            return this;
        }

        /** The clock behind grant-code and token expiry, throttle windows, credits, index delay and timestamps. */
        public Options clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The API user's time zone: record timestamps are rendered with its offset. */
        public Options timeZone(ZoneId zone) {
            this.timeZone = zone;
            return this;
        }
    }

    /** One request as the sandbox saw it: {@code status} is what it answered (0 = connection dropped on purpose). */
    public record JournalEntry(Instant at, String method, String path, String query, int status, String body) {
    }

    /** What {@link #failWhen} predicates look at. {@code query} is raw (URL-encoded); {@link #param} decodes. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {

        public String param(String name) {
            return params(query).get(name);
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public boolean isApi() {
            return path.startsWith("/crm/");
        }
    }

    private static final Set<ZohoSandbox> RUNNING = ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();
    private final Options options;
    private final Store store;
    private final Accounts accounts;
    private final Writes writes;
    private final Limits limits;
    private final CrmApi api;
    private final List<JournalEntry> journal = new ArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private volatile ZohoSandbox forwardConsentTo;
    private volatile boolean denyConsent;
    private volatile Duration searchIndexDelay = Duration.ZERO;

    private ZohoSandbox(Options options) throws IOException {
        this.options = options;
        this.store = new Store(options.clock, options.timeZone);
        this.accounts = new Accounts(options.clock);
        this.writes = new Writes(store);
        this.limits = new Limits(options.clock);
        this.api = new CrmApi(lock, store, writes, limits, () -> searchIndexDelay);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        this.server = HttpServer.create(new InetSocketAddress(loopback, options.port), 512);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "zoho-sandbox-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public static ZohoSandbox start() {
        return start(Options.defaults());
    }

    public static ZohoSandbox start(Options options) {
        try {
            ZohoSandbox sb = new ZohoSandbox(options);
            sb.server.start();
            RUNNING.add(sb);
            return sb;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Zoho sandbox on port " + options.port, e);
        }
    }

    public void stop() {
        RUNNING.remove(this);
        server.stop(0);
        executor.shutdownNow();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String accountsUrl() {
        return baseUrl;
    }

    public String apiDomain() {
        return baseUrl;
    }

    public String location() {
        return options.location;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    // ---- accounts

    public void registerClient(String clientId, String clientSecret, String redirectUri) {
        synchronized (lock) {
            accounts.register(clientId, clientSecret, redirectUri);
        }
    }

    /** The self-client path: a grant code valid 2 minutes, single use, that yields a refresh token. */
    public String issueGrantCode(String clientId, String scopes) {
        synchronized (lock) {
            return accounts.issueCode(clientId, scopes, null, true, true);
        }
    }

    /** A refresh token without the code dance, for tests and the demo that start "already connected". */
    public String issueRefreshToken(String clientId, String scopes) {
        synchronized (lock) {
            return accounts.issueRefreshToken(clientId, scopes);
        }
    }

    /** Consent here redirects with the other data centre's location and accounts server; only it accepts the code. */
    public void forwardConsentTo(ZohoSandbox otherDc) {
        this.forwardConsentTo = otherDc;
    }

    public void denyConsent(boolean deny) {
        this.denyConsent = deny;
    }

    public void expireAccessTokens() {
        synchronized (lock) {
            accounts.expireAccessTokens();
        }
    }

    public void revokeRefreshTokens() {
        synchronized (lock) {
            accounts.revokeRefreshTokens();
        }
    }

    public void accessTokenLifetime(Duration d) {
        synchronized (lock) {
            accounts.accessTokenLifetime(d);
        }
    }

    public int refreshCount() {
        synchronized (lock) {
            return accounts.refreshCount();
        }
    }

    // ---- data

    /** Adds a user; the first one added is the CurrentUser (who consents and owns records by default). */
    public String addUser(String email, String fullName, String status) {
        synchronized (lock) {
            return store.addUser(email, fullName, status).id();
        }
    }

    /** Stores a record without validation; Owner defaults to the CurrentUser; search sees it at once. */
    public String seedRecord(String module, Map<String, Object> fields) {
        synchronized (lock) {
            return (String) writes.seed(module(module), fields).get("id");
        }
    }

    public Map<String, Object> record(String module, String id) {
        synchronized (lock) {
            return Json.copyMap(store.find(module(module).apiName(), id));
        }
    }

    public List<Map<String, Object>> records(String module) {
        synchronized (lock) {
            return store.all(module(module).apiName()).stream().map(Json::copyMap).toList();
        }
    }

    /** Deletes a record as a Zoho user would in the UI (to the recycle bin): gets, searches and lookups no longer see it. */
    public boolean deleteRecord(String module, String id) {
        synchronized (lock) {
            return store.remove(module(module).apiName(), id);
        }
    }

    /** Marks a field "Do not allow duplicate values": inserts and updates clashing on it get DUPLICATE_DATA. */
    public void uniqueField(String module, String field) {
        synchronized (lock) {
            Schema.Module m = module(module);
            if (m.field(field) == null) {
                throw new IllegalArgumentException("unknown field " + module + "." + field);
            }
            store.markUnique(m.apiName(), field);
        }
    }

    public List<JournalEntry> journal() {
        synchronized (journal) {
            return List.copyOf(journal);
        }
    }

    public void clearJournal() {
        synchronized (journal) {
            journal.clear();
        }
    }

    public long count(String method, String pathPrefix) {
        return journal().stream()
                .filter(e -> e.method().equalsIgnoreCase(method) && e.path().startsWith(pathPrefix)).count();
    }

    // ---- knobs

    /** Every request (accounts and API) waits this long before it is answered, counted as in flight meanwhile. */
    public void latency(Duration perRequest) {
        limits.latency(perRequest);
    }

    /** The next {@code times} API requests answer this error; a null or empty code gives an empty body. */
    public void failNext(int times, int httpStatus, String code) {
        limits.failNext(times, httpStatus, code);
    }

    /** Requests (accounts or API) matching {@code p} answer this error until {@link #clearFaults()} or reset. */
    public void failWhen(Predicate<Request> p, int httpStatus, String code) {
        limits.failWhen(p, httpStatus, code);
    }

    public void clearFaults() {
        limits.clearFaults();
    }

    /**
     * The next {@code times} authenticated API writes (POST/PUT other than COQL) are applied, then the socket is
     * closed without an answer: the client never learns the outcome.
     */
    public void dropConnectionNext(int times) {
        limits.dropConnectionNext(times);
    }

    /** More than {@code n} API requests in flight → 429; heavy calls (search, COQL, >10-record writes) get min(n, 10). */
    /**
     * Slot-seconds spent serving CRM API requests since the sandbox started (the time integral of the requests in
     * flight, latency included). Divided by {@code limit × elapsed} it is the share of the org's slots kept busy.
     */
    public double busySlotSeconds() {
        return limits.busySlotSeconds();
    }

    public void concurrencyLimit(int n) {
        limits.concurrencyLimit(n);
    }

    /** Credits the org spent in the rolling 24 h window (what Zoho charged, by its credit table). */
    public long creditsUsed() {
        return limits.creditsUsed();
    }

    /**
     * Credits per rolling 24 h: 1 per call, writes 1 per 10 records, COQL by LIMIT; exhausted → 429 TOO_MANY_REQUESTS
     * with {@code X-API-CREDITS-REMAINING} (sent once half the budget is spent).
     */
    public void creditBudget(long credits) {
        limits.creditBudget(credits);
    }

    /** Records written through the API less than {@code d} ago are invisible to search (not to COQL or GET). */
    public void searchIndexDelay(Duration d) {
        this.searchIndexDelay = d == null ? Duration.ZERO : d;
    }

    /**
     * Back to the state just after start (no clients, users, records, tokens, knobs or journal); the port stays.
     * Requests still in flight are let finish first (at most 10 s), so they cannot hold concurrency slots afterwards.
     */
    public void reset() {
        // requests still being answered (a client that timed out does not stop the server's work) would otherwise
        // hold concurrency slots into the next test: let them finish first, as a real server would
        limits.awaitIdle(Duration.ofSeconds(10));
        synchronized (lock) {
            store.clear();
            accounts.clear();
        }
        limits.clear();
        forwardConsentTo = null;
        denyConsent = false;
        searchIndexDelay = Duration.ZERO;
        clearJournal();
    }

    // ---- HTTP

    private record Answer(int status, byte[] body, Map<String, String> headers, boolean drop) {
        static Answer json(int status, Object body) {
            return new Answer(status, body == null ? null : Json.bytes(body), new LinkedHashMap<>(), false);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        Instant at = options.clock.instant();
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Request request = new Request(method, path, query, Map.copyOf(ex.getRequestHeaders()), body);
        Answer answer;
        try {
            answer = request.path().startsWith(WEB_PREFIX) && request.method().equals("GET") ? recordPage(request)
                    : request.isApi() ? api(request) : accountsServer(request);
        } catch (RuntimeException e) {
            answer = Answer.json(500, ZohoError.body("INTERNAL_ERROR", Map.of("exception", e.toString()),
                    "Internal Server Error"));
        }
        synchronized (journal) {
            journal.add(new JournalEntry(at, method, path, query, answer.drop() ? 0 : answer.status(),
                    body.isEmpty() ? null : body));
        }
        if (answer.drop()) {
            ex.close(); // no response headers were sent: the JDK server closes the socket
            return;
        }
        answer.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        if (answer.body() == null) {
            ex.sendResponseHeaders(answer.status(), -1);
        } else {
            if (!answer.headers().containsKey("Content-Type")) {
                ex.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
            }
            ex.sendResponseHeaders(answer.status(), answer.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer.body());
            }
        }
        ex.close();
    }

    private Answer api(Request request) {
        if (!limits.enter()) {
            return Answer.json(429, ZohoError.of(429, "TOO_MANY_REQUESTS").body());
        }
        boolean heavy = CrmApi.isHeavy(request.method(), request.path(), request.body());
        if (heavy && !limits.enterHeavy()) {
            limits.exit();
            return Answer.json(429, ZohoError.of(429, "TOO_MANY_REQUESTS").body());
        }
        try {
            sleep(limits.latency());
            Limits.Fault fault = limits.conditionalFault(request);
            if (fault == null) {
                fault = limits.takeFailNext();
            }
            if (fault != null) {
                return fault(fault);
            }
            if (!request.path().startsWith(CrmApi.PREFIX)) {
                return Answer.json(404, CrmApi.notFound().body());
            }
            Accounts.AccessToken token = authenticate(request);
            CrmApi.Reply reply;
            try {
                reply = api.handle(request.method(), request.path(), params(request.query()), request.body(),
                        token.scopes());
            } catch (ZohoError e) {
                reply = new CrmApi.Reply(e.httpStatus, e.body());
            }
            Answer answer = Answer.json(reply.status(), reply.body());
            Long remaining = limits.creditsRemainingHeader();
            if (remaining != null) {
                answer.headers().put("X-API-CREDITS-REMAINING", remaining.toString());
            }
            if (CrmApi.isWrite(request.method(), request.path()) && limits.takeDrop()) {
                return new Answer(answer.status(), answer.body(), answer.headers(), true);
            }
            return answer;
        } catch (ZohoError e) {
            return Answer.json(e.httpStatus, e.body());
        } finally {
            if (heavy) {
                limits.exitHeavy();
            }
            limits.exit();
        }
    }

    /** Only {@code Authorization: Zoho-oauthtoken …} (Zoho's scheme, not Bearer); a token of another DC fails authentication. */
    private Accounts.AccessToken authenticate(Request request) {
        String header = request.header("Authorization");
        String prefix = "Zoho-oauthtoken ";
        if (header == null || !header.startsWith(prefix)) {
            throw ZohoError.of(401, "AUTHENTICATION_FAILURE");
        }
        String token = header.substring(prefix.length()).trim();
        Accounts.AccessToken at;
        synchronized (lock) {
            at = accounts.accessToken(token);
            if (at != null && accounts.valid(at)) {
                return at;
            }
        }
        if (at == null && RUNNING.stream().anyMatch(other -> other != this && other.knowsToken(token))) {
            throw ZohoError.of(401, "AUTHENTICATION_FAILURE");
        }
        throw ZohoError.of(401, "INVALID_TOKEN");
    }

    private boolean knowsToken(String token) {
        synchronized (lock) {
            return accounts.knows(token);
        }
    }

    private Answer accountsServer(Request request) {
        sleep(limits.latency());
        Limits.Fault fault = limits.conditionalFault(request);
        if (fault != null) {
            return fault(fault);
        }
        Map<String, String> p = params(request.query());
        if (request.method().equals("POST")) {
            p.putAll(params(request.body()));
        }
        String path = request.path();
        if (path.equals("/oauth/v2/auth") && request.method().equals("GET")) {
            return consent(p);
        }
        if (path.equals("/oauth/v2/token") && request.method().equals("POST")) {
            Accounts.Answer a;
            synchronized (lock) {
                a = accounts.token(p);
            }
            Map<String, Object> body = new LinkedHashMap<>(a.body());
            if (body.containsKey("api_domain")) {
                body.put("api_domain", apiDomain());
            }
            return Answer.json(a.status(), body);
        }
        if (path.equals("/oauth/v2/token/revoke") && request.method().equals("POST")) {
            Accounts.Answer a;
            synchronized (lock) {
                a = accounts.revoke(p.get("token"));
            }
            return Answer.json(a.status(), a.body());
        }
        if (path.equals("/oauth/serverinfo") && request.method().equals("GET")) {
            Map<String, Object> locations = new LinkedHashMap<>();
            locations.put(location(), accountsUrl());
            ZohoSandbox other = forwardConsentTo;
            if (other != null) {
                locations.put(other.location(), other.accountsUrl());
            }
            return Answer.json(200, Map.of("result", "success", "locations", locations));
        }
        return Answer.json(404, Map.of("error", "invalid_url", "status", "failure"));
    }

    /** Where Zoho's web UI shows a record ({@code /crm/tab/{Module}/{id}}): the sandbox's own page of it, for links to follow. */
    static final String WEB_PREFIX = "/crm/tab/";

    private Answer recordPage(Request request) {
        String[] seg = request.path().substring(WEB_PREFIX.length()).split("/");
        Map<String, Object> r = null;
        if (seg.length == 2 && Schema.module(seg[0]) != null) {
            synchronized (lock) {
                Map<String, Object> found = store.find(Schema.module(seg[0]).apiName(), seg[1]);
                r = found == null ? null : Json.copyMap(found);
            }
        }
        StringBuilder html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
        if (r == null) {
            html.append("Not found</title></head><body><h1>No such record</h1></body></html>");
        } else {
            html.append(esc(seg[0])).append(' ').append(esc(seg[1])).append(" (Zoho sandbox)</title></head><body><h1>")
                    .append(esc(seg[0])).append(' ').append(esc(seg[1])).append("</h1><table>");
            new java.util.TreeMap<>(r).forEach((k, v) -> html.append("<tr><th>").append(esc(k)).append("</th><td>")
                    .append(esc(String.valueOf(v))).append("</td></tr>"));
            html.append("</table></body></html>");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/html;charset=UTF-8");
        return new Answer(r == null ? 404 : 200, html.toString().getBytes(StandardCharsets.UTF_8), headers, false);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** The browser step: no login page, the CurrentUser consents at once (or declines when told to). */
    private Answer consent(Map<String, String> p) {
        String clientId = p.get("client_id");
        String redirectUri = p.get("redirect_uri");
        Accounts.Client client;
        synchronized (lock) {
            client = accounts.client(clientId);
        }
        if (client == null) {
            return Answer.json(400, Map.of("error", "invalid_client"));
        }
        if (redirectUri == null || !redirectUri.equals(client.redirectUri())) {
            return Answer.json(400, Map.of("error", "invalid_redirect_uri"));
        }
        Map<String, String> callback = new LinkedHashMap<>();
        if (!"code".equals(p.get("response_type"))) {
            callback.put("error", "unsupported_response_type");
        } else if (p.get("scope") == null || p.get("scope").isBlank()) {
            callback.put("error", "invalid_scope");
        } else if (denyConsent) {
            callback.put("error", "access_denied");
        } else {
            ZohoSandbox dc = forwardConsentTo != null ? forwardConsentTo : this;
            String code;
            synchronized (dc.lock) {
                if (dc.accounts.client(clientId) == null) { // multi-DC enabled: the client exists in every DC
                    dc.accounts.register(client.id(), client.secret(), client.redirectUri());
                }
                code = dc.accounts.issueCode(clientId, p.get("scope"), redirectUri,
                        "offline".equals(p.get("access_type")), "consent".equals(p.get("prompt")));
            }
            callback.put("code", code);
            callback.put("location", dc.location());
            callback.put("accounts-server", dc.accountsUrl());
        }
        if (p.get("state") != null) {
            callback.put("state", p.get("state"));
        }
        StringBuilder url = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?');
        callback.forEach((k, v) -> url.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                .append('&'));
        url.setLength(url.length() - 1);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", url.toString());
        return new Answer(302, null, headers, false);
    }

    private static Answer fault(Limits.Fault fault) {
        if (fault.code() == null || fault.code().isEmpty()) {
            return Answer.json(fault.httpStatus(), null);
        }
        return Answer.json(fault.httpStatus(), ZohoError.of(fault.httpStatus(), fault.code()).body());
    }

    private Schema.Module module(String name) {
        Schema.Module m = Schema.module(name);
        if (m == null) {
            throw new IllegalArgumentException("the sandbox does not know module " + name);
        }
        return m;
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Map<String, String> params(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    // ---- standalone

    static final String DEMO_SCOPES = "ZohoCRM.modules.leads.ALL,ZohoCRM.modules.contacts.ALL,"
            + "ZohoCRM.modules.calls.ALL,ZohoCRM.modules.tasks.ALL,ZohoCRM.modules.notes.ALL,"
            + "ZohoCRM.modules.deals.READ,ZohoCRM.modules.accounts.READ,ZohoCRM.users.READ,ZohoCRM.coql.READ,"
            + "ZohoCRM.settings.fields.READ,ZohoSearch.securesearch.READ";

    /** {@code --port 9090 [--location eu]}: runs until killed, after printing credentials to try it with. */
    public static void main(String[] args) throws InterruptedException {
        Options o = Options.defaults().port(9090);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> o.port(Integer.parseInt(args[i + 1]));
                case "--location" -> o.location(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ZohoSandbox sb = start(o);
        String clientId = "1000.SANDBOXCLIENT0000000000000000";
        String secret = "sandbox-secret-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        String redirect = "http://127.0.0.1:8080/oauth/zoho/callback";
        sb.registerClient(clientId, secret, redirect);
        String ana = sb.addUser("ana@example.com", "Ana Agent", "active");
        sb.addUser("bob@example.com", "Bob Builder", "active");
        String account = sb.seedRecord("Accounts", Map.of("Account_Name", "Zylker Inc", "Phone", "+14155550100"));
        String contact = sb.seedRecord("Contacts", Map.of("First_Name", "Pat", "Last_Name", "Boyle",
                "Email", "p.boyle@example.com", "Phone", "+14155550123", "Account_Name", Map.of("id", account)));
        sb.seedRecord("Deals", Map.of("Deal_Name", "Zylker renewal", "Stage", "Qualification",
                "Contact_Name", Map.of("id", contact), "Account_Name", Map.of("id", account)));
        sb.seedRecord("Leads", Map.of("Last_Name", "Rivera", "Company", "Acme", "Phone", "+4930123456",
                "Email", "rivera@example.org", "Owner", Map.of("id", ana)));
        String refresh = sb.issueRefreshToken(clientId, DEMO_SCOPES);
        String code = sb.issueGrantCode(clientId, DEMO_SCOPES);
        Runtime.getRuntime().addShutdownHook(new Thread(sb::stop));
        System.out.println("Zoho sandbox (" + sb.location() + ") on " + sb.baseUrl());
        System.out.println("  accounts server / api_domain: " + sb.accountsUrl());
        System.out.println("  client_id:     " + clientId);
        System.out.println("  client_secret: " + secret);
        System.out.println("  redirect_uri:  " + redirect);
        System.out.println("  refresh_token: " + refresh);
        System.out.println("  grant code (self-client, valid 2 minutes, single use): " + code);
        System.out.println("  users: ana@example.com (CurrentUser), bob@example.com; seeded 1 Account, Contact,"
                + " Deal, Lead");
        Thread.currentThread().join();
    }
}
