package com.simplecallcenter.zohosync.zoho;

/** A failure that the same request may not meet later: back off and try again. */
public class ZohoRetryableException extends ZohoException {
    public ZohoRetryableException(String code, int httpStatus, String field, String message, Throwable cause) {
        super(code, httpStatus, field, message, cause);
    }
}
