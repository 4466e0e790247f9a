package com.simplecallcenter.zohosync.features;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** All SQL of the {@code feature_switch} table: the switches an admin flipped (a row overrides the property). */
public class FeatureSwitchRepository {

    private final JdbcTemplate jdbc;

    public FeatureSwitchRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** name → enabled, for every switch the tenant's admin set. */
    public Map<String, Boolean> overrides(String tenant) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        jdbc.query("SELECT name, enabled FROM feature_switch WHERE tenant_id = ?", rs -> {
            m.put(rs.getString(1), rs.getBoolean(2));
        }, tenant);
        return m;
    }

    /** tenant → name → enabled, for the given tenants, in one query (the refresh of every tenant an instance holds). */
    public Map<String, Map<String, Boolean>> overrides(java.util.List<String> tenants) {
        Map<String, Map<String, Boolean>> m = new LinkedHashMap<>();
        if (tenants.isEmpty()) {
            return m;
        }
        jdbc.query("SELECT tenant_id, name, enabled FROM feature_switch WHERE tenant_id = ANY (?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("varchar", tenants.toArray())),
                rs -> {
                    m.computeIfAbsent(rs.getString(1), t -> new LinkedHashMap<>()).put(rs.getString(2), rs.getBoolean(3));
                });
        return m;
    }

    public void set(String tenant, String name, boolean enabled) {
        jdbc.update("""
                INSERT INTO feature_switch (tenant_id, name, enabled, updated_at) VALUES (?, ?, ?, now())
                ON CONFLICT (tenant_id, name) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()""", tenant, name, enabled);
    }
}
