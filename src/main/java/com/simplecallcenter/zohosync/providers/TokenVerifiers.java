package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.ingest.StandardWebhookVerifier;
import com.simplecallcenter.zohosync.web.ProblemException;

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
            if (t == null || !t.isTextual() || t.asText().isEmpty()) {
                throw ProblemException.unauthorized("missing-token", "the body's token is required");
            }
            if (token.isEmpty() || !Secrets.same(token.get(), t.asText())) {
                throw ProblemException.unauthorized("bad-token", "the body's token does not match");
            }
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
            if (given == null || given.isBlank()) {
                throw ProblemException.unauthorized("missing-token", "the Verification-Token header is required");
            }
            if (token.isEmpty() || !Secrets.same(token.get(), given.trim())) {
                throw ProblemException.unauthorized("bad-token", "the Verification-Token header does not match");
            }
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
            if (given == null || given.isBlank()) {
                throw ProblemException.unauthorized("missing-key", "the X-Api-Key header is required");
            }
            if (key.isEmpty() || !Secrets.same(key.get(), given.trim())) {
                throw ProblemException.unauthorized("bad-key", "the X-Api-Key header does not match");
            }
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
}
