package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.http.FieldError;
import com.simplecallcenter.zohosync.http.ProblemException;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading provider bodies: JSON and form-encoded, each failure a 400 problem naming what is wrong. */
public final class Payloads {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Payloads() {
    }

    public static ProblemException invalid(String field, String message) {
        return ProblemException.badRequest("the webhook cannot be read: " + field + " " + message,
                List.of(new FieldError(field, message)));
    }

    static String utf8(byte[] body) {
        int offset = body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, offset, body.length - offset)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("$", "is not valid UTF-8");
        }
    }

    public static JsonNode json(byte[] body) {
        String text = utf8(body);
        if (text.isBlank()) {
            throw invalid("$", "is empty: a JSON body is required");
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw invalid("$", "is empty: a JSON body is required");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw invalid("$", "is not well-formed JSON" + where);
        } catch (IOException e) {
            throw invalid("$", "could not be read");
        }
    }

    /** Decoded form parameters in body order; a repeated name keeps every value. */
    public static Map<String, List<String>> form(byte[] body) {
        String text = utf8(body);
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return params;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    public static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("$", "is not valid application/x-www-form-urlencoded");
        }
    }

    /** The first value of a form parameter, or null (blank values count as absent). */
    public static String first(Map<String, List<String>> form, String name) {
        List<String> v = form.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        String s = withoutNul(v.get(0)).trim();
        return s.isEmpty() ? null : s;
    }

    /** A text field of a JSON object, or null when absent, null or blank; numbers are read as their text. */
    public static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = withoutNul(v.asText()).trim();
        return s.isEmpty() ? null : s;
    }

    /** NUL is valid in JSON and forms but PostgreSQL's jsonb and Zoho refuse it: it is dropped from what we read. */
    public static String withoutNul(String s) {
        return s.indexOf('\u0000') < 0 ? s : s.replace("\u0000", "");
    }

    /** A whole number field (a number or numeric string), or null; a 400 when it is something else. */
    public static Long number(JsonNode node, String field, String path) {
        String s = text(node, field);
        if (s == null) {
            return null;
        }
        try {
            if (s.contains(".")) {
                return (long) Double.parseDouble(s);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw invalid(path, "must be a number");
        }
    }
}
