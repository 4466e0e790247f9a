package com.simplecallcenter.zohosync.inbox;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Clock;

/**
 * Camel's JDBC idempotent repository with an atomic {@code add}. The stock one runs {@code SELECT COUNT(*)} then
 * {@code INSERT}, so under concurrent deliveries of one key the loser hits the primary key and fails with an
 * exception instead of answering "duplicate". {@code ON CONFLICT DO NOTHING} waits for the
 * winner's transaction and then reports 0 rows: the key is new exactly when one row was inserted.
 */
public class AtomicJdbcMessageIdRepository extends JdbcMessageIdRepository {

    private static final String INSERT =
            "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";

    private final Clock clock;

    public AtomicJdbcMessageIdRepository(DataSource dataSource, String processorName, Clock clock) {
        super(dataSource, processorName);
        this.clock = clock;
        // Flyway owns the table (V1__ingest.sql)
        setCreateTableIfNotExists(false);
    }

    @Override
    public boolean add(String key) {
        // joins the caller's transaction when there is one (same DataSource), so the key commits with the event
        return Boolean.TRUE.equals(transactionTemplate.execute(status ->
                jdbcTemplate.update(INSERT, processorName, key, Timestamp.from(clock.instant())) == 1));
    }
}
