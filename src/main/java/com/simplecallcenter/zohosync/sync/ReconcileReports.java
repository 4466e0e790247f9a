package com.simplecallcenter.zohosync.sync;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** All SQL of table {@code reconcile_report}: who runs a tenant's reconciliation next, and its last report. */
public class ReconcileReports {

    /** The last finished run of a tenant: when, and the report as JSON text. */
    public record Last(Instant finishedAt, String report) {
    }

    private final JdbcTemplate jdbc;

    public ReconcileReports(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * Takes the tenant's run unless one started less than {@code since} ago (another instance's scheduled run, or an
     * admin's); {@link Duration#ZERO} always takes it. Every instance's timer fires, one of them does the work.
     */
    public boolean claim(String tenant, Duration since) {
        return jdbc.update("""
                INSERT INTO reconcile_report (tenant_id, claimed_at) VALUES (?, now())
                ON CONFLICT (tenant_id) DO UPDATE SET claimed_at = now()
                WHERE reconcile_report.claimed_at <= now() - ? * interval '1 millisecond'""", tenant, since.toMillis()) == 1;
    }

    public void store(String tenant, Instant finishedAt, String reportJson) {
        jdbc.update("""
                INSERT INTO reconcile_report (tenant_id, claimed_at, finished_at, report) VALUES (?, now(), ?, ?::jsonb)
                ON CONFLICT (tenant_id) DO UPDATE SET finished_at = EXCLUDED.finished_at, report = EXCLUDED.report""",
                tenant, java.sql.Timestamp.from(finishedAt), reportJson);
    }

    public Optional<Last> last(String tenant) {
        return jdbc.query("SELECT finished_at, report::text FROM reconcile_report WHERE tenant_id = ? AND report IS NOT NULL",
                (rs, i) -> new Last(rs.getTimestamp(1).toInstant(), rs.getString(2)), tenant).stream().findFirst();
    }
}
