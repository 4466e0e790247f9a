package com.simplecallcenter.zohosync.zoho;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The SQL of table {@code zoho_connection} for one tenant (its one row). Token columns hold only what
 * {@link com.simplecallcenter.zohosync.crypto.TokenCipher} sealed.
 * Writers that must not race (refresh, connect, disconnect) first take {@link #lock}, a transaction-scoped advisory
 * lock, in every instance on this schema.
 */
final class ZohoConnectionStore {

    /** The row as stored. Token fields are sealed bytes. */
    record Row(String state, String accountsUrl, String apiDomain, String location, String scopes, String keyId,
               byte[] refreshTokenSealed, byte[] accessTokenSealed, Instant accessExpiresAt, Instant refreshNotBefore,
               String userId, String userEmail, String userName, Instant connectedAt, Instant lastRefreshAt,
               Instant brokenAt, String brokenReason) {
        boolean connected() {
            return "connected".equals(state);
        }
    }

    /** What a successful connect stores. */
    record NewConnection(String accountsUrl, String apiDomain, String location, String scopes, String keyId,
                         byte[] refreshTokenSealed, byte[] accessTokenSealed, Instant accessExpiresAt, Instant connectedAt) {
    }

    static final String REFRESH_COLUMN = "zoho_connection.refresh_token_enc";
    static final String ACCESS_COLUMN = "zoho_connection.access_token_enc";

    private static final String COLUMNS = "state, accounts_url, api_domain, location, scopes, key_id, refresh_token_enc, "
            + "access_token_enc, access_expires_at, refresh_not_before, user_id, user_email, user_name, connected_at, "
            + "last_refresh_at, broken_at, broken_reason";

    private final DataSource dataSource;
    private final String tenant;

    ZohoConnectionStore(DataSource dataSource, String tenant) {
        this.dataSource = dataSource;
        this.tenant = tenant;
    }

    String tenant() {
        return tenant;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Serialises the tenant's token writers across instances until the transaction of {@code c} ends. */
    void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.zoho_connection.' || ?))")) {
            ps.setString(1, tenant);
            ps.execute();
        }
    }

    Optional<Row> read() {
        try (Connection c = dataSource.getConnection()) {
            return read(c, false);
        } catch (SQLException e) {
            throw database(e);
        }
    }

    Optional<Row> read(Connection c, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM zoho_connection WHERE tenant_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getBytes(7), rs.getBytes(8), instant(rs, 9), instant(rs, 10), rs.getString(11),
                        rs.getString(12), rs.getString(13), instant(rs, 14), instant(rs, 15), instant(rs, 16), rs.getString(17)));
            }
        }
    }

    /** Replaces whatever connection there was (a reconnect starts afresh: not broken, not throttled, no user yet). */
    void replace(Connection c, NewConnection n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO zoho_connection (tenant_id, state, accounts_url, api_domain, location, scopes, key_id, refresh_token_enc,
                    access_token_enc, access_expires_at, refresh_not_before, user_id, user_email, user_name, connected_at,
                    last_refresh_at, broken_at, broken_reason, updated_at)
                VALUES (?, 'connected', ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?, NULL, NULL, NULL, now())
                ON CONFLICT (tenant_id) DO UPDATE SET state = EXCLUDED.state, accounts_url = EXCLUDED.accounts_url,
                    api_domain = EXCLUDED.api_domain, location = EXCLUDED.location, scopes = EXCLUDED.scopes,
                    key_id = EXCLUDED.key_id, refresh_token_enc = EXCLUDED.refresh_token_enc,
                    access_token_enc = EXCLUDED.access_token_enc, access_expires_at = EXCLUDED.access_expires_at,
                    refresh_not_before = NULL, user_id = NULL, user_email = NULL, user_name = NULL,
                    connected_at = EXCLUDED.connected_at, last_refresh_at = NULL, broken_at = NULL, broken_reason = NULL,
                    updated_at = now()
                """)) {
            ps.setString(1, tenant);
            ps.setString(2, n.accountsUrl());
            ps.setString(3, n.apiDomain());
            ps.setString(4, n.location());
            ps.setString(5, n.scopes());
            ps.setString(6, n.keyId());
            ps.setBytes(7, n.refreshTokenSealed());
            ps.setBytes(8, n.accessTokenSealed());
            ps.setTimestamp(9, Timestamp.from(n.accessExpiresAt()));
            ps.setTimestamp(10, Timestamp.from(n.connectedAt()));
            ps.executeUpdate();
        }
    }

    void setUser(String userId, String email, String name) {
        update("UPDATE zoho_connection SET user_id = ?, user_email = ?, user_name = ?, updated_at = now() WHERE tenant_id = ?",
                userId, email, name, tenant);
    }

    /** A refresh went through: new access token; both tokens sealed again under the current key. */
    void refreshed(Connection c, String keyId, byte[] refreshSealed, byte[] accessSealed, Instant expiresAt, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE zoho_connection SET key_id = ?, refresh_token_enc = ?, access_token_enc = ?, "
                + "access_expires_at = ?, last_refresh_at = ?, refresh_not_before = NULL, updated_at = now() WHERE tenant_id = ?")) {
            ps.setString(1, keyId);
            ps.setBytes(2, refreshSealed);
            ps.setBytes(3, accessSealed);
            ps.setTimestamp(4, Timestamp.from(expiresAt));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setString(6, tenant);
            ps.executeUpdate();
        }
    }

    /** Both tokens sealed again under the current key (after a key rotation), nothing else changed. */
    void resealed(Connection c, String keyId, byte[] refreshSealed, byte[] accessSealed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE zoho_connection SET key_id = ?, refresh_token_enc = ?, access_token_enc = ?, "
                + "updated_at = now() WHERE tenant_id = ?")) {
            ps.setString(1, keyId);
            ps.setBytes(2, refreshSealed);
            ps.setBytes(3, accessSealed);
            ps.setString(4, tenant);
            ps.executeUpdate();
        }
    }

    /** Zoho rejected the stored access token and no new one can be had yet: stop handing it out. */
    void forgetAccessToken(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE zoho_connection SET access_token_enc = NULL, access_expires_at = NULL, updated_at = now() WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            ps.executeUpdate();
        }
    }

    void throttledUntil(Connection c, Instant notBefore) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE zoho_connection SET refresh_not_before = ?, updated_at = now() WHERE tenant_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(notBefore));
            ps.setString(2, tenant);
            ps.executeUpdate();
        }
    }

    /** Zoho refused the refresh token: the access token goes; the refresh token stays only so a disconnect can still revoke it. */
    void broken(Connection c, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE zoho_connection SET state = 'broken', broken_reason = ?, broken_at = ?, "
                + "access_token_enc = NULL, access_expires_at = NULL, updated_at = now() WHERE tenant_id = ?")) {
            ps.setString(1, reason);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, tenant);
            ps.executeUpdate();
        }
    }

    void delete(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM zoho_connection WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            ps.executeUpdate();
        }
    }

    private void update(String sql, String... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw database(e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static IllegalStateException database(SQLException e) {
        return new IllegalStateException("database error on the Zoho connection: " + e.getSQLState(), e);
    }
}
