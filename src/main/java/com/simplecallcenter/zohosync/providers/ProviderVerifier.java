package com.simplecallcenter.zohosync.providers;

/**
 * Checks that a webhook comes from the provider, the provider's way, before any of it is adapted: throws a 401
 * {@link com.simplecallcenter.zohosync.http.ProblemException} otherwise. Secrets are compared in constant time and
 * never appear in a problem or a log line.
 */
public interface ProviderVerifier {

    /** False when the provider's secret is not configured: the provider is then switched off (404). */
    boolean isConfigured();

    void verify(ProviderRequest request);

    /** The verified request could not be stored (5xx): a verifier that remembers tokens forgets this one, so the retry passes. */
    default void release(ProviderRequest request) {
    }
}
