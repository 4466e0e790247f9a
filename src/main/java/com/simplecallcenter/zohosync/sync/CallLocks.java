package com.simplecallcenter.zohosync.sync;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * One worker per call, across threads and instances: a PostgreSQL session advisory lock on the call id, taken on a
 * connection of a small pool of its own and held until the exchange completes. A crash closes the session and so
 * releases the lock. A worker that finds the call busy leaves it: before releasing, the holder looks for events that
 * arrived meanwhile and hands the call off again; the sweep catches anything else.
 *
 * <p>Tenants: lock keys carry the tenant (the same call id in two tenants is two calls). A call also takes one of its
 * tenant's call slots, advisory locks too, so a tenant has at most {@code slots(tenant)} calls in flight across every
 * instance: a tenant whose Zoho is slow or throttling fills its own slots, never the workers the others need. A call
 * that finds its tenant's slots full is put back (due again in a second) and its worker moves on.
 */
public class CallLocks {

    public static final String LOCKED = "sccCallLocked";
    public static final String MERGED = "sccCallMerged";
    public static final String CALL_ID = "sccCallId";
    /** The lock session's connection, while the exchange holds the call's lock (person locks go on it too). */
    static final String LOCK_SESSION = "sccLockSession";
    /** The customer keys this exchange holds locks on (lockPerson), until unlockPerson or the end of the exchange. */
    static final String PERSON_KEYS = "sccPersonKeys";

    /** The first key of the two-int advisory lock: our namespace, so other users of advisory locks never collide. */
    static final int LOCK_CLASS = 0x5CC5;
    /** The first key of the per-customer locks (match or create one customer at a time). */
    static final int PERSON_LOCK_CLASS = 0x5CC6;
    /** The first key of the per-tenant call slots. */
    static final int SLOT_LOCK_CLASS = 0x5CC7;
    /** Set when the call was put back because its tenant's slots were all taken. */
    public static final String NO_SLOT = "sccNoSlot";
    static final Duration NO_SLOT_DELAY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger("scc.sync");

    private final HikariDataSource pool;
    private final CallSyncRepository repository;
    private final ProducerTemplate producer;
    private final String handOffUri;
    private final java.util.function.ToIntFunction<String> slots;

    /** {@code slots}: how many calls of a tenant may be in flight at once, across all instances. */
    public CallLocks(HikariDataSource pool, CallSyncRepository repository, ProducerTemplate producer, String handOffUri,
                     java.util.function.ToIntFunction<String> slots) {
        this.pool = pool;
        this.repository = repository;
        this.producer = producer;
        this.handOffUri = handOffUri;
        this.slots = slots;
    }

    /** A pool for lock sessions only, so that holding locks can never starve the main pool the steps use. */
    public static HikariDataSource lockPool(HikariDataSource main, int size) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("scc-call-locks");
        cfg.setJdbcUrl(main.getJdbcUrl());
        cfg.setUsername(main.getUsername());
        cfg.setPassword(main.getPassword());
        cfg.setMaximumPoolSize(size);
        cfg.setMinimumIdle(0);
        // a burst of calls opens many lock sessions at once (the pool keeps none idle): opening them may take longer
        // than a request's connection wait, and a worker would rather wait than park its call for a minute
        cfg.setConnectionTimeout(Math.max(main.getConnectionTimeout(), 10_000));
        cfg.setInitializationFailTimeout(-1);
        cfg.addDataSourceProperty("ApplicationName", "scc-zoho-sync-locks");
        return new HikariDataSource(cfg);
    }

    /** Route step: sets {@value #LOCKED} and, when locked, releases at the end of the exchange whatever happens. */
    public void acquire(Exchange exchange) throws SQLException {
        String tenant = com.simplecallcenter.zohosync.http.Tenancy.of(exchange);
        String callId = exchange.getMessage().getBody(String.class);
        exchange.setProperty(CALL_ID, callId);
        Connection c = pool.getConnection();
        boolean locked;
        boolean slot = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setString(2, tenant + "/" + callId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                locked = rs.getBoolean(1);
            }
            if (locked) {
                slot = takeSlot(c, tenant);
                if (!slot) {
                    unlockAll(c);
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        exchange.setProperty(LOCKED, locked && slot);
        if (!locked) {
            c.close();
            LOG.debug("tenant={} call {} is being synced by another worker; leaving it to that worker", tenant, callId);
            return;
        }
        if (!slot) {
            c.close();
            exchange.setProperty(NO_SLOT, true);
            // due again in a second: the tenant's own calls in flight finish first, other tenants' calls are not held up
            repository.postpone(tenant, callId, NO_SLOT_DELAY, exchange.getMessage().getHeader(CallSync.CLAIM) != null);
            LOG.debug("tenant={} call {}: all of the tenant's call slots are taken; due again in {} ms", tenant, callId,
                    NO_SLOT_DELAY.toMillis());
            return;
        }
        exchange.setProperty(LOCK_SESSION, c);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                release(tenant, callId, c, Boolean.TRUE.equals(done.getProperty(MERGED, Boolean.class)));
            }
        });
    }

    /**
     * One of the tenant's slots, on the call's lock session (released with it). Tried from a random slot on, so
     * that workers do not all probe slot 0 first; the scan stops at the first slot it gets.
     */
    private boolean takeSlot(Connection c, String tenant) throws SQLException {
        int n = Math.max(1, slots.applyAsInt(tenant));
        int offset = java.util.concurrent.ThreadLocalRandom.current().nextInt(n);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s FROM generate_series(0, ? - 1) AS s
                WHERE pg_try_advisory_lock(?, hashtext(? || '#' || ((s + ?) % ?)))
                LIMIT 1""")) {
            ps.setInt(1, n);
            ps.setInt(2, SLOT_LOCK_CLASS);
            ps.setString(3, tenant);
            ps.setInt(4, offset);
            ps.setInt(5, n);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void unlockAll(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock_all()")) {
            ps.execute();
        }
    }

    /**
     * Locks the customer behind these match keys ({@code email:…}, {@code phone:…}) for the rest of the exchange, on the
     * call lock's session, so that one worker at a time, on any instance, matches and perhaps creates that customer:
     * two quick calls from a new number make one Lead. Keys are taken in order (no deadlock between two workers);
     * waits up to {@code maxWait}, then throws {@link PersonBusyException} (the call is parked and retried). A worker
     * holds at most its one call lock while it waits, and call locks are never waited for, so waits cannot cycle.
     */
    public void lockPerson(Exchange exchange, List<String> keys, Duration maxWait) {
        Connection c = exchange.getProperty(LOCK_SESSION, Connection.class);
        if (c == null || keys.isEmpty()) {
            return;
        }
        String tenant = com.simplecallcenter.zohosync.http.Tenancy.of(exchange);
        long deadline = System.nanoTime() + maxWait.toNanos();
        List<String> held = new java.util.ArrayList<>();
        exchange.setProperty(PERSON_KEYS, held);
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            for (String key : new TreeSet<>(keys)) {
                long sleep = 5;
                while (true) {
                    ps.setInt(1, PERSON_LOCK_CLASS);
                    ps.setString(2, tenant + "|" + key);
                    boolean got;
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        got = rs.getBoolean(1);
                    }
                    if (got) {
                        held.add(key);
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new PersonBusyException("another worker has been matching or creating this customer for more than "
                                + maxWait.toSeconds() + " s (scc.match.person-lock-wait)");
                    }
                    Thread.sleep(sleep);
                    sleep = Math.min(100, sleep * 2);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not lock the customer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PersonBusyException("interrupted while waiting for the customer's lock");
        }
    }

    /**
     * Route step once the call's person is settled (found, created or none): releases the customer's locks, so that the
     * next calls of that customer (which now find the record in the cache or in person_created) need not wait for this
     * call's Call insert and optional routes. Anything not released here goes with the call lock at the end.
     */
    @SuppressWarnings("unchecked")
    public void unlockPerson(Exchange exchange) {
        Connection c = exchange.getProperty(LOCK_SESSION, Connection.class);
        List<String> held = exchange.getProperty(PERSON_KEYS, List.class);
        if (c == null || held == null || held.isEmpty()) {
            return;
        }
        String tenant = com.simplecallcenter.zohosync.http.Tenancy.of(exchange);
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
            for (String key : held) {
                ps.setInt(1, PERSON_LOCK_CLASS);
                ps.setString(2, tenant + "|" + key);
                ps.execute();
            }
            held.clear();
        } catch (SQLException e) {
            // still held: released with the call lock (pg_advisory_unlock_all) when the exchange completes
            LOG.warn("could not release a customer lock early ({}); it goes with the call lock", e.getMessage());
        }
    }

    /** Thrown when a customer stayed locked by another worker too long: the call is parked and retried later. */
    public static final class PersonBusyException extends RuntimeException {
        public PersonBusyException(String message) {
            super(message);
        }
    }

    private void release(String tenant, String callId, Connection c, boolean merged) {
        // every lock of this session: the call's and any customer's it took (lockPerson)
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock_all()")) {
            ps.execute();
        } catch (SQLException e) {
            // the session is broken, and with it the lock: Hikari evicts the connection
            LOG.warn("tenant={} call {}: advisory unlock failed ({}); the lock went with its session", tenant, callId, e.getMessage());
        } finally {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing left to release
            }
        }
        // Events that arrived while we held the lock had their hand-off turned away: take them on now. Looked for
        // AFTER the unlock: an event committed after this look-up has its hand-off arrive after the unlock too, so
        // that hand-off gets the lock (or whoever holds it then looks again). Looking before the unlock left a gap of
        // a round trip in which an event's hand-off was turned away and nobody looked again: the sweep found it
        // seconds later (bench/sync.sh: 4 of 1,257 calls waited ~10 s). A redundant hand-off costs one quick run.
        boolean again = false;
        try {
            again = merged && repository.hasUnprocessedEvents(tenant, callId);
        } catch (RuntimeException e) {
            LOG.warn("tenant={} call {}: could not look for newer events after releasing the lock ({}); the sweep will", tenant, callId, e.toString());
        }
        if (again) {
            producer.sendBodyAndHeader(handOffUri, callId, com.simplecallcenter.zohosync.http.Tenancy.HEADER, tenant);
        }
    }

    public void close() {
        pool.close();
    }
}
