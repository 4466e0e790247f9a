package com.simplecallcenter.zohosync.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jackson plumbing and deep copies, so nobody outside the sandbox's lock ever holds a live record map. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a request body as a JSON object; a body that is not one is Zoho's INVALID_DATA. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String body) {
        if (body == null || body.isBlank()) {
            throw new ZohoError(400, "INVALID_DATA", "body", Map.of());
        }
        try {
            Object v = MAPPER.readValue(body, Object.class);
            if (v instanceof Map) {
                return (Map<String, Object>) v;
            }
        } catch (JsonProcessingException e) {
            // fall through
        }
        throw new ZohoError(400, "INVALID_DATA", "the input is not a valid JSON object", Map.of());
    }

    @SuppressWarnings("unchecked")
    static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, x) -> c.put((String) k, copy(x)));
            return c;
        }
        if (v instanceof List<?> l) {
            List<Object> c = new ArrayList<>(l.size());
            l.forEach(x -> c.add(copy(x)));
            return c;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> copyMap(Map<String, Object> m) {
        return m == null ? null : (Map<String, Object>) copy(m);
    }
}
