package com.simplecallcenter.zohosync.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/** An answer in Zoho's error shape {@code {code, details, message, status:"error"}}, thrown from deep inside a handler. */
final class ZohoError extends RuntimeException {

    final int httpStatus;
    final String code;
    final Map<String, Object> details;

    ZohoError(int httpStatus, String code, String message, Map<String, Object> details) {
        super(message);
        this.httpStatus = httpStatus;
        this.code = code;
        this.details = details == null ? Map.of() : details;
    }

    ZohoError(int httpStatus, String code, String message) {
        this(httpStatus, code, message, Map.of());
    }

    Map<String, Object> body() {
        return body(code, details, getMessage());
    }

    static Map<String, Object> body(String code, Map<String, Object> details, String message) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("code", code);
        b.put("details", details == null ? Map.of() : details);
        b.put("message", message);
        b.put("status", "error");
        return b;
    }

    /** Zoho's wording for the codes the knobs inject; anything else gets a readable form of the code. */
    static String defaultMessage(String code) {
        return switch (code) {
            case "TOO_MANY_REQUESTS" -> "Number of API requests for the 24 hour period is exceeded or the concurrency"
                    + " limit of the user for the app is exceeded";
            case "INTERNAL_ERROR" -> "Internal Server Error";
            case "INVALID_TOKEN" -> "invalid oauth token";
            case "AUTHENTICATION_FAILURE" -> "Authentication failed";
            case "OAUTH_SCOPE_MISMATCH" -> "invalid oauth scope to access this URL";
            case "INVALID_DATA" -> "invalid data";
            case "MANDATORY_NOT_FOUND" -> "required field not found";
            case "DUPLICATE_DATA" -> "duplicate data";
            default -> code.toLowerCase().replace('_', ' ');
        };
    }

    static ZohoError of(int httpStatus, String code) {
        return new ZohoError(httpStatus, code, defaultMessage(code));
    }

    static ZohoError invalidData(String message, Map<String, Object> details) {
        return new ZohoError(400, "INVALID_DATA", message, details);
    }

    static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            d.put((String) keyValues[i], keyValues[i + 1]);
        }
        return d;
    }
}
