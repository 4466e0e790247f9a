package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.Application;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.TestApp;
import com.simplecallcenter.zohosync.support.TestDatabase;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Boots the app against a Zoho sandbox over real HTTP, and drives the admin endpoints like an admin would. */
final class ZohoFixture {

    static final String CLIENT_ID = "1000.SCCTESTCLIENT";
    static final String CLIENT_SECRET = "scc-test-client-secret";
    static final String ADMIN = "admin-token-for-zoho-tests";
    /** base64 of 32 bytes, for tests only. */
    static final String KEY = "S2V5Rm9yWm9ob1Rva2Vuc0luVGVzdHNPbmx5MDEyMzQ=";
    static final String OTHER_KEY = "QW5vdGhlcktleUZvclpvaG9Ub2tlbnNJblRlc3RzMDE=";
    static final String SCOPES = ZohoSettings.DEFAULT_SCOPES;
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ZohoFixture() {
    }

    /** Settings for an app on {@code port} that talks to {@code sandbox}; the sandbox knows our client. */
    static Map<String, String> settings(ZohoSandbox sandbox, int port) {
        Map<String, String> s = new HashMap<>();
        s.put("scc.http.port", String.valueOf(port));
        s.put("scc.admin.token", ADMIN);
        s.put("scc.token.key", KEY);
        s.put("zoho.client-id", CLIENT_ID);
        s.put("zoho.client-secret", CLIENT_SECRET);
        s.put("zoho.accounts-url", sandbox.accountsUrl());
        s.put("zoho.redirect-uri", redirectUri(port));
        s.put("scc.zoho.read-timeout-ms", "5000");
        s.put("scc.zoho.connect-timeout-ms", "2000");
        return s;
    }

    static String redirectUri(int port) {
        return "http://127.0.0.1:" + port + "/oauth/zoho/callback";
    }

    /** A fresh schema, a sandbox with our client and one user, and the app, not yet connected. */
    static Application start(String schema, ZohoSandbox sandbox, Map<String, String> extra) throws Exception {
        return start(schema, sandbox, extra, Clock.systemUTC());
    }

    /** As {@link #start(String, ZohoSandbox, Map)}, on {@code clock} (a test that moves the app's time). */
    static Application start(String schema, ZohoSandbox sandbox, Map<String, String> extra, Clock clock) throws Exception {
        TestDatabase.freshSchema(schema);
        return startKeepingSchema(schema, sandbox, extra, clock);
    }

    static Application startKeepingSchema(String schema, ZohoSandbox sandbox, Map<String, String> extra) throws Exception {
        return startKeepingSchema(schema, sandbox, extra, Clock.systemUTC());
    }

    static Application startKeepingSchema(String schema, ZohoSandbox sandbox, Map<String, String> extra, Clock clock) throws Exception {
        int port = TestApp.freePort();
        sandbox.registerClient(CLIENT_ID, CLIENT_SECRET, redirectUri(port));
        Map<String, String> s = settings(sandbox, port);
        s.putAll(extra);
        return TestApp.startKeepingSchema(schema, s, clock);
    }

    static String base(Application app) {
        return "http://127.0.0.1:" + app.httpPort();
    }

    static HttpRequest.Builder admin(Application app, String path) {
        return HttpRequest.newBuilder(URI.create(base(app) + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + ADMIN);
    }

    /** The headless connect: a self-client grant code posted to the admin API. */
    static HttpResponse<String> grant(Application app, String code, String accountsUrl) {
        String body = accountsUrl == null ? "{\"code\":\"" + code + "\"}"
                : "{\"code\":\"" + code + "\",\"accountsUrl\":\"" + accountsUrl + "\"}";
        return Http.send(admin(app, "/api/v1/admin/zoho/grant").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static JsonNode connectHeadless(Application app, ZohoSandbox sandbox) {
        HttpResponse<String> r = grant(app, sandbox.issueGrantCode(CLIENT_ID, SCOPES), sandbox.accountsUrl());
        if (r.statusCode() != 200) {
            throw new AssertionError("grant failed: " + r.statusCode() + " " + r.body());
        }
        return json(r.body());
    }

    static JsonNode status(Application app) {
        HttpResponse<String> r = Http.send(admin(app, "/api/v1/admin/zoho").GET().build());
        if (r.statusCode() != 200) {
            throw new AssertionError("status failed: " + r.statusCode() + " " + r.body());
        }
        return json(r.body());
    }

    static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    static ZohoClient client(Application app) {
        return app.context().getRegistry().lookupByNameAndType("zohoOrgs", ZohoOrgs.class).of("default").client();
    }

    static ZohoTokenManager tokens(Application app) {
        return app.context().getRegistry().lookupByNameAndType("zohoOrgs", ZohoOrgs.class).of("default").tokens();
    }
}
