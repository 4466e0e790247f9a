package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The providers whose authenticity is a shared secret or a Standard Webhooks signature. */
public final class TokenVerifiers {

    private TokenVerifiers() {
    }

    /** Aircall: the top-level {@code token} of the JSON body (no signature exists), compared in constant time. */
    public static final class Aircall implements ProviderVerifier {
        private final Optional<byte[]> token;

        public Aircall(Optional<String> token) {
            this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean isConfigured() {
            return token.isPresent();
        }

        @Override
        public void verify(ProviderRequest request) {
            JsonNode body = request.json();
            JsonNode t = body.isObject() ? body.get("token") : null;
            check(token, t == null || !t.isTextual() ? null : t.asText(), "token", "the body's token");
        }
    }

    /**
     * RingCentral: the {@code Verification-Token} header of each delivery (the subscription's
     * {@code deliveryMode.verificationToken}). One RingCentral page shows it arriving as {@code Validation-Token};
     * on a delivery (a request with a body) that header is accepted too.
     */
    public static final class RingCentral implements ProviderVerifier {
        private final Optional<byte[]> token;

        public RingCentral(Optional<String> token) {
            this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean isConfigured() {
            return token.isPresent();
        }

        @Override
        public void verify(ProviderRequest request) {
            String given = request.header("Verification-Token");
            if (given == null) {
                given = request.header("Validation-Token");
            }
            check(token, given == null ? null : given.trim(), "token", "the Verification-Token header");
        }
    }

    /** 3CX: the {@code X-Api-Key} header that the CRM template adds, compared in constant time. */
    public static final class ThreeCx implements ProviderVerifier {
        private final Optional<byte[]> key;

        public ThreeCx(Optional<String> key) {
            this.key = key.map(t -> t.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean isConfigured() {
            return key.isPresent();
        }

        @Override
        public void verify(ProviderRequest request) {
            String given = request.header("X-Api-Key");
            check(key, given == null ? null : given.trim(), "key", "the X-Api-Key header");
        }
    }

    /** Asterisk/FreePBX bridge: a Standard Webhooks signature with {@code scc.asterisk.webhook-secret}. */
    public static final class Asterisk implements ProviderVerifier {
        private final StandardWebhookVerifier verifier;

        public Asterisk(StandardWebhookVerifier verifier) {
            this.verifier = verifier;
        }

        @Override
        public boolean isConfigured() {
            return verifier.isConfigured();
        }

        @Override
        public void verify(ProviderRequest request) {
            verifier.verify(request.header("webhook-id"), request.header("webhook-timestamp"),
                    request.header("webhook-signature"), request.body());
        }
    }

    /** A shared secret as the provider sends it: 401 {@code missing-<kind>} when absent, {@code bad-<kind>} unless equal (constant time). */
    private static void check(Optional<byte[]> secret, String given, String kind, String where) {
        if (given == null || given.isBlank()) {
            throw ProblemException.unauthorized("missing-" + kind, where + " is required");
        }
        if (secret.isEmpty() || !Secrets.same(secret.get(), given)) {
            throw ProblemException.unauthorized("bad-" + kind, where + " does not match");
        }
    }
}
