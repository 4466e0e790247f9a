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

    public Optional<Row> find(String callId, String kind) {
        return jdbc.query("SELECT call_id, kind, zoho_note_id, content, insert_started_at IS NOT NULL FROM call_note WHERE call_id = ? AND kind = ?",
                (rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)),
                callId, kind).stream().findFirst();
    }

    public void markInsertStarted(String callId, String kind) {
        jdbc.update("""
                INSERT INTO call_note (call_id, kind, insert_started_at) VALUES (?, ?, now())
                ON CONFLICT (call_id, kind) DO UPDATE SET insert_started_at = now(), updated_at = now()""", callId, kind);
    }

    public void clearInsertStarted(String callId, String kind) {
        jdbc.update("UPDATE call_note SET insert_started_at = NULL, updated_at = now() WHERE call_id = ? AND kind = ?", callId, kind);
    }

    /** The Note's id and what it now says; clears the marker. */
    public void store(String callId, String kind, String noteId, String content) {
        jdbc.update("""
                INSERT INTO call_note (call_id, kind, zoho_note_id, content) VALUES (?, ?, ?, ?)
                ON CONFLICT (call_id, kind) DO UPDATE SET zoho_note_id = EXCLUDED.zoho_note_id, content = EXCLUDED.content,
                       insert_started_at = NULL, updated_at = now()""", callId, kind, noteId, content);
    }
}
