package com.simplecallcenter.zohosync.support;

import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain JDK HTTP client for tests, with a helper that signs canonical events like a sender would. */
public final class Http {

    public static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /**
     * What a browser sends back for the cookie {@code name} that {@code r} set ({@code name=value}, for a Cookie header),
     * or null when {@code r} set none.
     */
    public static String cookieSetBy(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElse(null);
    }

    /** A GET with a Cookie header (none when {@code cookie} is null), like a browser that holds it. */
    public static HttpResponse<String> get(String url, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return send(b.build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    /** POSTs a canonical event signed with {@link AppHarness#WEBHOOK_SECRET} and a fresh webhook-id. */
    public static HttpResponse<String> postEvent(int port, String json) {
        return postEvent(port, json, AppHarness.WEBHOOK_SECRET, "msg_" + System.nanoTime());
    }

    public static HttpResponse<String> postEvent(int port, String json, String secret, String webhookId) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        long ts = System.currentTimeMillis() / 1000;
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calls/events"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("webhook-id", webhookId)
                .header("webhook-timestamp", String.valueOf(ts))
                .header("webhook-signature", StandardWebhookVerifier.signature(secret, webhookId, ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return send(req);
    }

    /** A canonical event for {@code path} (e.g. a tenant's /api/v1/tenants/{tenant}/calls/events), signed with {@code secret}. */
    public static HttpRequest signed(int port, String path, String json, String secret, String webhookId) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        long ts = System.currentTimeMillis() / 1000;
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("webhook-id", webhookId)
                .header("webhook-timestamp", String.valueOf(ts))
                .header("webhook-signature", StandardWebhookVerifier.signature(secret, webhookId, ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }
}
