package com.simplecallcenter.zohosync.ingest;

import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.http.ProblemException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
 * {@code "{webhook-id}.{webhook-timestamp}.{raw body}"}, keyed with the base64 part of a {@code whsec_} secret,
 * sent as space-separated {@code v1,<base64>} entries. Verified on the raw bytes, before anything is parsed.
 */
public final class StandardWebhookVerifier {

    static final long TOLERANCE_SECONDS = 5 * 60;
    private static final String PREFIX = "whsec_";

    private final Optional<byte[]> key;
    private final Clock clock;

    public StandardWebhookVerifier(Optional<String> secret, String settingKey, Clock clock) {
        this.key = secret.map(s -> decode(s, settingKey));
        this.clock = clock;
    }

    public boolean isConfigured() {
        return key.isPresent();
    }

    private static byte[] decode(String secret, String settingKey) {
        if (!secret.startsWith(PREFIX)) {
            throw Settings.invalid(settingKey, "must have the form whsec_<base64 of 24 to 64 random bytes>");
        }
        byte[] k;
        try {
            k = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw Settings.invalid(settingKey, "the part after whsec_ must be base64");
        }
        if (k.length < 24 || k.length > 64) {
            throw Settings.invalid(settingKey, "must hold 24 to 64 random bytes (got " + k.length + ")");
        }
        return k;
    }

    /** Throws a 401 problem unless one of the signatures matches and the timestamp is within five minutes of now. */
    public void verify(String id, String timestamp, String signatures, byte[] body) {
        verifyWithKeys(key.map(java.util.List::of).orElse(java.util.List.of()), id, timestamp, signatures, body);
    }

    /**
     * The same check with a tenant's secrets: any of them may have signed (the current one and, during a rotation,
     * the previous one). A secret that is not a valid {@code whsec_} value is skipped.
     */
    public void verify(java.util.List<String> secrets, String id, String timestamp, String signatures, byte[] body) {
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        for (String s : secrets) {
            try {
                keys.add(decode(s, "webhook secret"));
            } catch (RuntimeException ignored) {
                // a malformed stored secret verifies nothing; the others still may
            }
        }
        verifyWithKeys(keys, id, timestamp, signatures, body);
    }

    private void verifyWithKeys(java.util.List<byte[]> keys, String id, String timestamp, String signatures, byte[] body) {
        if (keys.isEmpty()) {
            throw ProblemException.unauthorized("no-secret", "webhook signatures cannot be verified: no secret is configured");
        }
        if (id == null || id.isBlank() || timestamp == null || signatures == null || signatures.isBlank()) {
            throw ProblemException.unauthorized("missing-signature",
                    "the webhook-id, webhook-timestamp and webhook-signature headers are required");
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.unauthorized("bad-timestamp", "webhook-timestamp must be Unix seconds");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - ts) > TOLERANCE_SECONDS) {
            throw ProblemException.unauthorized("stale-timestamp", "webhook-timestamp is more than 5 minutes away from now");
        }
        java.util.List<byte[]> expected = new java.util.ArrayList<>();
        for (byte[] k : keys) {
            expected.add(sign(k, id.trim(), ts, body));
        }
        boolean ok = false;
        for (String entry : signatures.trim().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !"v1".equals(entry.substring(0, comma))) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            // no early exit: every entry is compared in constant time
            for (byte[] e : expected) {
                ok |= MessageDigest.isEqual(e, given);
            }
        }
        if (!ok) {
            throw ProblemException.unauthorized("bad-signature", "no valid v1 signature in webhook-signature");
        }
    }

    /**
     * One {@link Mac} per thread, re-keyed for each signature: {@code Mac.getInstance} looks the algorithm up in the
     * security providers on every call, and a {@code Mac} is not thread-safe, so it is never shared between threads.
     * {@code init} resets it, so nothing of a previous (even failed) use leaks into the next signature.
     */
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    static byte[] sign(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = HMAC_SHA256.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code v1,<base64>} for the given secret: used by the demo, tests and tools that send signed events. */
    public static String signature(String secret, String id, long timestamp, byte[] body) {
        byte[] k = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        return "v1," + Base64.getEncoder().encodeToString(sign(k, id, timestamp, body));
    }
}
