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
 * <p>The admin page ({@code /admin}) signs a browser in once, with the operator's token or a tenant admin's, and then
 * carries a session cookie: {@code who.expiry.HMAC-SHA256(operator token, "scc-admin-session|" + who + "|" + expiry)},
 * {@code who} being {@value #OPERATOR} or the tenant's id; HttpOnly, SameSite=Strict, Secure behind https. Nothing is
 * stored server-side; changing SCC_ADMIN_TOKEN ends every session, disabling a tenant ends its admins' sessions. The page's forms carry a CSRF
 * token derived from the cookie. The cookie is accepted only by the admin page and the connect redirect, never by the
 * JSON admin API, which keeps requiring the bearer token.
 */
public final class AdminAuth {

    /** {@code __Host-}: the browser keeps it only if Secure, for this host and path / only (no subdomain can set it). */
    public static final String COOKIE = "__Host-scc_admin";
    public static final Duration SESSION = Duration.ofHours(8);

    /** The {@code who} of an operator's session. */
    public static final String OPERATOR = "_operator"; // "_" is never in a tenant id: no tenant can pass for the operator

    /** A signed-in browser: the cookie's value, and whose it is (a tenant's id, or null for the operator). */
    public record Session(String value, String tenant) {
        public boolean isOperator() {
            return tenant == null;
        }
    }

    private final Optional<byte[]> token;
    private final Clock clock;
    private final java.util.function.Predicate<String> tenantActive;

    /** {@code tenantActive}: whether a tenant exists and is not disabled (a tenant admin's session lives only as long). */
    private final com.simplecallcenter.zohosync.http.FailureLimiter limiter;
    private final javax.sql.DataSource dataSource;

    /** {@code dataSource}: where signed-out sessions are remembered (table admin_session_ended), for every instance. */
    public AdminAuth(Optional<String> token, Clock clock, java.util.function.Predicate<String> tenantActive,
                     com.simplecallcenter.zohosync.http.FailureLimiter limiter, javax.sql.DataSource dataSource) {
        this.limiter = limiter;
        this.dataSource = dataSource;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
        this.tenantActive = tenantActive;
    }

    /** The limiter of failed attempts, for the sign-in form (which answers HTML, not problems). */
    public com.simplecallcenter.zohosync.http.FailureLimiter limiter() {
        return limiter;
    }

    public boolean isEnabled() {
        return token.isPresent();
    }

    /** Route step: throws a 401 problem unless the request carries the admin bearer token. */
    public void check(Exchange exchange) {
        if (token.isEmpty()) {
            throw ProblemException.unauthorized("admin-disabled", "the admin API is disabled: SCC_ADMIN_TOKEN is not set");
        }
        // an address that failed too often is refused before its token is looked at (429)
        limiter.checkSignIn(exchange);
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

    /**
     * Route step for pages a browser opens from the admin page: the operator's bearer token, or a valid session cookie.
     * A tenant admin's session opens only its own tenant: another tenant named in the query is a 404.
     */
    public void checkBrowser(Exchange exchange) {
        Optional<Session> s = token.isPresent() && !hasBearer(exchange) ? session(exchange) : Optional.empty();
        if (s.isPresent()) {
            if (s.get().isOperator()) {
                defaultTenant(exchange);
                return;
            }
            String named = exchange.getMessage().getHeader("tenant", String.class);
            if (named != null && !named.equals(s.get().tenant())) {
                throw ProblemException.notFound("no such tenant");
            }
            com.simplecallcenter.zohosync.http.Tenancy.set(exchange, s.get().tenant());
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

    /** A new session cookie value for the operator ({@code tenant} null) or a tenant's admin, valid for {@link #SESSION}. */
    public String newSession(String tenant) {
        String who = tenant == null ? OPERATOR : tenant;
        long expiry = clock.instant().plus(SESSION).getEpochSecond();
        return who + "." + expiry + "." + mac("scc-admin-session|" + who + "|" + expiry);
    }

    /**
     * The request's valid session, if any: signature checked in constant time, not expired, and for a tenant admin's
     * session, the tenant still active.
     */
    public Optional<Session> session(Exchange exchange) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        String value = cookie(exchange.getMessage().getHeader("Cookie", String.class), COOKIE);
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[0].length() > 40 || parts[1].isEmpty() || parts[1].length() > 19
                || !parts[1].chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        String who = parts[0];
        byte[] expected = mac("scc-admin-session|" + who + "|" + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] given = parts[2].getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given) || Long.parseLong(parts[1]) <= clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        if (ended(value)) {
            return Optional.empty();
        }
        if (who.equals(OPERATOR)) {
            return Optional.of(new Session(value, null));
        }
        return tenantActive.test(who) ? Optional.of(new Session(value, who)) : Optional.empty();
    }

    /** Signs a session out for good: remembered until its expiry, so a copied cookie is no session any more. */
    public void end(Session session) {
        String[] parts = session.value().split("\\.");
        java.time.Instant expiry = java.time.Instant.ofEpochSecond(Long.parseLong(parts[1]));
        try (java.sql.Connection c = dataSource.getConnection()) {
            try (java.sql.PreparedStatement ps = c.prepareStatement("DELETE FROM admin_session_ended WHERE expires_at < now()")) {
                ps.executeUpdate();
            }
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO admin_session_ended (session_hash, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, sha256(session.value()));
                ps.setTimestamp(2, java.sql.Timestamp.from(expiry));
                ps.executeUpdate();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not end the admin session: " + e.getSQLState(), e);
        }
    }

    private boolean ended(String value) {
        try (java.sql.Connection c = dataSource.getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT 1 FROM admin_session_ended WHERE session_hash = ?")) {
            ps.setString(1, sha256(value));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (java.sql.SQLException e) {
            // cannot tell: a session that might have been ended is not honoured
            return true;
        }
    }

    private static String sha256(String value) {
        return com.simplecallcenter.zohosync.http.SecretHash.of(value);
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
