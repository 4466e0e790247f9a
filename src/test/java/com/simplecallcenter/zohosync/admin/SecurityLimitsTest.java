package com.simplecallcenter.zohosync.admin;

import com.simplecallcenter.zohosync.config.SettingsException;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13's limits on the admin side: wrong tokens answered 429 per address and overall without holding a thread
 * (webhooks from other addresses go on), the operator token's minimum length, the session cookie's form and a
 * sign-out that ends the session on the server, and /metrics behind its token.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class SecurityLimitsTest {

    static final String METRICS_TOKEN = "metrics-token-for-the-security-test";
    static AppHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_security_limits").withoutZoho()
                .setting("scc.admin.token", AppHarness.ADMIN)
                .setting("scc.auth.failures-per-client", "5")
                .setting("scc.auth.failures-overall", "12")
                .setting("scc.auth.failure-window", "1m")
                .setting("scc.metrics.token", METRICS_TOKEN)
                .start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: it leaves sign-ins refused for everyone for a minute
    void wrongTokensAreRefusedPerAddressAndOverallWhileWebhooksFromElsewhereGoOn() throws Exception {
        // from 127.0.0.2: a few wrong sign-ins, under the per-address limit
        for (int i = 0; i < 4; i++) {
            assertThat(status(raw("127.0.0.2", "POST", "/admin/login", "application/x-www-form-urlencoded", "token=wrong-" + i, Map.of())))
                    .isEqualTo(401);
        }
        // from 127.0.0.7: five wrong bearer tokens, then that address is refused whatever it sends (429, Retry-After)
        for (int i = 0; i < 5; i++) {
            assertThat(status(raw("127.0.0.7", "GET", "/api/v1/admin/failures", "text/plain", "",
                    Map.of("Authorization", "Bearer wrong-token-" + i)))).isEqualTo(401);
        }
        String refused = raw("127.0.0.7", "GET", "/api/v1/admin/failures", "text/plain", "",
                Map.of("Authorization", "Bearer " + AppHarness.ADMIN));
        assertThat(status(refused)).isEqualTo(429);
        assertThat(new RawResponse(refused).headers().firstValue("Retry-After")).isPresent();
        assertThat(status(raw("127.0.0.7", "POST", "/admin/login", "application/x-www-form-urlencoded",
                "token=" + AppHarness.ADMIN, Map.of()))).isEqualTo(429);

        // 4 + 5 failures so far (and any the other tests made); three more from 127.0.0.3 reach the overall limit
        // of 12: sign-ins stop for everyone
        for (int i = 0; i < 3; i++) {
            raw("127.0.0.3", "POST", "/admin/login", "application/x-www-form-urlencoded", "token=guess-" + i, Map.of());
        }
        assertThat(status(raw("127.0.0.4", "POST", "/admin/login", "application/x-www-form-urlencoded",
                "token=" + AppHarness.ADMIN, Map.of()))).isEqualTo(429);

        // a signed webhook from an address without failures is accepted all along
        String event = CanonicalEvent.ended("limits-call-1").from("+14155550134").to("+14155550100").json();
        long ts = System.currentTimeMillis() / 1000;
        String signature = StandardWebhookVerifier.signature(AppHarness.WEBHOOK_SECRET, "m-limits-1", ts,
                event.getBytes(StandardCharsets.UTF_8));
        String answer = raw("127.0.0.5", "POST", "/api/v1/calls/events", "application/json", event,
                Map.of("webhook-id", "m-limits-1", "webhook-timestamp", String.valueOf(ts), "webhook-signature", signature));
        assertThat(status(answer)).as(answer).isEqualTo(202);
    }

    @Test
    void anOperatorTokenShorterThan32CharactersStopsTheStart() {
        assertThatThrownBy(() -> AppHarness.on("t_security_short_token").withoutZoho()
                .setting("scc.admin.token", "short-admin-token-of-31-chars!!").start())
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_ADMIN_TOKEN").hasMessageContaining("32");
    }

    @Test
    void theSessionCookieIsHostBoundSecureAndSignOutEndsItOnTheServer() throws Exception {
        HttpResponse<String> in = post("127.0.0.6", "token=" + URLEncoder.encode(AppHarness.ADMIN, StandardCharsets.UTF_8));
        assertThat(in.statusCode()).isEqualTo(303);
        String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("__Host-scc_admin=").contains("Secure", "HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain("Domain=");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(page(cookie)).contains("Sign out");

        String copy = cookie;
        HttpResponse<String> out = Http.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/admin/logout"))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("")).build());
        assertThat(out.statusCode()).isEqualTo(303);
        // the browser dropped its cookie; a copy kept elsewhere opens nothing either
        assertThat(page(copy)).contains("name=\"token\"").doesNotContain("Sign out");
    }

    @Test
    void metricsNeedTheirTokenWhenOneIsSet() {
        assertThat(Http.get(h.baseUrl() + "/metrics").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = Http.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/metrics"))
                .header("Authorization", "Bearer " + METRICS_TOKEN).GET().build());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("scc_ingest_latency_seconds");
    }

    // ------------------------------------------------------------------ helpers

    private static HttpResponse<String> post(String from, String form) throws Exception {
        // the sign-in from an address of its own, so that the limits test above does not refuse it
        String answer = raw(from, "POST", "/admin/login", "application/x-www-form-urlencoded", form, Map.of());
        return new RawResponse(answer);
    }

    private static String page(String cookie) {
        return Http.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/admin")).header("Cookie", cookie).GET().build()).body();
    }

    private static int status(String rawResponse) {
        return Integer.parseInt(rawResponse.substring(9, 12));
    }

    /** One HTTP/1.1 request from a local address of our choosing (127.0.0.x all reach the loopback interface). */
    static String raw(String from, String method, String path, String contentType, String body, Map<String, String> headers)
            throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", h.port()), 5000);
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + h.port()
                    + "\r\nConnection: close\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length + "\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    /** A raw HTTP answer seen through the few parts of HttpResponse these tests read. */
    private record RawResponse(String raw) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return status(raw);
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            Map<String, java.util.List<String>> m = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line : raw.substring(0, raw.indexOf("\r\n\r\n")).split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0) {
                    m.computeIfAbsent(line.substring(0, c).trim(), k -> new java.util.ArrayList<>()).add(line.substring(c + 1).trim());
                }
            }
            return java.net.http.HttpHeaders.of(m, (a, b) -> true);
        }

        @Override
        public String body() {
            return raw.substring(raw.indexOf("\r\n\r\n") + 4);
        }

        @Override
        public HttpRequest request() {
            return null;
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public URI uri() {
            return null;
        }

        @Override
        public java.net.http.HttpClient.Version version() {
            return java.net.http.HttpClient.Version.HTTP_1_1;
        }
    }

}
