package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.simplecallcenter.zohosync.http.ProblemException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Vonage signed webhooks: {@code Authorization: Bearer <JWT>}, HS256 with the account
 * signature secret. Checked with the JDK alone: the algorithm must be HS256 (no {@code none}, no RS/HS confusion), the
 * HMAC-SHA256 over {@code header.payload} must match in constant time, {@code exp} (when present) must not have passed
 * (a minute of clock skew), {@code iat} must lie within {@link #WINDOW} of now, {@code payload_hash} must be the hex
 * SHA-256 of the raw body (required whenever there is a body: without it a captured token signs any body), and a
 * {@code jti} seen within the window is refused as a replay. Signed callbacks are a per-application Vonage option; once
 * {@code scc.vonage.signature-secret} is set, an unsigned callback is refused.
 */
public final class VonageJwtVerifier implements ProviderVerifier {

    static final long SKEW_SECONDS = 60;
    /** How far {@code iat} may be from now, either way; a token outside it is refused, so its jti need not be remembered longer. */
    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Optional<byte[]> secret;
    private final Clock clock;
    private final SeenTokens seen;

    public VonageJwtVerifier(Optional<String> secret, Clock clock) {
        this(secret, clock, new SeenTokens(clock));
    }

    /** @param seen shared by every verifier of the instance (tenants' verifiers are made per request) */
    public VonageJwtVerifier(Optional<String> secret, Clock clock, SeenTokens seen) {
        this.secret = secret.map(s -> s.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
        this.seen = seen;
    }

    /**
     * The {@code jti}s of accepted tokens, per tenant, for twice the {@link #WINDOW} (a token issued 5 minutes ahead
     * stays valid until 5 minutes after its iat). In memory: a replay sent to <em>another</em> instance within the window
     * is not caught there; payload_hash still pins it to the same body, which the inbox then stores only once.
     */
    public static final class SeenTokens {
        private final Cache<String, Boolean> tokens;

        public SeenTokens(Clock clock) {
            this.tokens = Caffeine.newBuilder()
                    .expireAfterWrite(WINDOW.multipliedBy(2))
                    .maximumSize(100_000)
                    .ticker(() -> clock.millis() * 1_000_000L)
                    .build();
        }

        /** True when the key is new (and now remembered). */
        boolean firstUse(String key) {
            return tokens.asMap().putIfAbsent(key, Boolean.TRUE) == null;
        }

        void forget(String key) {
            tokens.invalidate(key);
        }
    }

    @Override
    public boolean isConfigured() {
        return secret.isPresent();
    }

    @Override
    public void verify(ProviderRequest request) {
        String auth = request.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.substring(7).isBlank()) {
            throw ProblemException.unauthorized("missing-signature", "an Authorization: Bearer <signed JWT> header is required");
        }
        String jwt = auth.substring(7).trim();
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3 || secret.isEmpty()) {
            throw bad("the bearer token is not a signed JWT");
        }
        JsonNode header = decodeJson(parts[0]);
        if (!"HS256".equals(Payloads.text(header, "alg"))) {
            throw bad("the JWT must be signed with HS256");
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw bad("the JWT signature is not base64url");
        }
        byte[] expected = hmac(secret.get(), parts[0] + "." + parts[1]);
        if (!MessageDigest.isEqual(expected, given)) {
            throw bad("the JWT signature does not match");
        }
        JsonNode claims = decodeJson(parts[1]);
        long now = clock.instant().getEpochSecond();
        JsonNode exp = claims.get("exp");
        if (exp != null && exp.isNumber() && exp.asLong() + SKEW_SECONDS < now) {
            throw bad("the JWT has expired");
        }
        JsonNode iat = claims.get("iat");
        if (iat == null || !iat.isNumber()) {
            throw bad("the JWT has no iat");
        }
        if (Math.abs(iat.asLong() - now) > WINDOW.toSeconds()) {
            throw bad("the JWT was not issued within 5 minutes of now");
        }
        String hash = Payloads.text(claims, "payload_hash");
        if (hash == null && request.body() != null && request.body().length > 0) {
            throw bad("the JWT has no payload_hash for the body");
        }
        if (hash != null) {
            byte[] actual = HexFormat.of().formatHex(sha256(request.body())).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(actual, hash.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
                throw bad("payload_hash does not match the body");
            }
        }
        String jti = Payloads.text(claims, "jti");
        if (jti == null || jti.isBlank()) {
            throw bad("the JWT has no jti");
        }
        // last, so that only a token that passed every other check uses up its jti
        if (!seen.firstUse(replayKey(request, jti))) {
            throw bad("the JWT was already used (replayed jti)");
        }
    }

    /** A request accepted here but not stored (5xx): its token may come again, as the provider's retry. */
    @Override
    public void release(ProviderRequest request) {
        String auth = request.header("Authorization");
        String[] parts = auth == null ? new String[0] : auth.substring(Math.min(7, auth.length())).trim().split("\\.", -1);
        if (parts.length == 3) {
            try {
                String jti = Payloads.text(MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1])), "jti");
                if (jti != null) {
                    seen.forget(replayKey(request, jti));
                }
            } catch (Exception ignored) {
                // not a token we accepted: nothing to forget
            }
        }
    }

    private static String replayKey(ProviderRequest request, String jti) {
        return request.tenant() + "/" + jti;
    }

    private static ProblemException bad(String detail) {
        return ProblemException.unauthorized("bad-signature", detail);
    }

    private static JsonNode decodeJson(String part) {
        try {
            JsonNode n = MAPPER.readTree(Base64.getUrlDecoder().decode(part));
            if (n == null || !n.isObject()) {
                throw bad("the JWT is malformed");
            }
            return n;
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            throw bad("the JWT is malformed");
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
