package com.simplecallcenter.zohosync.providers;

import com.simplecallcenter.zohosync.http.ProblemException;


import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code X-Twilio-Signature}: Base64(HMAC-SHA1(auth token, URL + every form parameter
 * as name + value, sorted by name)). The URL is the one Twilio requested: {@code scc.public-base-url} (which may carry
 * a path prefix that a proxy strips) + the request path + {@code ?} + the query string exactly as sent. Twilio is not
 * consistent about default ports, so the URL with and without {@code :443}/{@code :80} is accepted, like its SDKs do.
 */
public final class TwilioSignatureVerifier implements ProviderVerifier {

    private final Optional<byte[]> authToken;
    private final String publicBaseUrl;

    public TwilioSignatureVerifier(Optional<String> authToken, String publicBaseUrl) {
        this.authToken = authToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }

    @Override
    public boolean isConfigured() {
        return authToken.isPresent();
    }

    @Override
    public void verify(ProviderRequest request) {
        if (authToken.isEmpty()) {
            throw ProblemException.notFound("the twilio webhook is not enabled");
        }
        String header = request.header("X-Twilio-Signature");
        if (header == null || header.isBlank()) {
            throw ProblemException.unauthorized("missing-signature", "the X-Twilio-Signature header is required");
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.trim());
        } catch (IllegalArgumentException e) {
            given = new byte[0];
        }
        // a GET callback's parameters are in the URL, which is signed as it is: nothing is appended (§1.6, 9)
        Map<String, List<String>> params = !request.isGet() && request.isForm() ? request.form() : Map.of();
        boolean ok = false;
        for (String url : urls(request)) {
            // no early exit: every candidate URL is compared in constant time
            ok |= MessageDigest.isEqual(hmac(authToken.get(), data(url, params)), given);
        }
        if (!ok) {
            throw ProblemException.unauthorized("bad-signature", "X-Twilio-Signature does not match this request");
        }
    }

    /** The URL Twilio signed, and the same URL with the default port added or removed. */
    List<String> urls(ProviderRequest request) {
        String url = publicBaseUrl + request.path() + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery());
        List<String> urls = new ArrayList<>();
        urls.add(url);
        String alt = withOrWithoutDefaultPort(url);
        if (alt != null) {
            urls.add(alt);
        }
        return urls;
    }

    static String withOrWithoutDefaultPort(String url) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return null;
        }
        String scheme = url.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
        String defaultPort = scheme.equals("https") ? "443" : scheme.equals("http") ? "80" : null;
        if (defaultPort == null) {
            return null;
        }
        int authStart = schemeEnd + 3;
        int authEnd = url.length();
        for (int i = authStart; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                authEnd = i;
                break;
            }
        }
        String authority = url.substring(authStart, authEnd);
        int colon = authority.lastIndexOf(':');
        boolean hasPort = colon >= 0 && colon > authority.lastIndexOf(']');
        if (hasPort) {
            if (!authority.substring(colon + 1).equals(defaultPort)) {
                return null;
            }
            return url.substring(0, authStart) + authority.substring(0, colon) + url.substring(authEnd);
        }
        return url.substring(0, authStart) + authority + ":" + defaultPort + url.substring(authEnd);
    }

    /** URL + for each parameter name in plain string order, name + value (each distinct value, sorted). */
    static String data(String url, Map<String, List<String>> params) {
        StringBuilder b = new StringBuilder(url);
        for (Map.Entry<String, List<String>> e : new TreeMap<>(params).entrySet()) {
            for (String v : new TreeSet<>(e.getValue())) {
                b.append(e.getKey()).append(v == null ? "" : v);
            }
        }
        return b.toString();
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
