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

    /** The reference: a fresh Mac for every signature, as before the verifier kept one per thread. */
    private static byte[] freshMac(byte[] key, String id, long ts, byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
        return mac.doFinal(body);
    }

    @Test
    void theMacKeptPerThreadSignsCorrectlyUnderConcurrencyWithKeysInterleaved() throws Exception {
        // several threads, each alternating between two tenants' keys and bodies of varying length: every signature must
        // equal one made with a fresh Mac (no state or key carried from one use, or one thread, to another)
        byte[][] keys = {java.util.Base64.getDecoder().decode(SPEC_SECRET.substring("whsec_".length())), new byte[32]};
        java.util.Arrays.fill(keys[1], (byte) 7);
        int threads = 8;
        int rounds = 2_000;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int i = 0; i < rounds; i++) {
                        byte[] key = keys[(thread + i) % 2];
                        String id = "msg_" + thread + "_" + i;
                        byte[] body = ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 97) + "\"}").getBytes(StandardCharsets.UTF_8);
                        byte[] got = StandardWebhookVerifier.sign(key, id, SPEC_TS + i, body);
                        if (!java.util.Arrays.equals(got, freshMac(key, id, SPEC_TS + i, body))) {
                            throw new AssertionError("wrong signature in thread " + thread + " round " + i);
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Integer> f : results) {
                assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(rounds);
            }
        } finally {
            pool.shutdownNow();
        }
        // and the verifier still accepts the spec's vector and refuses a tampered body on the same threads' Macs
        assertThat(reason(() -> at(SPEC_TS).verify(SPEC_ID, String.valueOf(SPEC_TS), SPEC_SIGNATURE, SPEC_BODY))).isEqualTo("accepted");
        assertThat(reason(() -> at(SPEC_TS).verify(SPEC_ID, String.valueOf(SPEC_TS), SPEC_SIGNATURE, "{}".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("bad-signature");
    }
}
