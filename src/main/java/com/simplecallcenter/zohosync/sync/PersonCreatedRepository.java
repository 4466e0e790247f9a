package com.simplecallcenter.zohosync.sync;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * All SQL of {@code person_created}: the Leads and Contacts this service created, by match key
 * ({@code email:…}, {@code phone:…}). Read under the per-customer lock before searching, because Zoho's search
 * index lags behind writes; a row without an id is a create whose outcome is not known yet.
 */
public class PersonCreatedRepository {

    /** A created record (id null: the create was sent, its outcome is unknown). */
    public record Created(String module, String id, String callId) {
    }

    private final JdbcTemplate jdbc;

    public PersonCreatedRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The newest row for any of the keys within the window; a row with an id wins over one without. */
    public Optional<Created> find(String tenant, List<String> keys, Duration window) {
        if (keys.isEmpty() || window.isZero()) {
            return Optional.empty();
        }
        return jdbc.query("""
                        SELECT zoho_module, zoho_id, call_id FROM person_created
                        WHERE tenant_id = ? AND match_key = ANY (?) AND created_at > now() - ? * interval '1 millisecond'
                        ORDER BY (zoho_id IS NULL), created_at DESC LIMIT 1""",
                ps -> {
                    ps.setString(1, tenant);
                    ps.setArray(2, ps.getConnection().createArrayOf("varchar", keys.toArray()));
                    ps.setLong(3, window.toMillis());
                },
                (rs, i) -> new Created(rs.getString(1), rs.getString(2), rs.getString(3))).stream().findFirst();
    }

    /** Committed before the create is sent: whoever comes next knows a record may exist already. */
    public void begin(String tenant, List<String> keys, String module, String callId) {
        for (String key : keys) {
            jdbc.update("""
                    INSERT INTO person_created (tenant_id, match_key, zoho_module, zoho_id, call_id, created_at) VALUES (?, ?, ?, NULL, ?, now())
                    ON CONFLICT (tenant_id, match_key) DO UPDATE SET zoho_module = EXCLUDED.zoho_module, zoho_id = NULL,
                           call_id = EXCLUDED.call_id, created_at = now()""", tenant, key, module, callId);
        }
    }

    /** The create succeeded (or its record was found by COQL): the record's id under every key. */
    public void complete(String tenant, List<String> keys, String module, String id, String callId) {
        for (String key : keys) {
            jdbc.update("""
                    INSERT INTO person_created (tenant_id, match_key, zoho_module, zoho_id, call_id, created_at) VALUES (?, ?, ?, ?, ?, now())
                    ON CONFLICT (tenant_id, match_key) DO UPDATE SET zoho_module = EXCLUDED.zoho_module, zoho_id = EXCLUDED.zoho_id,
                           call_id = EXCLUDED.call_id, created_at = now()""", tenant, key, module, id, callId);
        }
    }

    /** The create is known not to have happened (refused, rate limited, or COQL found nothing). */
    public void abandon(String tenant, List<String> keys) {
        for (String key : keys) {
            jdbc.update("DELETE FROM person_created WHERE tenant_id = ? AND match_key = ? AND zoho_id IS NULL", tenant, key);
        }
    }

    /** The record is gone in Zoho (deleted, merged): forget it under every key. */
    public void forget(String tenant, String id) {
        jdbc.update("DELETE FROM person_created WHERE tenant_id = ? AND zoho_id = ?", tenant, id);
    }

    /** Housekeeping from the sweep: rows older than the window are never read again. */
    public int purge(Duration window) {
        return jdbc.update("DELETE FROM person_created WHERE created_at < now() - ? * interval '1 millisecond'", window.toMillis());
    }
}
