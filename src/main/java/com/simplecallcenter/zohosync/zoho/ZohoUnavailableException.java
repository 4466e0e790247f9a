package com.simplecallcenter.zohosync.zoho;

/** Zoho could not be reached or failed on its side (5xx, connection refused, a read that nothing was written by). */
public class ZohoUnavailableException extends ZohoRetryableException {
    public ZohoUnavailableException(String code, int httpStatus, String message, Throwable cause) {
        super(code, httpStatus, null, message, cause);
    }
}
