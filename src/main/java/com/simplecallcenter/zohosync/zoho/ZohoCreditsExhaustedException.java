package com.simplecallcenter.zohosync.zoho;

/**
 * The tenant's Zoho credits of the last 24 hours are spent: by our count against {@code scc.zoho.daily-credits} (the
 * request was not sent), or by Zoho's own refusal (429 with {@code X-API-CREDITS-REMAINING} below the request's cost).
 * Not a {@link ZohoRetryableException}: retrying within seconds cannot help, so the work is parked until the rolling
 * window frees credits.
 */
public class ZohoCreditsExhaustedException extends ZohoException {
    public static final String CODE = "CREDITS_EXHAUSTED";

    public ZohoCreditsExhaustedException(int httpStatus, String message) {
        super(CODE, httpStatus, null, message, null);
    }
}
