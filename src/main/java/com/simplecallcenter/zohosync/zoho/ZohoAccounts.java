package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Zoho's accounts server: token exchange, refresh and revoke. Success is a body with
 * {@code access_token}, whatever the status: Zoho answers refusals with HTTP 200 and an {@code error} key. Failures
 * come out as {@link ZohoPermanentException} (refused: {@code code()} is Zoho's {@code error}, e.g. {@code invalid_code}),
 * {@link ZohoRateLimitedException} (the "Access Denied" throttle) or {@link ZohoUnavailableException}.
 */
final class ZohoAccounts {

    /** What the token endpoint granted. {@code refreshToken} is null on a refresh. */
    record Grant(String accessToken, String refreshToken, Duration expiresIn, String apiDomain, String scope) {
        @Override
        public String toString() {
            return "Grant[apiDomain=" + apiDomain + ", expiresIn=" + expiresIn + ", scope=" + scope + "]";
        }
    }

    static final String THROTTLED = "ACCESS_DENIED";

    private final ZohoHttp http;
    private final ObjectMapper mapper;
    private final ZohoSettings settings;

    ZohoAccounts(ZohoHttp http, ObjectMapper mapper, ZohoSettings settings) {
        this.http = http;
        this.mapper = mapper;
        this.settings = settings;
    }

    /** Exchanges a grant code at the accounts server that issued it; {@code redirectUri} is empty for a self-client code. */
    Grant exchangeCode(URI accounts, String code, Optional<String> redirectUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", settings.clientId().orElseThrow());
        form.put("client_secret", settings.clientSecret().orElseThrow());
        redirectUri.ifPresent(r -> form.put("redirect_uri", r));
        form.put("code", code);
        return grant(post(accounts, "/oauth/v2/token", form));
    }

    Grant refresh(URI accounts, String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", settings.clientId().orElseThrow());
        form.put("client_secret", settings.clientSecret().orElseThrow());
        form.put("refresh_token", refreshToken);
        return grant(post(accounts, "/oauth/v2/token", form));
    }

    /** Revokes a refresh token (and every access token minted from it). A token Zoho no longer knows counts as revoked. */
    void revoke(URI accounts, String refreshToken) {
        ZohoHttp.Answer a = post(accounts, "/oauth/v2/token/revoke", Map.of("token", refreshToken));
        if (a.status() >= 500) {
            throw new ZohoUnavailableException("HTTP_" + a.status(), a.status(), "Zoho's accounts server failed (" + a.status() + ")", null);
        }
        if (a.status() == 429 || isThrottle(json(a))) {
            throw new ZohoRateLimitedException(THROTTLED, a.status(), "Zoho's accounts server throttled the request");
        }
        // 200 {"status":"success"}; 400 for a token Zoho does not know: either way it no longer works
    }

    private ZohoHttp.Answer post(URI accounts, String path, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        try {
            return http.send("POST", accounts + path, Map.of(), "application/x-www-form-urlencoded",
                    body.toString().getBytes(StandardCharsets.UTF_8));
        } catch (ZohoHttp.TransportException e) {
            // a token request that may have been delivered is still safe to give up on: nothing is written in the CRM
            throw new ZohoUnavailableException("IO_ERROR", 0, "Zoho's accounts server " + accounts + " could not be reached: " + e.getMessage(), null);
        }
    }

    private Grant grant(ZohoHttp.Answer a) {
        JsonNode body = json(a);
        if (body != null && body.hasNonNull("access_token") && !body.path("access_token").asText().isEmpty()) {
            long expires = body.has("expires_in_sec") ? body.path("expires_in_sec").asLong(3600) : body.path("expires_in").asLong(3600);
            if (expires <= 0) {
                expires = 3600;
            }
            return new Grant(body.path("access_token").asText(),
                    body.hasNonNull("refresh_token") ? body.path("refresh_token").asText() : null,
                    Duration.ofSeconds(expires),
                    body.hasNonNull("api_domain") ? body.path("api_domain").asText() : null,
                    body.hasNonNull("scope") ? body.path("scope").asText() : null);
        }
        if (isThrottle(body) || a.status() == 429) {
            throw new ZohoRateLimitedException(THROTTLED, a.status(), "Zoho throttled token requests (too many in 10 minutes)");
        }
        if (a.status() >= 500 || body == null) {
            throw new ZohoUnavailableException("HTTP_" + a.status(), a.status(), "Zoho's accounts server gave no usable answer (HTTP " + a.status() + ")", null);
        }
        String error = body.hasNonNull("error") ? body.path("error").asText() : "no_access_token";
        throw new ZohoPermanentException(safe(error), a.status(), null, "Zoho refused the token request (" + safe(error) + ")");
    }

    private static boolean isThrottle(JsonNode body) {
        if (body == null) {
            return false;
        }
        String error = body.path("error").asText("");
        String description = body.path("error_description").asText("");
        return error.equalsIgnoreCase("Access Denied") || description.toLowerCase().contains("too many requests");
    }

    private JsonNode json(ZohoHttp.Answer a) {
        try {
            JsonNode n = mapper.readTree(a.body());
            return n != null && n.isObject() ? n : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Zoho's error codes are short identifiers; anything else is not echoed (it could be anything). */
    private static String safe(String error) {
        return error.matches("[A-Za-z0-9_ .-]{1,64}") ? error : "unexpected_error";
    }
}
