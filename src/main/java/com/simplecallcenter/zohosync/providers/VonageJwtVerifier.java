package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.http.ProblemException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Vonage signed webhooks: {@code Authorization: Bearer <JWT>}, HS256 with the account
 * signature secret. Checked with the JDK alone: the algorithm must be HS256 (no {@code none}, no RS/HS confusion), the
 * HMAC-SHA256 over {@code header.payload} must match in constant time, {@code exp} (when present) must not have passed
 * and {@code iat} must not lie in the future (both with a minute of clock skew), and {@code payload_hash} (when
 * present) must be the hex SHA-256 of the raw body. Signed callbacks are a per-application Vonage option; once
 * {@code scc.vonage.signature-secret} is set, an unsigned callback is refused.
 */
public final class VonageJwtVerifier implements ProviderVerifier {

    static final long SKEW_SECONDS = 60;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Optional<byte[]> secret;
    private final Clock clock;

    public VonageJwtVerifier(Optional<String> secret, Clock clock) {
        this.secret = secret.map(s -> s.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
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
        if (iat != null && iat.isNumber() && iat.asLong() - SKEW_SECONDS > now) {
            throw bad("the JWT was issued in the future");
        }
        String hash = Payloads.text(claims, "payload_hash");
        if (hash != null) {
            byte[] actual = HexFormat.of().formatHex(sha256(request.body())).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(actual, hash.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
                throw bad("payload_hash does not match the body");
            }
        }
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
