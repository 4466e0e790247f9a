package com.simplecallcenter.zohosync.support;

import com.simplecallcenter.zohosync.Application;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Boots the real application (settings, Flyway, camel-main, YAML routes, Jetty) on a free port and a fresh schema. */
public final class TestApp {

    /** A webhook secret for tests only (whsec_ + base64 of 32 bytes). */
    public static final String WEBHOOK_SECRET = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private TestApp() {
    }

    public static Map<String, String> baseSettings(String schema, int port) {
        Map<String, String> s = new HashMap<>();
        s.put("scc.db.url", TestDatabase.URL);
        s.put("scc.db.user", TestDatabase.USER);
        s.put("scc.db.schema", schema);
        s.put("scc.db.pool-size", "8");
        s.put("scc.http.host", "127.0.0.1");
        s.put("scc.http.port", String.valueOf(port));
        s.put("scc.webhook.secret", WEBHOOK_SECRET);
        return s;
    }

    /** Starts the app on a fresh schema; extra settings override the defaults above. */
    public static Application start(String schema, Map<String, String> extra) throws Exception {
        TestDatabase.freshSchema(schema);
        return startKeepingSchema(schema, extra);
    }

    /** Starts the app on an existing schema (restart tests, a second instance on the same database). */
    public static Application startKeepingSchema(String schema, Map<String, String> extra) throws Exception {
        return startKeepingSchema(schema, extra, Clock.systemUTC());
    }

    /** As {@link #startKeepingSchema(String, Map)}, with {@code clock} as the app's clock (a test that moves time). */
    public static Application startKeepingSchema(String schema, Map<String, String> extra, Clock clock) throws Exception {
        Map<String, String> s = baseSettings(schema, freePort());
        s.putAll(extra);
        return Application.startForTest(s, clock);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
