package com.simplecallcenter.zohosync.zoho;

/**
 * Zoho answered with an error, or could not be asked. Routes select on the subclasses: {@link ZohoRetryableException}
 * (try again later), {@link ZohoPermanentException} (retrying cannot fix it), {@link ZohoNotConnectedException} (no
 * usable connection: wait for an admin). The message never carries a token.
 */
public class ZohoException extends RuntimeException {

    private final String code;
    private final int httpStatus;
    private final String field;

    public ZohoException(String code, int httpStatus, String field, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.httpStatus = httpStatus;
        this.field = field;
    }

    /** Zoho's error code ({@code INVALID_DATA}, {@code TOO_MANY_REQUESTS}, ...) or ours for transport failures ({@code IO_ERROR}). */
    public String code() {
        return code;
    }

    /** The HTTP status Zoho answered with; 0 when there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The API name of the field the error is about ({@code details.api_name}), or null. */
    public String field() {
        return field;
    }
}
