package com.simplecallcenter.zohosync.inbox;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Clock;

/**
 * Camel's JDBC idempotent repository with an atomic {@code add}. The stock one runs {@code SELECT COUNT(*)} then
 * {@code INSERT}, so under concurrent deliveries of one key the loser hits the primary key and fails with an
 * exception instead of answering "duplicate". {@code ON CONFLICT DO NOTHING} waits for the
 * winner's transaction and then reports 0 rows: the key is new exactly when one row was inserted. Keys carry the
 * tenant: the stock contains/remove/confirm, which do not, are not used.
 */
public class AtomicJdbcMessageIdRepository extends JdbcMessageIdRepository {

    private static final String INSERT =
            "INSERT INTO CAMEL_MESSAGEPROCESSED (tenant_id, processorName, messageId, createdAt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private final Clock clock;

    public AtomicJdbcMessageIdRepository(DataSource dataSource, String processorName, Clock clock) {
        super(dataSource, processorName);
        this.clock = clock;
        // Flyway owns the table (V1__ingest.sql)
        setCreateTableIfNotExists(false);
    }

    /**
     * The same atomic insert as {@link #add(String, String)}, written as the first part of a larger statement (a
     * data-modifying {@code WITH} query) that stores the event in the same round trip and the same implicit
     * transaction: it returns one row when the key is new and {@code condition} holds, none otherwise (the condition is
     * checked first: a key it refuses is not recorded). Parameters, in order: {@link #keyParameters}, then those of
     * {@code condition}.
     */
    static String insertKeyWhere(String condition) {
        return "INSERT INTO CAMEL_MESSAGEPROCESSED (tenant_id, processorName, messageId, createdAt) SELECT ?, ?, ?, ? WHERE "
                + condition + " ON CONFLICT DO NOTHING RETURNING 1";
    }

    /** The parameters of {@link #insertKeyWhere} for the tenant's key. */
    Object[] keyParameters(String tenant, String key) {
        return new Object[] {tenant, processorName, key, Timestamp.from(clock.instant())};
    }

    /** Whether the tenant's key was recorded (committed) before. */
    boolean recorded(String tenant, String key) {
        return Boolean.TRUE.equals(jdbcTemplate.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM CAMEL_MESSAGEPROCESSED WHERE tenant_id = ? AND processorName = ? AND messageId = ?)",
                Boolean.class, tenant, processorName, key));
    }

    /** Records the tenant's key; true when it is new. */
    public boolean add(String tenant, String key) {
        // joins the caller's transaction when there is one (same DataSource), so the key commits with the event
        return Boolean.TRUE.equals(transactionTemplate.execute(status ->
                jdbcTemplate.update(INSERT, tenant, processorName, key, Timestamp.from(clock.instant())) == 1));
    }

    /** Keys are per tenant (the same eventId in two tenants is two events): a key without its tenant is refused. */
    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("idempotency keys are per tenant: use add(tenant, key)");
    }
}
