package com.simplecallcenter.zohosync.providers;

import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.support.AdjustableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static com.simplecallcenter.zohosync.providers.VonageWebhookTest.jwt;
import static com.simplecallcenter.zohosync.providers.VonageWebhookTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Vonage signed-callback checks on their own: a body needs its payload_hash, iat within 5 minutes of now (either
 * way), and a token is good once. The body is Vonage's own webhook-reference example of a completed call.
 */
class VonageJwtVerifierTest {

    static final String SECRET = "vonage-signature-secret-for-the-unit-test";
    final AdjustableClock clock = new AdjustableClock();
    final VonageJwtVerifier verifier = new VonageJwtVerifier(Optional.of(SECRET), clock);

    static String body() {
        try {
            return Files.readString(Path.of("src/test/resources/conformance/vonage/webhook-reference-completed.json")).strip();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    static ProviderRequest request(String body, String claims) {
        return new ProviderRequest("vonage", body.getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", "Bearer " + jwt(SECRET, "HS256", claims)), "/api/v1/webhooks/vonage", "", "US", ZoneOffset.UTC);
    }

    String claims(long iat, String jti, String body) {
        return "{\"iat\":" + iat + ",\"jti\":\"" + jti + "\",\"iss\":\"Vonage\",\"application_id\":\"aaaaaaaa-bbbb-cccc-dddd-0123456789ab\""
                + (body == null ? "" : ",\"payload_hash\":\"" + sha256(body) + "\"") + "}";
    }

    @Test
    void aSignedTokenWithItsBodysHashIsAccepted() {
        String body = body();
        assertThatCode(() -> verifier.verify(request(body, claims(now(), "jti-ok", body)))).doesNotThrowAnyException();
    }

    @Test
    void aBodyWithoutPayloadHashIsRefused() {
        // without payload_hash a captured token would sign any body the holder likes
        String body = body();
        assertRefused(request(body, claims(now(), "jti-no-hash", null)), "payload_hash");
        // an empty body has nothing to pin
        assertThatCode(() -> verifier.verify(request("", claims(now(), "jti-empty", null)))).doesNotThrowAnyException();
    }

    @Test
    void iatMustBeWithinFiveMinutesEitherWay() {
        String body = body();
        assertRefused(request(body, claims(now() - 301, "jti-old", body)), "5 minutes");
        assertRefused(request(body, claims(now() + 301, "jti-ahead", body)), "5 minutes");
        assertRefused(request(body, "{\"jti\":\"jti-no-iat\",\"payload_hash\":\"" + sha256(body) + "\"}"), "iat");
        assertThatCode(() -> verifier.verify(request(body, claims(now() - 299, "jti-edge-old", body)))).doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(request(body, claims(now() + 299, "jti-edge-ahead", body)))).doesNotThrowAnyException();
    }

    @Test
    void aReplayedTokenIsRefusedWithinTheWindow() {
        String body = body();
        ProviderRequest first = request(body, claims(now(), "jti-replayed", body));
        verifier.verify(first);
        assertRefused(request(body, claims(now(), "jti-replayed", body)), "already used");
        // still within the window four minutes later, and never accepted again: by then iat is out of the window too
        clock.advance(Duration.ofMinutes(4));
        assertRefused(request(body, claims(now() - 240, "jti-replayed", body)), "already used");
        clock.advance(Duration.ofMinutes(7));
        assertRefused(request(body, claims(now() - 660, "jti-replayed", body)), "5 minutes");
        // the same jti in another tenant is that tenant's business
        assertThatCode(() -> verifier.verify(request(body, claims(now(), "jti-replayed", body)).forTenant("acme")))
                .doesNotThrowAnyException();
    }

    @Test
    void aTokenWhoseRequestWasNotStoredMayComeAgain() {
        String body = body();
        ProviderRequest r = request(body, claims(now(), "jti-retry", body));
        verifier.verify(r);
        verifier.release(r);
        assertThatCode(() -> verifier.verify(request(body, claims(now(), "jti-retry", body)))).doesNotThrowAnyException();
    }

    @Test
    void aTokenWithoutJtiIsRefused() {
        String body = body();
        assertRefused(request(body, "{\"iat\":" + now() + ",\"payload_hash\":\"" + sha256(body) + "\"}"), "jti");
    }

    private void assertRefused(ProviderRequest r, String why) {
        assertThatThrownBy(() -> verifier.verify(r)).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(401))
                .hasMessageContaining(why);
    }
}
