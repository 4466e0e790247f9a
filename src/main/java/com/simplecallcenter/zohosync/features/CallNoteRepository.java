package com.simplecallcenter.zohosync.features;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.Optional;

/** All SQL of {@code call_note}: one Note on the Call per call id and kind (transcript, summary), and its marker. */
public class CallNoteRepository {

    public record Row(String callId, String kind, String zohoNoteId, String content, boolean insertStarted) {
    }

    private final JdbcTemplate jdbc;

    public CallNoteRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public Optional<Row> find(String tenant, String callId, String kind) {
        return jdbc.query("SELECT call_id, kind, zoho_note_id, content, insert_started_at IS NOT NULL FROM call_note WHERE tenant_id = ? AND call_id = ? AND kind = ?",
                (rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)),
                tenant, callId, kind).stream().findFirst();
    }

    public void markInsertStarted(String tenant, String callId, String kind) {
        jdbc.update("""
                INSERT INTO call_note (tenant_id, call_id, kind, insert_started_at) VALUES (?, ?, ?, now())
                ON CONFLICT (tenant_id, call_id, kind) DO UPDATE SET insert_started_at = now(), updated_at = now()""", tenant, callId, kind);
    }

    public void clearInsertStarted(String tenant, String callId, String kind) {
        jdbc.update("UPDATE call_note SET insert_started_at = NULL, updated_at = now() WHERE tenant_id = ? AND call_id = ? AND kind = ?", tenant, callId, kind);
    }

    /** The Note's id and what it now says; clears the marker. */
    public void store(String tenant, String callId, String kind, String noteId, String content) {
        jdbc.update("""
                INSERT INTO call_note (tenant_id, call_id, kind, zoho_note_id, content) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, call_id, kind) DO UPDATE SET zoho_note_id = EXCLUDED.zoho_note_id, content = EXCLUDED.content,
                       insert_started_at = NULL, updated_at = now()""", tenant, callId, kind, noteId, content);
    }
}
