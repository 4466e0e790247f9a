package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.Application;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.TestApp;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One real application for the provider tests (schema {@code t_prov_shared}): every provider switched on with a test
 * secret, Twilio's public base URL with a path prefix, an agents file mapping PBX extensions. Started once per JVM.
 */
final class ProviderApp {

    static final String SCHEMA = "t_prov_shared";
    static final String TWILIO_TOKEN = "9f3c2b1a0e8d7c6b5a4f3e2d1c0b9a87";
    static final String AIRCALL_TOKEN = "45a9b7c3d1e2f3a4b5c6d7e8f9a0b1c2";
    static final String RINGCENTRAL_TOKEN = "rc-verification-7c1d0e6f4a2b";
    static final String VONAGE_SECRET = "vonage-signature-secret-3b5d7f9a1c";
    static final String ASTERISK_SECRET = "whsec_YXN0ZXJpc2stYnJpZGdlLXNlY3JldC0wMTIzNDU2Nzg5";
    static final String THREECX_KEY = "3cx-api-key-0f1e2d3c4b5a69788796a5b4";
    static final String BASE_URL = "https://calls.example.com/scc";
    static final ObjectMapper JSON = new ObjectMapper();

    private static Application app;
    private static JdbcTemplate db;

    private ProviderApp() {
    }

    static synchronized Application app() {
        if (app == null) {
            try {
                Path agents = Files.createTempFile("agents", ".yaml");
                Files.writeString(agents, """
                        agents:
                          - id: ag_dana
                            email: dana@acme.example
                            zohoUserId: "5725767000000411001"
                            extension: "101"
                          - email: sam@acme.example
                            zohoUserId: "5725767000000411002"
                            extension: ["102", "400145221008"]
                          - email: no-extension@acme.example
                            zohoUserId: "5725767000000411003"
                        """);
                Map<String, String> s = new HashMap<>();
                s.put("scc.twilio.auth-token", TWILIO_TOKEN);
                s.put("scc.aircall.token", AIRCALL_TOKEN);
                s.put("scc.ringcentral.verification-token", RINGCENTRAL_TOKEN);
                s.put("scc.vonage.signature-secret", VONAGE_SECRET);
                s.put("scc.asterisk.webhook-secret", ASTERISK_SECRET);
                s.put("scc.3cx.api-key", THREECX_KEY);
                s.put("scc.public-base-url", BASE_URL);
                s.put("scc.sync.agents-file", agents.toString());
                app = TestApp.start(SCHEMA, s);
                db = new JdbcTemplate(TestDatabase.dataSource(SCHEMA));
                Application started = app;
                Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return app;
    }

    static JdbcTemplate db() {
        app();
        return db;
    }

    static int port() {
        return app().httpPort();
    }

    static HttpResponse<String> post(String provider, String query, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/api/v1/webhooks/" + provider
                        + (query == null || query.isEmpty() ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(15)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        return Http.send(b.build());
    }

    static HttpResponse<String> get(String provider, String query, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/api/v1/webhooks/" + provider
                        + (query == null || query.isEmpty() ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(15)).GET();
        headers.forEach(b::header);
        return Http.send(b.build());
    }

    static HttpResponse<String> postJson(String provider, String query, String json, Map<String, String> headers) {
        return post(provider, query, "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** The stored canonical events of a call, in occurredAt order. */
    static List<JsonNode> events(String callId) {
        return db().queryForList("select event::text from call_event where call_id = ? order by occurred_at, id", String.class, callId)
                .stream().map(ProviderApp::read).collect(Collectors.toList());
    }

    static JsonNode event(String eventId) {
        List<String> rows = db().queryForList("select event::text from call_event where event_id = ?", String.class, eventId);
        return rows.isEmpty() ? null : read(rows.get(0));
    }

    static int count(String eventId) {
        return db().queryForObject("select count(*) from call_event where event_id = ?", Integer.class, eventId);
    }

    static int countCall(String callId) {
        return db().queryForObject("select count(*) from call_event where call_id = ?", Integer.class, callId);
    }

    static JsonNode json(HttpResponse<String> r) {
        return read(r.body());
    }

    static JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(s, e);
        }
    }

    /** Form-encodes like Twilio does (spaces as '+'), keeping the parameter order. */
    static String form(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    @SafeVarargs
    static Map<String, String> params(Map.Entry<String, String>... entries) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : entries) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }
}
