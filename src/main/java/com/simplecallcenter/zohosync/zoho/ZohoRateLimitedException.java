package com.simplecallcenter.zohosync.zoho;

/**
 * 429 {@code TOO_MANY_REQUESTS} (credits of the 24-hour window or the org's concurrency limit; Zoho sends no
 * Retry-After), or Zoho's token endpoint throttled our refreshes while no valid access token is left.
 * Back off with jitter.
 */
public class ZohoRateLimitedException extends ZohoRetryableException {
    public ZohoRateLimitedException(String code, int httpStatus, String message) {
        super(code, httpStatus, null, message, null);
    }
}
