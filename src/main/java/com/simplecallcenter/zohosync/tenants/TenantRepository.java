package com.simplecallcenter.zohosync.tenants;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All SQL of the tables {@code tenant}, {@code tenant_provider_secret} and {@code tenant_agent} (V7__tenants.sql). */
class TenantRepository {

    /** A row of {@code tenant}; sealed values as stored. */
    record Row(String id, String name, Instant createdAt, Instant disabledAt, String keyId, byte[] webhookSecret,
               byte[] previousWebhookSecret, Instant previousUntil, String settingsJson) {
    }

    /** A row of {@code tenant_provider_secret}. */
    record SealedSecret(String provider, String name, String keyId, byte[] value) {
    }

    private static final String COLUMNS = "id, name, created_at, disabled_at, key_id, webhook_secret_enc, "
            + "previous_webhook_secret_enc, previous_until, settings::text";

    private static final RowMapper<Row> ROW = (rs, i) -> new Row(rs.getString(1), rs.getString(2), instant(rs, 3), instant(rs, 4),
            rs.getString(5), rs.getBytes(6), rs.getBytes(7), instant(rs, 8), rs.getString(9));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    TenantRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** False when the id is taken (also by a disabled tenant: ids are never reused). */
    boolean insert(String id, String name, String adminTokenHash, String keyId, byte[] webhookSecret, Instant createdAt) {
        try {
            return jdbc.update("""
                    INSERT INTO tenant (id, name, admin_token_hash, key_id, webhook_secret_enc, created_at)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                    id, name, adminTokenHash, keyId, webhookSecret, Timestamp.from(createdAt)) == 1;
        } catch (DuplicateKeyException e) {
            // the admin token's hash collided: 32 random bytes make this practically impossible, but never a 500
            return false;
        }
    }

    Optional<Row> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM tenant WHERE id = ?", ROW, id).stream().findFirst();
    }

    /** Every tenant, by id: the operator's list (a page of the table, never loaded at start). */
    List<Row> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM tenant ORDER BY id", ROW);
    }

    /** The active tenant whose admin token has this SHA-256. */
    Optional<String> activeTenantOfToken(String tokenHash) {
        return jdbc.queryForList("SELECT id FROM tenant WHERE admin_token_hash = ? AND disabled_at IS NULL", String.class, tokenHash)
                .stream().findFirst();
    }

    /** True when this call disabled it (false: unknown, or disabled before). */
    boolean disable(String id, Instant at) {
        return jdbc.update("UPDATE tenant SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL", Timestamp.from(at), id) == 1;
    }

    /** Stores a rotation: both secrets sealed again under {@code keyId}. False when the tenant is not active. */
    boolean rotateWebhookSecret(String id, String keyId, byte[] current, byte[] previous, Instant previousUntil) {
        return jdbc.update("""
                UPDATE tenant SET key_id = ?, webhook_secret_enc = ?, previous_webhook_secret_enc = ?, previous_until = ?
                WHERE id = ? AND disabled_at IS NULL""", keyId, current, previous,
                previousUntil == null ? null : Timestamp.from(previousUntil), id) == 1;
    }

    /**
     * Applies a settings PATCH in one statement (no lost update between two concurrent PATCHes) together with the
     * provider secrets it sets ({@code value} non-null) or removes (null). False when the tenant is not active.
     */
    boolean updateSettings(String id, String setJson, List<String> clear, List<SealedSecret> secrets) {
        Boolean done = tx.execute(status -> {
            int n = jdbc.update("UPDATE tenant SET settings = (settings - ?::text[]) || ?::jsonb WHERE id = ? AND disabled_at IS NULL",
                    "{" + String.join(",", clear) + "}", setJson, id);
            if (n != 1) {
                return false;
            }
            for (SealedSecret s : secrets) {
                if (s.value() == null) {
                    jdbc.update("DELETE FROM tenant_provider_secret WHERE tenant_id = ? AND provider = ? AND name = ?",
                            id, s.provider(), s.name());
                } else {
                    jdbc.update("""
                            INSERT INTO tenant_provider_secret (tenant_id, provider, name, key_id, value_enc) VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT (tenant_id, provider, name)
                            DO UPDATE SET key_id = EXCLUDED.key_id, value_enc = EXCLUDED.value_enc, updated_at = now()""",
                            id, s.provider(), s.name(), s.keyId(), s.value());
                }
            }
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    List<SealedSecret> providerSecrets(String id) {
        return jdbc.query("SELECT provider, name, key_id, value_enc FROM tenant_provider_secret WHERE tenant_id = ?",
                (rs, i) -> new SealedSecret(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4)), id);
    }

    /** agent → Zoho user id, by agent. */
    Map<String, String> agents(String id) {
        Map<String, String> m = new LinkedHashMap<>();
        jdbc.query("SELECT agent, zoho_user_id FROM tenant_agent WHERE tenant_id = ? ORDER BY agent",
                rs -> {
                    m.put(rs.getString(1), rs.getString(2));
                }, id);
        return m;
    }

    /** Replaces the whole map, in one transaction. */
    void replaceAgents(String id, Map<String, String> agents) {
        tx.executeWithoutResult(status -> {
            // the tenant's row lock orders two concurrent PUTs: the later one's map wins whole
            jdbc.queryForList("SELECT id FROM tenant WHERE id = ? FOR UPDATE", String.class, id);
            jdbc.update("DELETE FROM tenant_agent WHERE tenant_id = ?", id);
            jdbc.batchUpdate("INSERT INTO tenant_agent (tenant_id, agent, zoho_user_id) VALUES (?, ?, ?)",
                    agents.entrySet().stream().map(e -> new Object[]{id, e.getKey(), e.getValue()}).toList());
        });
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
