package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/** Zoho's error codes turned into our exception types, for top-level answers and per-record items. */
final class ZohoErrors {

    /** Codes that a later attempt may get past without anyone changing anything. */
    static final Set<String> RETRYABLE_CODES = Set.of("TOO_MANY_REQUESTS", "INTERNAL_ERROR", "RECORD_LOCKED");
    /** 401 codes that a refreshed access token may fix (refresh once, retry once). */
    static final Set<String> TOKEN_CODES = Set.of("INVALID_TOKEN", "AUTHENTICATION_FAILURE");

    private ZohoErrors() {
    }

    static String code(JsonNode error) {
        return error == null ? null : text(error.get("code"));
    }

    static String field(JsonNode error) {
        return error == null ? null : text(error.path("details").get("api_name"));
    }

    static String message(JsonNode error) {
        return error == null ? null : text(error.get("message"));
    }

    /**
     * The exception for a failed answer. {@code write}: the request changes data, so a gateway timeout means the
     * outcome is unknown rather than "nothing happened".
     */
    static ZohoException classify(String verb, int status, JsonNode error, boolean write) {
        String code = code(error);
        String field = field(error);
        String message = message(error);
        String label = code != null ? code : "HTTP_" + status;
        String text = "Zoho " + verb + " failed: HTTP " + status + " " + label + (message != null ? " (" + message + ")" : "")
                + (field != null ? " on field " + field : "");
        if (status == 429 || "TOO_MANY_REQUESTS".equals(code)) {
            return new ZohoRateLimitedException(label, status, text);
        }
        if (write && status == 504) {
            return new ZohoOutcomeUnknownException(label, status, text, null);
        }
        if (status >= 500) {
            return new ZohoUnavailableException(label, status, text, null);
        }
        if (status == 401 && (code == null || TOKEN_CODES.contains(code))) {
            return new ZohoNotConnectedException(label, text);
        }
        if (code != null && RETRYABLE_CODES.contains(code)) {
            return new ZohoRetryableException(label, status, field, text, null);
        }
        return new ZohoPermanentException(label, status, field, text);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }
}
