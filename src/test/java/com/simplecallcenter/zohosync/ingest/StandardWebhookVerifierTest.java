package com.simplecallcenter.zohosync.ingest;

import com.simplecallcenter.zohosync.config.SettingsException;
import com.simplecallcenter.zohosync.http.ProblemException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandardWebhookVerifierTest {

    // the test vector of the Standard Webhooks specification and its reference libraries
    static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long SPEC_TS = 1614265330L;
    static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static StandardWebhookVerifier at(long epochSecond) {
        return new StandardWebhookVerifier(Optional.of(SPEC_SECRET), "scc.webhook.secret",
                Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    private static String reason(Runnable r) {
        try {
            r.run();
            return "accepted";
        } catch (ProblemException e) {
            assertThat(e.status()).isEqualTo(401);
            return e.reason();
        }
    }

    @Test
    void specTestVectorSignsAndVerifies() {
        assertThat(StandardWebhookVerifier.signature(SPEC_SECRET, SPEC_ID, SPEC_TS, SPEC_BODY)).isEqualTo(SPEC_SIGNATURE);
        assertThatCode(() -> at(SPEC_TS).verify(SPEC_ID, String.valueOf(SPEC_TS), SPEC_SIGNATURE, SPEC_BODY)).doesNotThrowAnyException();
    }

    @Test
    void oneValidSignatureAmongSeveralIsEnough() {
        String header = "v1,Zm9vYmFy v1a,abcd " + SPEC_SIGNATURE + " v2,xyz";
        assertThat(reason(() -> at(SPEC_TS).verify(SPEC_ID, String.valueOf(SPEC_TS), header, SPEC_BODY))).isEqualTo("accepted");
    }

    @Test
    void tamperedBodyIdOrTimestampIsRefused() {
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThat(reason(() -> at(SPEC_TS).verify(SPEC_ID, String.valueOf(SPEC_TS), SPEC_SIGNATURE, tampered))).isEqualTo("bad-signature");
        assertThat(reason(() -> at(SPEC_TS).verify("msg_other", String.valueOf(SPEC_TS), SPEC_SIGNATURE, SPEC_BODY))).isEqualTo("bad-signature");
        assertThat(reason(() -> at(SPEC_TS).verify(SPEC_ID, String.valueOf(SPEC_TS + 1), SPEC_SIGNATURE, SPEC_BODY))).isEqualTo("bad-signature");
    }

    @Test
    void signatureWithAnotherSecretOrSchemeIsRefused() {
        String other = StandardWebhookVerifier.signature("whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", SPEC_ID, SPEC_TS, SPEC_BODY);
        assertThat(reason(() -> at(SPEC_TS).verify(SPEC_ID, String.valueOf(SPEC_TS), other, SPEC_BODY))).isEqualTo("bad-signature");
        String v2 = SPEC_SIGNATURE.replace("v1,", "v2,");
        assertThat(reason(() -> at(SPEC_TS).verify(SPEC_ID, String.valueOf(SPEC_TS), v2, SPEC_BODY))).isEqualTo("bad-signature");
        assertThat(reason(() -> at(SPEC_TS).verify(SPEC_ID, String.valueOf(SPEC_TS), "v1,not-base64!!", SPEC_BODY))).isEqualTo("bad-signature");
    }

    @Test
    void timestampMustBeWithinFiveMinutesEitherWay() {
        String ts = String.valueOf(SPEC_TS);
        assertThat(reason(() -> at(SPEC_TS + 300).verify(SPEC_ID, ts, SPEC_SIGNATURE, SPEC_BODY))).isEqualTo("accepted");
        assertThat(reason(() -> at(SPEC_TS - 300).verify(SPEC_ID, ts, SPEC_SIGNATURE, SPEC_BODY))).isEqualTo("accepted");
        assertThat(reason(() -> at(SPEC_TS + 301).verify(SPEC_ID, ts, SPEC_SIGNATURE, SPEC_BODY))).isEqualTo("stale-timestamp");
        assertThat(reason(() -> at(SPEC_TS - 301).verify(SPEC_ID, ts, SPEC_SIGNATURE, SPEC_BODY))).isEqualTo("stale-timestamp");
        assertThat(reason(() -> at(SPEC_TS).verify(SPEC_ID, "yesterday", SPEC_SIGNATURE, SPEC_BODY))).isEqualTo("bad-timestamp");
    }

    @Test
    void missingHeadersOrSecretAreRefused() {
        String ts = String.valueOf(SPEC_TS);
        assertThat(reason(() -> at(SPEC_TS).verify(null, ts, SPEC_SIGNATURE, SPEC_BODY))).isEqualTo("missing-signature");
        assertThat(reason(() -> at(SPEC_TS).verify(SPEC_ID, null, SPEC_SIGNATURE, SPEC_BODY))).isEqualTo("missing-signature");
        assertThat(reason(() -> at(SPEC_TS).verify(SPEC_ID, ts, "", SPEC_BODY))).isEqualTo("missing-signature");
        StandardWebhookVerifier none = new StandardWebhookVerifier(Optional.empty(), "scc.webhook.secret", Clock.systemUTC());
        assertThat(reason(() -> none.verify(SPEC_ID, ts, SPEC_SIGNATURE, SPEC_BODY))).isEqualTo("no-secret");
    }

    @Test
    void secretMustHaveTheWhsecFormAndEnoughBytes() {
        assertThatThrownBy(() -> new StandardWebhookVerifier(Optional.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "scc.webhook.secret", Clock.systemUTC()))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_WEBHOOK_SECRET").hasMessageNotContaining("MfKQ9");
        assertThatThrownBy(() -> new StandardWebhookVerifier(Optional.of("whsec_c2hvcnQ="), "scc.webhook.secret", Clock.systemUTC()))
                .isInstanceOf(SettingsException.class).hasMessageContaining("24 to 64");
        assertThatThrownBy(() -> new StandardWebhookVerifier(Optional.of("whsec_???"), "scc.webhook.secret", Clock.systemUTC()))
                .isInstanceOf(SettingsException.class).hasMessageContaining("base64");
    }
}
