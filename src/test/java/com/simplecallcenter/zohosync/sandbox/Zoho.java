package com.simplecallcenter.zohosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A plain HTTP client for the sandbox tests: what a Zoho integration would send, nothing more. */
final class Zoho {

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CLIENT_ID = "1000.TESTCLIENT";
    static final String SECRET = "s3cret";
    static final String REDIRECT = "http://127.0.0.1:1/callback";
    static final String ALL_SCOPES = ZohoSandbox.DEMO_SCOPES;

    record Response(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private final ZohoSandbox sb;
    String accessToken;

    Zoho(ZohoSandbox sb) {
        this.sb = sb;
    }

    /** Registers the test client and exchanges a self-client code for an access token with these scopes. */
    static Zoho connected(ZohoSandbox sb, String scopes) {
        sb.registerClient(CLIENT_ID, SECRET, REDIRECT);
        Zoho z = new Zoho(sb);
        Response r = z.token(Map.of("grant_type", "authorization_code", "client_id", CLIENT_ID,
                "client_secret", SECRET, "code", sb.issueGrantCode(CLIENT_ID, scopes)));
        z.accessToken = r.json().get("access_token").asText();
        return z;
    }

    Response token(Map<String, String> form) {
        return post(sb.accountsUrl() + "/oauth/v2/token", form(form), "application/x-www-form-urlencoded", null);
    }

    Response get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(sb.apiDomain() + pathAndQuery)).GET(), accessToken);
    }

    Response post(String path, String json) {
        return post(sb.apiDomain() + path, json, "application/json", accessToken);
    }

    Response put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(sb.apiDomain() + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), accessToken);
    }

    Response coql(String query) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("select_query", query);
        try {
            return post("/crm/v8/coql", JSON.writeValueAsString(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Response post(String url, String body, String contentType, String token) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    static Response send(HttpRequest.Builder b, String token) {
        if (token != null) {
            b.header("Authorization", "Zoho-oauthtoken " + token);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
