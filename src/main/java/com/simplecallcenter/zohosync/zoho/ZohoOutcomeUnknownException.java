package com.simplecallcenter.zohosync.zoho;

/**
 * A write was sent but its answer never came (read timeout, dropped connection, 504): Zoho may have applied it.
 * Retryable, but look the record up by our own key (COQL) before inserting again.
 */
public class ZohoOutcomeUnknownException extends ZohoRetryableException {
    public ZohoOutcomeUnknownException(String code, int httpStatus, String message, Throwable cause) {
        super(code, httpStatus, null, message, cause);
    }
}
