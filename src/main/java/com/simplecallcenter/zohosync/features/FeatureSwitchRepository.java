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

    /** name → enabled, for every switch an admin set. */
    public Map<String, Boolean> overrides() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        jdbc.query("SELECT name, enabled FROM feature_switch", rs -> {
            m.put(rs.getString(1), rs.getBoolean(2));
        });
        return m;
    }

    public void set(String name, boolean enabled) {
        jdbc.update("""
                INSERT INTO feature_switch (name, enabled, updated_at) VALUES (?, ?, now())
                ON CONFLICT (name) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()""", name, enabled);
    }
}
