package com.simplecallcenter.zohosync.support;

import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sends a provider's native webhook to the app signed the way that provider signs it (Twilio's URL + sorted form
 * HMAC-SHA1, RingCentral's verification header, Vonage's HS256 JWT with payload_hash, the bridge's Standard Webhooks
 * signature for Asterisk, 3CX's API key header). Aircall puts its token in the body, so the app is configured with
 * the token the payload carries.
 */
public final class ProviderSender {

    /** With a path prefix, as behind a reverse proxy: Twilio signs the URL it requested, prefix included. */
    public static final String BASE_URL = "https://calls.example.com/scc";
    public static final String AIRCALL_TOKEN = "45a9b7c3d1e2f3a4b5c6d7e8f9a0b1c2";
    public static final String TWILIO_TOKEN = "12345678901234567890123456789012";
    public static final String RINGCENTRAL_TOKEN = "rc-verification-5f2a9c7e1b3d";
    public static final String VONAGE_SECRET = "vonage-signature-secret-8c6e4a2f0d";
    public static final String ASTERISK_SECRET = "whsec_YnJpZGdlLXNpZ25pbmctc2VjcmV0LTAxMjM0NTY3ODk=";
    public static final String THREECX_KEY = "3cx-api-key-9a8b7c6d5e4f3a2b1c0d";

    private final int port;

    public ProviderSender(int port) {
        this.port = port;
    }

    /** The settings that switch every provider on with the secrets above. */
    public static Map<String, String> settings(String aircallToken) {
        Map<String, String> s = new HashMap<>();
        s.put("scc.twilio.auth-token", TWILIO_TOKEN);
        s.put("scc.aircall.token", aircallToken);
        s.put("scc.ringcentral.verification-token", RINGCENTRAL_TOKEN);
        s.put("scc.vonage.signature-secret", VONAGE_SECRET);
        s.put("scc.asterisk.webhook-secret", ASTERISK_SECRET);
        s.put("scc.3cx.api-key", THREECX_KEY);
        s.put("scc.public-base-url", BASE_URL);
        return s;
    }

    /** POSTs {@code body} to {@code /api/v1/webhooks/{provider}} ({@code query} may be null) as the provider would. */
    public HttpResponse<String> post(String provider, String query, String contentType, byte[] body) {
        String path = "/api/v1/webhooks/" + provider + (query == null || query.isEmpty() ? "" : "?" + query);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        switch (provider) {
            case "twilio" -> b.header("X-Twilio-Signature", twilioSignature(BASE_URL + path, formParams(body)));
            case "ringcentral" -> b.header("Verification-Token", RINGCENTRAL_TOKEN);
            case "vonage" -> b.header("Authorization", "Bearer " + vonageJwt(body));
            case "asterisk" -> {
                String id = "msg_" + UUID.randomUUID();
                long ts = System.currentTimeMillis() / 1000;
                b.header("webhook-id", id).header("webhook-timestamp", String.valueOf(ts))
                        .header("webhook-signature", StandardWebhookVerifier.signature(ASTERISK_SECRET, id, ts, body));
            }
            case "3cx" -> b.header("X-Api-Key", THREECX_KEY);
            default -> { }
        }
        return Http.send(b.build());
    }

    public HttpResponse<String> post(String provider, String query, String contentType, String body) {
        return post(provider, query, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Form-encodes like Twilio does (spaces as '+'), keeping the parameter order. */
    public static String form(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    @SafeVarargs
    public static Map<String, String> params(Map.Entry<String, String>... entries) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : entries) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    /** Form parameters in body order, URL-decoded, as Twilio signs them. */
    public static List<Map.Entry<String, String>> formParams(byte[] body) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        String s = new String(body, StandardCharsets.UTF_8).trim();
        if (s.isEmpty()) {
            return params;
        }
        for (String pair : s.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.add(Map.entry(name, value));
        }
        return params;
    }

    /** Base64(HMAC-SHA1(auth token, URL + each parameter's name and value, sorted by name)). */
    public static String twilioSignature(String url, List<Map.Entry<String, String>> params) {
        List<Map.Entry<String, String>> sorted = new ArrayList<>(params);
        sorted.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
        StringBuilder data = new StringBuilder(url);
        sorted.forEach(p -> data.append(p.getKey()).append(p.getValue()));
        String signature = Base64.getEncoder().encodeToString(hmac("HmacSHA1", TWILIO_TOKEN, data.toString()));
        // Twilio's own helper library must agree, so the app's verifier is tested against Twilio's algorithm, not ours
        Map<String, String> single = new HashMap<>();
        params.forEach(p -> single.put(p.getKey(), p.getValue()));
        if (single.size() == params.size() && !new com.twilio.security.RequestValidator(TWILIO_TOKEN).validate(url, single, signature)) {
            throw new IllegalStateException("Twilio's RequestValidator refuses the test's signature for " + url);
        }
        return signature;
    }

    static String vonageJwt(byte[] body) {
        long now = System.currentTimeMillis() / 1000;
        String claims = "{\"iat\":" + now + ",\"jti\":\"" + UUID.randomUUID() + "\",\"iss\":\"Vonage\",\"api_key\":\"a1b2c3d4\","
                + "\"application_id\":\"aaaaaaaa-bbbb-cccc-dddd-0123456789ab\",\"payload_hash\":\"" + sha256Hex(body) + "\"}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        return input + "." + b64.encodeToString(hmac("HmacSHA256", VONAGE_SECRET, input));
    }

    private static byte[] hmac(String algorithm, String key, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
