package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One provider webhook as it arrived: the raw body bytes (signatures are computed over them), the request headers
 * (case-insensitive), the path and raw query string (Twilio signs the URL), and the sender's phone region and time
 * zone (the {@code region}/{@code tz} query parameters, else the defaults). Bodies are parsed on first use.
 */
public final class ProviderRequest {

    private final String provider;
    private final byte[] body;
    private final Map<String, String> headers;
    private final String path;
    private final String rawQuery;
    private final String region;
    private final ZoneId zone;
    private final boolean get;
    private String tenant = com.simplecallcenter.zohosync.http.Tenancy.DEFAULT;
    private JsonNode json;
    private Map<String, List<String>> form;

    public ProviderRequest(String provider, byte[] body, Map<String, String> headers, String path, String rawQuery,
                           String region, ZoneId zone) {
        this(provider, body, headers, path, rawQuery, region, zone, false);
    }

    /** {@code get}: a GET callback (Twilio's {@code StatusCallbackMethod=GET}), whose parameters are the query string. */
    public ProviderRequest(String provider, byte[] body, Map<String, String> headers, String path, String rawQuery,
                           String region, ZoneId zone, boolean get) {
        this.get = get;
        this.provider = provider;
        this.body = body == null ? new byte[0] : body;
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            h.putAll(headers);
        }
        this.headers = Collections.unmodifiableMap(h);
        this.path = path;
        this.rawQuery = rawQuery == null ? "" : rawQuery;
        this.region = region;
        this.zone = zone;
    }

    public String provider() {
        return provider;
    }

    /** The tenant whose URL the request came to. */
    public String tenant() {
        return tenant;
    }

    ProviderRequest forTenant(String tenant) {
        this.tenant = tenant;
        return this;
    }

    public byte[] body() {
        return body;
    }

    /** The header's value, or null when absent. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The request path as the server saw it, e.g. {@code /api/v1/webhooks/twilio}. */
    public String path() {
        return path;
    }

    /** The query string exactly as sent (not decoded), without the {@code ?}; empty when there is none. */
    public String rawQuery() {
        return rawQuery;
    }

    /** The first value of a query parameter, decoded; null when absent or blank. */
    public String query(String name) {
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String n = eq < 0 ? pair : pair.substring(0, eq);
            if (!n.isEmpty() && Payloads.decode(n).equals(name)) {
                String v = eq < 0 ? "" : Payloads.decode(pair.substring(eq + 1)).trim();
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    /** ISO 3166-1 alpha-2 region for numbers written without a country code. */
    public String region() {
        return region;
    }

    /** Time zone of zone-less times (PBX local time). */
    public ZoneId zone() {
        return zone;
    }

    /** The body as JSON; a 400 problem when it is not well-formed UTF-8 JSON. */
    public JsonNode json() {
        if (json == null) {
            json = Payloads.json(body);
        }
        return json;
    }

    /**
     * The body as {@code application/x-www-form-urlencoded} parameters, decoded (for a GET callback: the query string's);
     * a 400 problem when malformed.
     */
    public Map<String, List<String>> form() {
        if (form == null) {
            form = Payloads.form(get ? rawQuery.getBytes(java.nio.charset.StandardCharsets.UTF_8) : body);
        }
        return form;
    }

    public boolean isGet() {
        return get;
    }

    public boolean isForm() {
        if (get) {
            return true;
        }
        String ct = header("Content-Type");
        return ct != null && ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }
}
