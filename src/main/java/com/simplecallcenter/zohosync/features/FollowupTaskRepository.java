package com.simplecallcenter.zohosync.features;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.Optional;

/** All SQL of {@code followup_task}: our mapping call id + kind → Zoho Task id, and the insert marker. */
public class FollowupTaskRepository {

    /** {@code insertStarted}: a marker without an id means an earlier insert's outcome is unknown. */
    public record Row(String callId, String kind, String zohoTaskId, boolean insertStarted) {
    }

    private final JdbcTemplate jdbc;

    public FollowupTaskRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public Optional<Row> find(String tenant, String callId, String kind) {
        return jdbc.query("SELECT call_id, kind, zoho_task_id, insert_started_at IS NOT NULL FROM followup_task WHERE tenant_id = ? AND call_id = ? AND kind = ?",
                (rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)), tenant, callId, kind).stream().findFirst();
    }

    /** Committed before the insert is sent. */
    public void markInsertStarted(String tenant, String callId, String kind) {
        jdbc.update("""
                INSERT INTO followup_task (tenant_id, call_id, kind, insert_started_at) VALUES (?, ?, ?, now())
                ON CONFLICT (tenant_id, call_id, kind) DO UPDATE SET insert_started_at = now(), updated_at = now()""", tenant, callId, kind);
    }

    /** The insert was refused outright (429, a permanent error, not connected): nothing was written. */
    public void clearInsertStarted(String tenant, String callId, String kind) {
        jdbc.update("UPDATE followup_task SET insert_started_at = NULL, updated_at = now() WHERE tenant_id = ? AND call_id = ? AND kind = ?", tenant, callId, kind);
    }

    public void storeTaskId(String tenant, String callId, String kind, String taskId) {
        jdbc.update("""
                INSERT INTO followup_task (tenant_id, call_id, kind, zoho_task_id) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id, call_id, kind) DO UPDATE SET zoho_task_id = EXCLUDED.zoho_task_id, insert_started_at = NULL,
                       updated_at = now()""", tenant, callId, kind, taskId);
    }
}
