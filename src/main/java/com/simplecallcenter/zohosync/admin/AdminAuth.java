package com.simplecallcenter.zohosync.admin;

import com.simplecallcenter.zohosync.http.BearerToken;
import com.simplecallcenter.zohosync.http.ProblemException;
import org.apache.camel.Exchange;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Guards {@code /api/v1/admin/**}, the OAuth connect page and call look-ups: {@code Authorization: Bearer $SCC_ADMIN_TOKEN},
 * compared in constant time. Without a configured token the admin API is disabled (every request is 401).
 *
 * <p>The admin page ({@code /admin}) signs a browser in with the same token, once, and then carries a session cookie:
 * {@code expiry.HMAC-SHA256(admin token, "scc-admin-session|" + expiry)}, HttpOnly, SameSite=Strict, Secure behind
 * https. Nothing is stored server-side; changing SCC_ADMIN_TOKEN ends every session. The page's forms carry a CSRF
 * token derived from the cookie. The cookie is accepted only by the admin page and the connect redirect, never by the
 * JSON admin API, which keeps requiring the bearer token.
 */
public final class AdminAuth {

    public static final String COOKIE = "scc_admin";
    public static final Duration SESSION = Duration.ofHours(8);

    private final Optional<byte[]> token;
    private final Clock clock;

    public AdminAuth(Optional<String> token, Clock clock) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    public boolean isEnabled() {
        return token.isPresent();
    }

    /** Route step: throws a 401 problem unless the request carries the admin bearer token. */
    public void check(Exchange exchange) {
        if (token.isEmpty()) {
            throw ProblemException.unauthorized("admin-disabled", "the admin API is disabled: SCC_ADMIN_TOKEN is not set");
        }
        if (!hasBearer(exchange)) {
            throw ProblemException.unauthorized("bad-admin-token", "a valid admin bearer token is required");
        }
        defaultTenant(exchange);
    }

    /** The paths that name no tenant belong to the tenant default. */
    private static void defaultTenant(Exchange exchange) {
        if (exchange.getProperty(com.simplecallcenter.zohosync.http.Tenancy.HEADER) == null) {
            com.simplecallcenter.zohosync.http.Tenancy.set(exchange, com.simplecallcenter.zohosync.http.Tenancy.DEFAULT);
        }
    }

    /** Route step for pages a browser opens from the admin page: the bearer token or a valid admin session cookie. */
    public void checkBrowser(Exchange exchange) {
        if (token.isPresent() && !hasBearer(exchange) && session(exchange).isPresent()) {
            defaultTenant(exchange);
            return;
        }
        check(exchange);
    }

    /** Whether this token is the admin token (constant time); false when the admin is disabled. */
    public boolean matches(String given) {
        return token.isPresent() && BearerToken.matches(token.get(), given);
    }

    private boolean hasBearer(Exchange exchange) {
        return matches(BearerToken.of(exchange));
    }

    // ------------------------------------------------------------------ browser sessions

    /** A new session cookie value, valid for {@link #SESSION}. */
    public String newSession() {
        long expiry = clock.instant().plus(SESSION).getEpochSecond();
        return expiry + "." + mac("scc-admin-session|" + expiry);
    }

    /** The request's valid session cookie value, if any (signature checked in constant time, not expired). */
    public Optional<String> session(Exchange exchange) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        String value = cookie(exchange.getMessage().getHeader("Cookie", String.class), COOKIE);
        if (value == null) {
            return Optional.empty();
        }
        int dot = value.indexOf('.');
        if (dot <= 0 || dot > 19) {
            return Optional.empty();
        }
        String expiry = value.substring(0, dot);
        if (!expiry.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        byte[] expected = mac("scc-admin-session|" + expiry).getBytes(StandardCharsets.US_ASCII);
        byte[] given = value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given) || Long.parseLong(expiry) <= clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** The CSRF token the page's forms carry for this session. */
    public String csrf(String session) {
        return mac("scc-admin-csrf|" + session);
    }

    public boolean validCsrf(String session, String given) {
        return given != null && MessageDigest.isEqual(csrf(session).getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    /** One cookie's value from a Cookie header, or null. */
    static String cookie(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return null;
    }

    private String mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.orElseThrow(), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
