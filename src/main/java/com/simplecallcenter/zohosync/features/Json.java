package com.simplecallcenter.zohosync.features;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading Zoho's JSON records. */
final class Json {

    private Json() {
    }

    /** A text field, or the {@code id} of a lookup; null when absent, null or blank. */
    static String text(JsonNode r, String field) {
        JsonNode v = r == null ? null : r.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isObject()) {
            v = v.get("id");
            if (v == null || v.isNull()) {
                return null;
            }
        }
        String s = v.asText();
        return s.isBlank() ? null : s;
    }
}
