package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.crypto.TokenCipher;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.AdjustableClock;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared access token: refresh ahead and on 401, broken, throttled, shared by two instances, encrypted at rest. */
class ZohoTokenTest {

    static final String SCHEMA = "t_zoho_token";
    static ZohoSandbox zoho;
    static final AdjustableClock ZOHO_CLOCK = new AdjustableClock();
    /** The app's clock, which tests move forward (token expiry) instead of waiting. */
    AdjustableClock appClock;
    AppHarness app;
    AppHarness second;

    @BeforeAll
    static void sandbox() {
        zoho = ZohoSandbox.start(ZohoSandbox.Options.defaults().port(0).clock(ZOHO_CLOCK));
    }

    @AfterAll
    static void stopSandbox() {
        zoho.stop();
    }

    @BeforeEach
    void start() throws Exception {
        zoho.reset();
        zoho.addUser("ana@example.com", "Ana Admin", "active");
        appClock = new AdjustableClock();
        app = AppHarness.on(SCHEMA).sandbox(zoho).notConnected().clock(appClock).start();
        app.connect();
    }

    @AfterEach
    void stop() {
        if (second != null) {
            second.close();
            second = null;
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theTokenIsRefreshedAheadOfExpiryOnceAndThenReusedFromMemory() {
        ZohoClient client = app.zohoClient();
        client.users("CurrentUser");
        assertThat(zoho.refreshCount()).isZero();
        appClock.advance(Duration.ofMinutes(56)); // 4 minutes left: inside the 5-minute window
        client.users("CurrentUser");
        assertThat(zoho.refreshCount()).isEqualTo(1);
        assertThat(zoho.journal().stream().filter(e -> e.status() == 401)).isEmpty();
        for (int i = 0; i < 5; i++) {
            client.users("CurrentUser");
        }
        assertThat(zoho.refreshCount()).isEqualTo(1);
        assertThat(app.zohoStatus().path("lastRefreshAt").isTextual()).isTrue();
    }

    @Test
    void invalidTokenIsRefreshedOnceAndTheRequestRetriedOnce() {
        ZohoClient client = app.zohoClient();
        zoho.expireAccessTokens();
        zoho.clearJournal();
        assertThat(client.users("CurrentUser")).hasSize(1);
        assertThat(zoho.refreshCount()).isEqualTo(1);
        List<Integer> statuses = zoho.journal().stream().filter(e -> e.path().startsWith("/crm/")).map(ZohoSandbox.JournalEntry::status).toList();
        assertThat(statuses).containsExactly(401, 200);
    }

    @Test
    void aRevokedRefreshTokenBreaksTheConnectionOnceWithoutRetrying() {
        ZohoClient client = app.zohoClient();
        zoho.revokeRefreshTokens();
        assertThatThrownBy(() -> client.users("CurrentUser")).isInstanceOf(ZohoNotConnectedException.class)
                .hasMessageContaining("invalid_code");
        long tokenCalls = zoho.count("POST", "/oauth/v2/token");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.insert("Leads", List.of(AppHarness.JSON.createObjectNode().put("Last_Name", "X"))))
                    .isInstanceOf(ZohoNotConnectedException.class);
        }
        // no retry loop: neither the accounts server nor the API hears from us again
        assertThat(zoho.count("POST", "/oauth/v2/token")).isEqualTo(tokenCalls);
        assertThat(zoho.count("POST", "/crm/")).isZero();

        JsonNode status = app.zohoStatus();
        assertThat(status.path("connected").asBoolean()).isFalse();
        assertThat(status.path("state").asText()).isEqualTo("broken");
        assertThat(status.path("brokenReason").asText()).contains("invalid_code").contains("Reconnect");
        assertThat(Http.get(app.baseUrl() + "/metrics").body()).contains("scc_zoho_connection_broken{tenant=\"default\"} 1.0");

        // reconnecting heals it
        app.connect();
        assertThat(client.users("CurrentUser")).hasSize(1);
        assertThat(app.zohoStatus().path("state").asText()).isEqualTo("connected");
        assertThat(Http.get(app.baseUrl() + "/metrics").body()).contains("scc_zoho_connection_broken{tenant=\"default\"} 0.0");
    }

    @Test
    void theRefreshThrottleBacksOffAndKeepsTheNotBeforeTimeInTheDatabase() throws Exception {
        ZohoClient client = app.zohoClient();
        for (int i = 0; i < 10; i++) { // Zoho allows 10 access tokens per refresh token in 10 minutes
            zoho.expireAccessTokens();
            client.users("CurrentUser");
        }
        assertThat(zoho.refreshCount()).isEqualTo(10);
        zoho.expireAccessTokens();
        assertThatThrownBy(() -> client.users("CurrentUser")).isInstanceOf(ZohoRateLimitedException.class);
        long tokenCalls = zoho.count("POST", "/oauth/v2/token");
        long apiCalls = zoho.count("GET", "/crm/");
        assertThat(notBefore()).isNotNull();

        // backing off: no token request, and no API request with the dead token
        assertThatThrownBy(() -> client.users("CurrentUser")).isInstanceOf(ZohoRateLimitedException.class);
        assertThat(zoho.count("POST", "/oauth/v2/token")).isEqualTo(tokenCalls);
        assertThat(zoho.count("GET", "/crm/")).isEqualTo(apiCalls);
        assertThat(app.zohoStatus().path("state").asText()).isEqualTo("connected");

        // ten minutes later both sides have moved on: the next request refreshes again
        ZOHO_CLOCK.advance(Duration.ofMinutes(11));
        appClock.advance(Duration.ofMinutes(11));
        assertThat(client.users("CurrentUser")).hasSize(1);
        assertThat(zoho.refreshCount()).isEqualTo(11);
        assertThat(notBefore()).isNull();
    }

    @Test
    void twoInstancesShareOneTokenAndRefreshItOnce() throws Exception {
        AdjustableClock secondClock = new AdjustableClock();
        second = app.startAnotherInstance(secondClock, Map.of());
        ZohoClient a = app.zohoClient();
        ZohoClient b = second.zohoClient();
        a.users("CurrentUser");
        b.users("CurrentUser");
        assertThat(zoho.refreshCount()).isZero();

        // Zoho kills the token: both instances, many threads each, hit 401 at once
        zoho.expireAccessTokens();
        runConcurrently(16, i -> (i % 2 == 0 ? a : b).users("CurrentUser"));
        assertThat(zoho.refreshCount()).isEqualTo(1);
        assertThat(app.zohoTokens().accessToken().value()).isEqualTo(second.zohoTokens().accessToken().value());

        // both reach the refresh-ahead window at once
        appClock.advance(Duration.ofMinutes(57));
        secondClock.advance(Duration.ofMinutes(57));
        runConcurrently(16, i -> (i % 2 == 0 ? a : b).users("CurrentUser"));
        assertThat(zoho.refreshCount()).isEqualTo(2);
        assertThat(app.zohoTokens().accessToken().value()).isEqualTo(second.zohoTokens().accessToken().value());
    }

    @Test
    void noTokenIsStoredInPlaintext() throws Exception {
        ZohoClient client = app.zohoClient();
        zoho.expireAccessTokens();
        client.users("CurrentUser"); // a refresh: its request carries the refresh token, which the journal shows us
        String refreshToken = zoho.journal().stream()
                .filter(e -> e.path().equals("/oauth/v2/token") && e.body() != null && e.body().contains("grant_type=refresh_token"))
                .map(e -> param(e.body(), "refresh_token")).findFirst().orElseThrow();
        String accessToken = app.zohoTokens().accessToken().value();
        assertThat(refreshToken).startsWith("1000.");
        assertThat(accessToken).startsWith("1000.");

        String dump = dumpSchema();
        assertThat(dump).contains("zoho_connection");
        for (String token : List.of(refreshToken, accessToken)) {
            assertThat(dump).doesNotContain(token);
            assertThat(dump.toLowerCase()).doesNotContain(HexFormat.of().formatHex(token.getBytes(StandardCharsets.UTF_8)));
            assertThat(dump).doesNotContain(token.substring(5, 21)); // not even a recognisable part
        }
        // nor in any answer of the service
        assertThat(app.admin("GET", "/api/v1/admin/zoho", null).body())
                .doesNotContain(accessToken).doesNotContain(refreshToken);
        assertThat(Http.get(app.baseUrl() + "/metrics").body()).doesNotContain(accessToken);
    }

    @Test
    void aRotatedKeyStillOpensOldRowsAndTheNextWriteUsesTheNewKey() throws Exception {
        String oldKeyId = keyId();
        assertThat(oldKeyId).isEqualTo(TokenCipher.keyId(java.util.Base64.getDecoder().decode(AppHarness.TOKEN_KEY)));
        app.close();
        app = restartOnSystemClock(Map.of("scc.token.key", AppHarness.OTHER_TOKEN_KEY, "scc.token.previous-key", AppHarness.TOKEN_KEY));
        assertThat(app.zohoClient().users("CurrentUser")).hasSize(1);
        assertThat(keyId()).isEqualTo(TokenCipher.keyId(java.util.Base64.getDecoder().decode(AppHarness.OTHER_TOKEN_KEY)));
        assertThat(zoho.refreshCount()).isZero(); // re-encrypted without minting a token

        // without the old key now
        app.close();
        app = restartOnSystemClock(Map.of("scc.token.key", AppHarness.OTHER_TOKEN_KEY));
        assertThat(app.zohoClient().users("CurrentUser")).hasSize(1);

        // with a key that never wrote the row: a clear broken state, no crash
        app.close();
        app = restartOnSystemClock(Map.of());
        assertThatThrownBy(() -> app.zohoClient().users("CurrentUser")).isInstanceOf(ZohoNotConnectedException.class)
                .hasMessageContaining("another SCC_TOKEN_KEY");
        assertThat(app.zohoStatus().path("state").asText()).isEqualTo("broken");
    }

    // ------------------------------------------------------------------ helpers

    /** The app again on the same schema with only these settings over the harness's (each restart starts from those). */
    private static AppHarness restartOnSystemClock(Map<String, String> settings) throws Exception {
        return AppHarness.on(SCHEMA).sandbox(zoho).notConnected().keepSchema().settings(settings).start();
    }

    interface Call {
        void run(int i) throws Exception;
    }

    static void runConcurrently(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit((Callable<Object>) () -> {
                    call.run(k);
                    return null;
                }));
            }
            for (Future<Object> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String param(String form, String name) {
        for (String pair : form.split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static Object notBefore() throws Exception {
        try (Connection c = TestDatabase.dataSource(SCHEMA).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT refresh_not_before FROM zoho_connection")) {
            rs.next();
            return rs.getObject(1);
        }
    }

    private static String keyId() throws Exception {
        try (Connection c = TestDatabase.dataSource(SCHEMA).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key_id FROM zoho_connection")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** pg_dump of the schema when the tool is there; every row of every table as text in any case. */
    private static String dumpSchema() throws Exception {
        StringBuilder sb = new StringBuilder();
        try {
            Process p = new ProcessBuilder("pg_dump", "-h", "127.0.0.1", "-U", TestDatabase.USER, "-n", SCHEMA, "postgres")
                    .redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            }
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                sb.append(out.toString(StandardCharsets.UTF_8));
            }
        } catch (java.io.IOException noPgDump) {
            // fall back to the rows below
        }
        try (Connection c = TestDatabase.dataSource(SCHEMA).getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + SCHEMA + "'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("SELECT row_to_json(x)::text FROM \"" + SCHEMA + "\".\"" + t + "\" x")) {
                    while (rs.next()) {
                        sb.append(t).append(": ").append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }
}
