package com.simplecallcenter.zohosync.zoho;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The SQL of table {@code zoho_oauth_state}: the CSRF {@code state} of each consent round trip. A state is 256 random
 * bits, single-use and valid for {@link #TTL}; only its SHA-256 is stored. It is bound to the browser that started the
 * consent by a nonce (a cookie there; its SHA-256 here): a consent URL alone, copied or leaked, connects nothing.
 */
final class OAuthStateStore {

    static final Duration TTL = Duration.ofMinutes(10);
    /** What {@link #issue} makes: 32 random bytes, base64url without padding. */
    private static final java.util.regex.Pattern ISSUED = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");

    enum Check { OK, MISSING, UNKNOWN, EXPIRED, REUSED, OTHER_BROWSER }

    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    OAuthStateStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The result of a callback's state: the check and, when known, the tenant whose admin started the consent. */
    record Use(Check check, String tenant) {
    }

    /** A fresh random value for a state or a nonce: 256 bits, URL-safe. */
    String random() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * A fresh state naming the tenant and bound to {@code nonce} (the starting browser's cookie), stored; states that
     * expired a day ago are swept on the way.
     */
    String issue(String tenant, String nonce) {
        String state = random();
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM zoho_oauth_state WHERE expires_at < ?")) {
                ps.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(1))));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO zoho_oauth_state (state_hash, created_at, expires_at, tenant_id, nonce_hash) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, hash(state));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setTimestamp(3, Timestamp.from(now.plus(TTL)));
                ps.setString(4, tenant);
                ps.setString(5, hash(nonce));
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw ZohoConnectionStore.database(e);
        }
        return state;
    }

    /**
     * Uses up a state: only the first use of a known, unexpired state, from the browser holding its nonce, is
     * {@link Check#OK}. A state presented without its nonce is not used up (the admin's own browser may still finish).
     */
    Use consume(String state, String nonce) {
        if (state == null || state.isBlank()) {
            return new Use(Check.MISSING, null);
        }
        // the callback is open to anyone: only a value of the form we issue is worth a database query
        if (!ISSUED.matcher(state).matches()) {
            return new Use(Check.UNKNOWN, null);
        }
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE zoho_oauth_state SET used_at = ? WHERE state_hash = ? AND used_at IS NULL AND nonce_hash = ? RETURNING expires_at, tenant_id")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setString(2, hash(state));
                ps.setString(3, nonce == null || nonce.isEmpty() || nonce.length() > 100 ? "" : hash(nonce));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Use(rs.getTimestamp(1).toInstant().isAfter(now) ? Check.OK : Check.EXPIRED, rs.getString(2));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT used_at IS NOT NULL FROM zoho_oauth_state WHERE state_hash = ?")) {
                ps.setString(1, hash(state));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Use(Check.UNKNOWN, null);
                    }
                    return new Use(rs.getBoolean(1) ? Check.REUSED : Check.OTHER_BROWSER, null);
                }
            }
        } catch (SQLException e) {
            throw ZohoConnectionStore.database(e);
        }
    }

    private static String hash(String state) {
        return com.simplecallcenter.zohosync.http.SecretHash.of(state);
    }
}
