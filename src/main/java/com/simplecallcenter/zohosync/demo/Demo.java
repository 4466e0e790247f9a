package com.simplecallcenter.zohosync.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.Application;
import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.config.SettingsException;
import com.simplecallcenter.zohosync.db.Database;
import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.zaxxer.hikari.HikariDataSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar target/scc-zoho-sync.jar --demo}: the service plus the built-in Zoho sandbox, already connected,
 * on the local PostgreSQL (schema {@code scc_demo}, recreated at each start). Seeds users, a Contact and a Lead, posts a
 * handful of realistic call events through the real webhook, prints what ended up in "Zoho", then keeps running so
 * that more events can be posted with curl.
 */
public final class Demo {

    private static final String CLIENT_ID = "1000.SCCDEMOCLIENT";
    private static final String SCHEMA = "scc_demo";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final SecureRandom random = new SecureRandom();
    private final String webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(bytes(32));
    private final String adminToken = HexFormat.of().formatHex(bytes(24));
    private final Map<String, String> extra;
    private ZohoSandbox sandbox;
    private Application app;
    private int port;
    private final List<String> calls = new ArrayList<>();

    public Demo(Map<String, String> extra) {
        this.extra = extra;
    }

    public static void main(String[] args) throws Exception {
        // keep the console for the demo's story: Camel's start-up lines are quieted, the service's own lines stay
        if (System.getenv("SCC_CAMEL_LOG_LEVEL") == null) {
            System.setProperty("SCC_CAMEL_LOG_LEVEL", "WARN");
        }
        Demo demo = new Demo(Map.of());
        try {
            demo.run();
        } catch (SettingsException e) {
            System.err.println("scc-zoho-sync demo: " + e.getMessage());
            demo.stop();
            System.exit(2);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stop, "demo-shutdown"));
        new CountDownLatch(1).await();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Starts everything, posts the sample calls, prints the story; returns with the service still running. */
    public void run() throws Exception {
        Path config = Path.of(System.getProperty("scc.config", "config/application.properties"));
        Settings base = Settings.load(config, System.getenv(), extra);
        port = com.simplecallcenter.zohosync.config.ServiceSettings.from(base).httpPort();

        sandbox = ZohoSandbox.start();
        String redirect = "http://localhost:" + port + "/oauth/zoho/callback";
        String clientSecret = HexFormat.of().formatHex(bytes(16));
        sandbox.registerClient(CLIENT_ID, clientSecret, redirect);
        sandbox.addUser("alex.admin@acme.example", "Alex Admin", "active");   // the admin who connects
        String dana = sandbox.addUser("dana@acme.example", "Dana Ruiz", "active");
        String sam = sandbox.addUser("sam@acme.example", "Sam Ortiz", "active");
        sandbox.seedRecord("Contacts", Map.of("First_Name", "Pat", "Last_Name", "Lee", "Email", "pat.lee@example.com",
                "Phone", "(415) 555-0134", "Owner", Map.of("id", dana)));
        sandbox.seedRecord("Leads", Map.of("First_Name", "Jordan", "Last_Name", "Kim", "Company", "Kim Bakery",
                "Mobile", "+1 415-555-0188"));

        Map<String, String> overrides = new HashMap<>();
        overrides.put("scc.db.schema", SCHEMA);
        overrides.put("scc.webhook.secret", webhookSecret);
        overrides.put("scc.admin.token", adminToken);
        overrides.put("scc.token.key", Base64.getEncoder().encodeToString(bytes(32)));
        overrides.put("zoho.client-id", CLIENT_ID);
        overrides.put("zoho.client-secret", clientSecret);
        overrides.put("zoho.accounts-url", sandbox.accountsUrl());
        overrides.put("zoho.redirect-uri", redirect);
        overrides.put("scc.zoho.trusted-accounts-servers", sandbox.accountsUrl());
        // calls without a mapped agent (a missed call nobody picked up) belong to the front desk, not to the admin
        overrides.put("scc.zoho.default-owner-id", sam);
        overrides.put("scc.sync.sweep-interval", "1s");
        overrides.put("scc.sync.sweep-grace", "1s");
        overrides.putAll(extra);
        Settings settings = Settings.load(config, System.getenv(), overrides);
        dropDemoSchema(settings);

        banner("starting the service on http://localhost:" + port + " with the Zoho sandbox at " + sandbox.baseUrl());
        app = Application.start(config, System.getenv(), overrides);

        banner("connecting Zoho (self-client grant code, as an admin would with POST /api/v1/admin/zoho/grant)");
        String grant = sandbox.issueGrantCode(CLIENT_ID, String.join(",", com.simplecallcenter.zohosync.zoho.ZohoSettings.from(settings).scopes()));
        HttpResponse<String> connected = admin("POST", "/api/v1/admin/zoho/grant",
                JSON.writeValueAsString(Map.of("code", grant, "accountsUrl", sandbox.accountsUrl())));
        System.out.println("  " + connected.statusCode() + " " + connected.body());

        banner("switching the optional follow-up Tasks on (PUT /api/v1/admin/features/followup-tasks)");
        HttpResponse<String> switched = admin("PUT", "/api/v1/admin/features/followup-tasks", "{\"enabled\": true}");
        System.out.println("  " + switched.statusCode() + " " + switched.body());

        banner("posting call events to POST /api/v1/calls/events (signed, as a telephony system would)");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String run = Long.toString(now.getEpochSecond(), 36);

        // 1. a repeat caller: the Contact Pat Lee calls in, Dana answers (two events: started, ended)
        String c1 = "demo-" + run + "-1";
        calls.add(c1);
        post(event("e1a-" + run, c1, "call.started", now.minusSeconds(300), "inbound", "ringing", "+1 (415) 555-0134", "+14155550100",
                Map.of("startedAt", iso(now.minusSeconds(300)))));
        Map<String, Object> ended = new LinkedHashMap<>();
        ended.put("startedAt", iso(now.minusSeconds(300)));
        ended.put("answeredAt", iso(now.minusSeconds(291)));
        ended.put("endedAt", iso(now.minusSeconds(175)));
        ended.put("durationSeconds", 116);
        ended.put("agent", Map.of("id", "ag_17", "email", "dana@acme.example", "name", "Dana Ruiz"));
        ended.put("notes", "Asked about invoice 4411");
        ended.put("tags", List.of("billing"));
        ended.put("links", Map.of("recording", "https://rec.example/r/" + c1));
        String e1 = event("e1b-" + run, c1, "call.ended", now.minusSeconds(175), "inbound", "answered", "+1 (415) 555-0134", "+14155550100", ended);
        post(e1);
        // 2. the sender retries that last event: answered 200 duplicate, no second effect
        post(e1);

        // 3. a new caller: nobody in Zoho has this number or email, so a Lead is created; Sam answers
        String c2 = "demo-" + run + "-2";
        calls.add(c2);
        post(event("e2-" + run, c2, "call.ended", now.minusSeconds(120), "inbound", "answered", "(415) 555-0199", "+14155550100",
                Map.of("startedAt", iso(now.minusSeconds(240)), "durationSeconds", 95,
                        "agent", Map.of("email", "sam@acme.example", "name", "Sam Ortiz"),
                        "caller", Map.of("firstName", "Morgan", "lastName", "Blake", "company", "Blake Plumbing",
                                "email", "morgan@blake-plumbing.example"),
                        "notes", "Wants a quote for two units")));

        // 4. a missed call from the Lead Jordan Kim (number written differently from Zoho's)
        String c3 = "demo-" + run + "-3";
        calls.add(c3);
        post(event("e3-" + run, c3, "call.ended", now.minusSeconds(60), "inbound", "missed", "4155550188", "+14155550100",
                Map.of("startedAt", iso(now.minusSeconds(80)), "durationSeconds", 0)));

        // 5. Dana calls Pat back: outbound, answered; the match comes from the cache (no search)
        String c4 = "demo-" + run + "-4";
        calls.add(c4);
        post(event("e4-" + run, c4, "call.ended", now.minusSeconds(10), "outbound", "answered", "+14155550100", "+1 415 555 0134",
                Map.of("startedAt", iso(now.minusSeconds(40)), "durationSeconds", 30,
                        "agent", Map.of("id", "ag_17", "email", "dana@acme.example"), "notes", "Invoice resent")));

        banner("waiting for the sync (GET /api/v1/calls/{callId})");
        for (String callId : calls) {
            JsonNode state = awaitSynced(callId, Duration.ofSeconds(60));
            System.out.println("  " + callId + " -> " + state);
        }

        banner("what is now in Zoho (the sandbox)");
        printCalls();
        for (Map<String, Object> task : sandbox.records("Tasks")) {
            Object owner = task.get("Owner") instanceof Map<?, ?> o ? o.get("name") : "-";
            System.out.println("  Task: " + task.get("Subject") + " (due " + task.get("Due_Date") + ", " + task.get("Priority")
                    + ", owner " + owner + ")");
        }
        System.out.println("  Leads:    " + summary("Leads"));
        System.out.println("  Contacts: " + summary("Contacts"));
        System.out.println("  Zoho API requests made by the sync: " + sandbox.journal().stream().filter(j -> j.path().startsWith("/crm/v8")).count()
                + " for " + calls.size() + " calls");

        banner("try it yourself");
        System.out.println("  export SCC_WEBHOOK_SECRET='" + webhookSecret + "'");
        System.out.println("  export SCC_ADMIN_TOKEN='" + adminToken + "'");
        System.out.println("  admin page: http://localhost:" + port + "/admin  (sign in with the SCC_ADMIN_TOKEN above)");
        System.out.println("  scripts/send-event.sh                       # posts a signed sample call (see the script for your own JSON)");
        System.out.println("  curl -s -H \"Authorization: Bearer $SCC_ADMIN_TOKEN\" http://localhost:" + port + "/api/v1/calls/" + c1);
        System.out.println("  curl -s -H \"Authorization: Bearer $SCC_ADMIN_TOKEN\" http://localhost:" + port + "/api/v1/admin/zoho");
        System.out.println("  curl -s http://localhost:" + port + "/metrics | grep ^scc_");
        System.out.println("  (these secrets are random for this demo run; Ctrl-C stops the demo)");
    }

    public ZohoSandbox sandbox() {
        return sandbox;
    }

    /** The call ids the demo posted, in order. */
    public List<String> calls() {
        return calls;
    }

    public void stop() {
        if (app != null) {
            app.stop();
            app = null;
        }
        if (sandbox != null) {
            sandbox.stop();
            sandbox = null;
        }
    }

    private static void dropDemoSchema(Settings settings) throws Exception {
        try (HikariDataSource ds = Database.open(settings); Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + Database.schema(settings) + " CASCADE");
        }
    }

    private static String iso(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC).toString();
    }

    private static String event(String eventId, String callId, String type, Instant at, String direction, String status,
                                String from, String to, Map<String, Object> extra) throws Exception {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", eventId);
        e.put("callId", callId);
        e.put("type", type);
        e.put("occurredAt", iso(at));
        e.put("direction", direction);
        e.put("status", status);
        e.put("from", from);
        e.put("to", to);
        e.putAll(extra);
        return JSON.writeValueAsString(e);
    }

    private void post(String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String id = "msg_" + HexFormat.of().formatHex(bytes(8));
        long ts = System.currentTimeMillis() / 1000;
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calls/events"))
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", String.valueOf(ts))
                .header("webhook-signature", StandardWebhookVerifier.signature(webhookSecret, id, ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        System.out.println("  " + r.statusCode() + " " + r.body());
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitSynced(String callId, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = admin("GET", "/api/v1/calls/" + callId, null);
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body());
                String status = last.path("status").asText();
                if (status.equals("synced") || status.equals("dead")) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        return last;
    }

    private void printCalls() {
        System.out.printf("  %-42s %-9s %-8s %-28s %s%n", "Call (Subject)", "Call_Type", "Duration", "linked to", "owner");
        for (Map<String, Object> call : sandbox.records("Calls")) {
            String linked;
            if (call.get("Who_Id") instanceof Map<?, ?> who) {
                linked = "Contact " + who.get("name");
            } else if (call.get("What_Id") instanceof Map<?, ?> what) {
                linked = call.get("$se_module") + " " + what.get("name");
            } else {
                linked = "-";
            }
            Object owner = call.get("Owner") instanceof Map<?, ?> o ? o.get("name") : "-";
            System.out.printf("  %-42s %-9s %-8s %-28s %s%n", call.get("Subject"), call.get("Call_Type"), call.get("Call_Duration"), linked, owner);
        }
    }

    private String summary(String module) {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> r : sandbox.records(module)) {
            names.add((r.getOrDefault("First_Name", "") + " " + r.getOrDefault("Last_Name", "")).trim()
                    + " " + r.getOrDefault("Phone", r.getOrDefault("Mobile", "")));
        }
        return String.join(", ", names);
    }

    private static void banner(String text) {
        System.out.println();
        System.out.println("== " + text);
    }
}
