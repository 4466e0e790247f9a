package com.simplecallcenter.zohosync.zoho;

/**
 * Zoho refused the request for a reason that retrying cannot fix ({@code INVALID_DATA}, {@code MANDATORY_NOT_FOUND},
 * {@code NO_PERMISSION}, {@code DEPENDENT_MISMATCH}, {@code OAUTH_SCOPE_MISMATCH}, ...): fix the data or the setup.
 */
public class ZohoPermanentException extends ZohoException {
    public ZohoPermanentException(String code, int httpStatus, String field, String message) {
        super(code, httpStatus, field, message, null);
    }
}
