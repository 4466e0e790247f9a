package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * All SQL of the sync: the {@code call_sync} table, and the sync's side of {@code call_event} (ingest inserts events
 * in {@code EventInbox}; the sync reads them and sets {@code processed_at}). Every method is one transaction.
 */
public class CallSyncRepository {

    private static final String COLUMNS = """
            call_id, status, first_received_at, zoho_module, zoho_record_id, zoho_call_id, owner_id, ambiguity,
            person_create_started_at, person_create_module, call_insert_started_at, attempts, parked_count,
            next_attempt_at, last_attempt_at, last_error_code, last_error_field, last_error_message, updated_at, synced_at""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper mapper;
    private final Clock clock;

    public CallSyncRepository(DataSource dataSource, ObjectMapper mapper, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.mapper = mapper;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ call_event (read side)

    /** Every event of the call, in arrival order, and the highest id read (to mark exactly those processed). */
    public record Events(List<CallStateMerger.StoredEvent> events, boolean anyUnprocessed, long maxId,
                         OffsetDateTime oldestUnprocessedReceivedAt) {
    }

    public Events events(String tenant, String callId) {
        record R(long id, CallEvent event, boolean processed, OffsetDateTime receivedAt) {
        }
        List<R> rows = jdbc.query("""
                SELECT id, event::text AS event, processed_at IS NOT NULL AS processed, received_at
                FROM call_event WHERE tenant_id = ? AND call_id = ? ORDER BY id""",
                (rs, i) -> new R(rs.getLong("id"), parse(rs.getString("event")), rs.getBoolean("processed"),
                        time(rs, "received_at")), tenant, callId);
        long max = rows.stream().mapToLong(R::id).max().orElse(0);
        OffsetDateTime oldest = rows.stream().filter(r -> !r.processed()).map(R::receivedAt).min(OffsetDateTime::compareTo).orElse(null);
        return new Events(rows.stream().map(r -> new CallStateMerger.StoredEvent(r.id(), r.event())).toList(),
                oldest != null, max, oldest);
    }

    public boolean hasEvents(String tenant, String callId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM call_event WHERE tenant_id = ? AND call_id = ?)", Boolean.class, tenant, callId));
    }

    public boolean hasUnprocessedEvents(String tenant, String callId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM call_event WHERE tenant_id = ? AND call_id = ? AND processed_at IS NULL)", Boolean.class, tenant, callId));
    }

    // ------------------------------------------------------------------ call_sync

    /** The row of a call that a worker (holding its lock) is about to process; the sweep looks at it after {@code lease}. */
    public void ensureRow(String tenant, String callId, Duration lease) {
        jdbc.update("""
                INSERT INTO call_sync (tenant_id, call_id, status, first_received_at, next_attempt_at)
                SELECT ?, ?, 'pending', coalesce(min(received_at), now()), now() + ? * interval '1 millisecond'
                FROM call_event WHERE tenant_id = ? AND call_id = ?
                ON CONFLICT (tenant_id, call_id) DO NOTHING""", tenant, callId, lease.toMillis(), tenant, callId);
    }

    public Optional<CallSyncRow> find(String tenant, String callId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM call_sync WHERE tenant_id = ? AND call_id = ?", ROW, tenant, callId).stream().findFirst();
    }

    public Optional<CallState> state(String tenant, String callId) {
        return jdbc.query("SELECT state::text FROM call_sync WHERE tenant_id = ? AND call_id = ? AND state <> '{}'::jsonb",
                (rs, i) -> parseState(rs.getString(1)), tenant, callId).stream().findFirst();
    }

    /**
     * Stores the merged state and marks the events it was made of processed, in one transaction. {@code status} and
     * {@code nextAttemptAt} say what happens next; {@code attempted} counts a run that is about to talk to Zoho.
     */
    public void storeMerged(String tenant, String callId, CallState state, long maxEventId, String status, Instant nextAttemptAt, boolean attempted) {
        String json = json(state);
        tx.executeWithoutResult(t -> {
            jdbc.update("""
                    UPDATE call_sync SET state = ?::jsonb, status = ?, next_attempt_at = ?,
                           attempts = attempts + ?, last_attempt_at = CASE WHEN ? THEN now() ELSE last_attempt_at END,
                           updated_at = now()
                    WHERE tenant_id = ? AND call_id = ?""", json, status, ts(nextAttemptAt), attempted ? 1 : 0, attempted, tenant, callId);
            jdbc.update("UPDATE call_event SET processed_at = now() WHERE tenant_id = ? AND call_id = ? AND processed_at IS NULL AND id <= ?",
                    tenant, callId, maxEventId);
        });
    }

    /**
     * The tenant's calls parked only because of {@code code} (NOT_CONNECTED: its Zoho was not connected;
     * CREDITS_EXHAUSTED: its daily credits were spent) become due now (the cause is gone): they do not wait out their
     * growing park delay, and their park count starts again. Returns how many.
     */
    public int wake(String tenant, String code) {
        return jdbc.update("""
                UPDATE call_sync SET next_attempt_at = now(), parked_count = 0, updated_at = now()
                WHERE tenant_id = ? AND status = 'parked' AND last_error_code = ? AND next_attempt_at > now()""", tenant, code);
    }

    /** The tenants with calls parked for {@code code} (the sweep wakes them once its cause is gone). */
    public List<String> tenantsWaiting(String code) {
        return jdbc.queryForList("""
                SELECT DISTINCT tenant_id FROM call_sync
                WHERE status = 'parked' AND last_error_code = ? AND next_attempt_at > now()""", String.class, code);
    }

    /**
     * Nothing can be written for the tenant now (Zoho not connected, its credits spent): the call waits, parked with
     * {@code code}, in one statement, without its lock or a merge (its events stay unprocessed and are merged once the
     * sweep wakes it). A dead call stays dead. Returns whether a row was written.
     */
    public boolean parkWaiting(String tenant, String callId, String code, String message, Duration until) {
        return jdbc.update("""
                INSERT INTO call_sync (tenant_id, call_id, status, first_received_at, next_attempt_at, attempts, last_attempt_at,
                                       parked_count, last_error_code, last_error_message, updated_at)
                SELECT ?, ?, 'parked', coalesce(min(received_at), now()), now() + ? * interval '1 millisecond', 1, now(), 1,
                       ?, ?, now()
                FROM call_event WHERE tenant_id = ? AND call_id = ?
                ON CONFLICT (tenant_id, call_id) DO UPDATE SET status = 'parked', attempts = call_sync.attempts + 1, last_attempt_at = now(),
                       parked_count = call_sync.parked_count + 1, next_attempt_at = EXCLUDED.next_attempt_at,
                       last_error_code = EXCLUDED.last_error_code, last_error_field = NULL,
                       last_error_message = EXCLUDED.last_error_message, updated_at = now()
                WHERE call_sync.status <> 'dead'""", tenant, callId, until.toMillis(), code, truncate(message), tenant, callId) > 0;
    }

    public void reschedule(String tenant, String callId, Instant nextAttemptAt) {
        jdbc.update("UPDATE call_sync SET next_attempt_at = ?, updated_at = now() WHERE tenant_id = ? AND call_id = ?", ts(nextAttemptAt), tenant, callId);
    }

    /**
     * Puts a call back for {@code delay} (its tenant's call slots were full): a call that has no row yet gets one; a
     * parked call that was not claimed keeps its own time (it came with a new event, merged at its turn).
     */
    public void postpone(String tenant, String callId, Duration delay, boolean claimed) {
        ensureRow(tenant, callId, delay);
        jdbc.update("""
                UPDATE call_sync SET next_attempt_at = now() + ? * interval '1 millisecond', updated_at = now()
                WHERE tenant_id = ? AND call_id = ? AND (? OR status <> 'parked')""", delay.toMillis(), tenant, callId, claimed);
    }

    public void markPersonCreateStarted(String tenant, String callId, String module) {
        jdbc.update("""
                UPDATE call_sync SET person_create_started_at = now(), person_create_module = ?, updated_at = now()
                WHERE tenant_id = ? AND call_id = ?""", module, tenant, callId);
    }

    /** The linked person (found or created); clears the create marker. */
    public void storePerson(String tenant, String callId, String module, String recordId, String ambiguity) {
        jdbc.update("""
                UPDATE call_sync SET zoho_module = ?, zoho_record_id = ?, ambiguity = ?,
                       person_create_started_at = NULL, person_create_module = NULL, updated_at = now()
                WHERE tenant_id = ? AND call_id = ?""", module, recordId, ambiguity, tenant, callId);
    }

    /** The linked person is gone from Zoho: the next attempt matches afresh. */
    public void clearPerson(String tenant, String callId) {
        jdbc.update("""
                UPDATE call_sync SET zoho_module = NULL, zoho_record_id = NULL, ambiguity = NULL, updated_at = now()
                WHERE tenant_id = ? AND call_id = ?""", tenant, callId);
    }

    /** A write that is known not to have happened (refused or rate limited): no look-up needed next time. */
    public void clearPersonCreateStarted(String tenant, String callId) {
        jdbc.update("UPDATE call_sync SET person_create_started_at = NULL, person_create_module = NULL WHERE tenant_id = ? AND call_id = ?", tenant, callId);
    }

    public void markCallInsertStarted(String tenant, String callId) {
        jdbc.update("UPDATE call_sync SET call_insert_started_at = now(), updated_at = now() WHERE tenant_id = ? AND call_id = ?", tenant, callId);
    }

    public void clearCallInsertStarted(String tenant, String callId) {
        jdbc.update("UPDATE call_sync SET call_insert_started_at = NULL WHERE tenant_id = ? AND call_id = ?", tenant, callId);
    }

    /** The Call activity's id, right after Zoho answered the insert; clears the insert marker. */
    public void storeCallId(String tenant, String callId, String zohoCallId) {
        jdbc.update("""
                UPDATE call_sync SET zoho_call_id = ?, call_insert_started_at = NULL, updated_at = now()
                WHERE tenant_id = ? AND call_id = ?""", zohoCallId, tenant, callId);
    }

    public void markSynced(String tenant, String callId, String ownerId) {
        jdbc.update("""
                UPDATE call_sync SET status = 'synced', owner_id = ?, next_attempt_at = NULL, parked_count = 0,
                       last_error_code = NULL, last_error_field = NULL, last_error_message = NULL,
                       synced_at = now(), updated_at = now(), personal_data_removed_at = NULL
                WHERE tenant_id = ? AND call_id = ?""", ownerId, tenant, callId);
    }

    /** A retryable failure: retried at now + delay(parked_count), the delay doubling up to {@code maxDelay}. */
    public Instant park(String tenant, String callId, String code, String field, String message, Duration baseDelay, Duration maxDelay) {
        // a run that failed before its first step (no lock session to be had) has no row yet: park needs one
        ensureRow(tenant, callId, Duration.ZERO);
        Integer parked = jdbc.queryForObject("SELECT parked_count FROM call_sync WHERE tenant_id = ? AND call_id = ?", Integer.class, tenant, callId);
        long ms = parkDelay(baseDelay, maxDelay, parked == null ? 0 : parked).toMillis();
        // +-20 % jitter, so that calls parked together do not all come back at the same moment
        ms = (long) (ms * (0.8 + 0.4 * Math.random()));
        Instant next = clock.instant().plusMillis(ms);
        jdbc.update("""
                UPDATE call_sync SET status = 'parked', parked_count = parked_count + 1, next_attempt_at = ?,
                       last_error_code = ?, last_error_field = ?, last_error_message = ?, updated_at = now()
                WHERE tenant_id = ? AND call_id = ?""", ts(next), code, field, truncate(message), tenant, callId);
        return next;
    }

    /** The delay of a call's next park, before jitter: {@code base × 2^parkedBefore}, at most {@code max} (docs/sync.md). */
    public static Duration parkDelay(Duration base, Duration max, int parkedBefore) {
        return Duration.ofMillis(Math.min(base.toMillis() * (1L << Math.min(parkedBefore, 20)), max.toMillis()));
    }

    public void dead(String tenant, String callId, String code, String field, String message) {
        jdbc.update("""
                UPDATE call_sync SET status = 'dead', next_attempt_at = NULL,
                       last_error_code = ?, last_error_field = ?, last_error_message = ?, updated_at = now()
                WHERE tenant_id = ? AND call_id = ?""", code, field, truncate(message), tenant, callId);
    }

    /** Makes the call due now, whatever its status; false for an unknown call. */
    public boolean replay(String tenant, String callId) {
        ensureRow(tenant, callId, Duration.ZERO);
        return jdbc.update("""
                UPDATE call_sync SET status = 'pending', next_attempt_at = now(), parked_count = 0, updated_at = now()
                WHERE tenant_id = ? AND call_id = ?""", tenant, callId) == 1;
    }

    /** The tenant's parked and dead calls, the most recently failed first. */
    public List<CallSyncRow> failures(String tenant, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM call_sync WHERE tenant_id = ? AND status IN ('parked', 'dead') "
                + "ORDER BY updated_at DESC LIMIT ?", ROW, tenant, limit);
    }

    public record Counts(long pending, long waiting, long synced, long parked, long dead) {
    }

    public Counts counts(String tenant) {
        return jdbc.queryForObject("""
                SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'waiting'),
                       count(*) FILTER (WHERE status = 'synced'), count(*) FILTER (WHERE status = 'parked'),
                       count(*) FILTER (WHERE status = 'dead')
                FROM call_sync WHERE tenant_id = ?""", (rs, i) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                rs.getLong(5)), tenant);
    }

    // ------------------------------------------------------------------ reconciliation

    /** Our side of one call for reconciliation: its Call activity id (null: none recorded) and status. */
    public record Mapping(String callId, String zohoCallId, String status) {
    }

    /** The tenant's calls among {@code callIds} that we know (have a row for). */
    public List<Mapping> mappings(String tenant, java.util.Collection<String> callIds) {
        List<Mapping> out = new java.util.ArrayList<>();
        List<String> all = List.copyOf(callIds);
        for (int from = 0; from < all.size(); from += 1000) {
            String[] chunk = all.subList(from, Math.min(all.size(), from + 1000)).toArray(String[]::new);
            out.addAll(jdbc.query(con -> {
                var ps = con.prepareStatement("SELECT call_id, zoho_call_id, status FROM call_sync WHERE tenant_id = ? AND call_id = ANY (?)");
                ps.setString(1, tenant);
                ps.setArray(2, con.createArrayOf("varchar", chunk));
                return ps;
            }, MAPPING));
        }
        return out;
    }

    /** The tenant's calls synced with a Call activity whose first event reached us after {@code since}: Zoho should hold each Call. */
    public List<Mapping> syncedSince(String tenant, Instant since) {
        return jdbc.query("""
                SELECT call_id, zoho_call_id, status FROM call_sync
                WHERE tenant_id = ? AND status = 'synced' AND zoho_call_id IS NOT NULL AND first_received_at > ?""",
                MAPPING, tenant, ts(since));
    }

    /**
     * Records a Call found in Zoho as the call's Call activity (and clears an insert marker: the outcome is now known),
     * unless the mapping changed since it was read ({@code expected}: the id read, null for none). False if it had.
     */
    public boolean adoptCallId(String tenant, String callId, String expected, String zohoCallId) {
        return jdbc.update("""
                UPDATE call_sync SET zoho_call_id = ?, call_insert_started_at = NULL, updated_at = now()
                WHERE tenant_id = ? AND call_id = ? AND zoho_call_id IS NOT DISTINCT FROM ?""", zohoCallId, tenant, callId, expected) == 1;
    }

    /**
     * The call's Call was deleted in Zoho: forget its id and make the call due, so the sync inserts it once more. Only
     * while the mapping still names the deleted Call (a sync that ran meanwhile wins). False if it did not.
     */
    public boolean forgetDeletedCall(String tenant, String callId, String deletedZohoCallId) {
        return jdbc.update("""
                UPDATE call_sync SET zoho_call_id = NULL, call_insert_started_at = NULL, status = 'pending', next_attempt_at = now(),
                       parked_count = 0, updated_at = now()
                WHERE tenant_id = ? AND call_id = ? AND zoho_call_id = ?""", tenant, callId, deletedZohoCallId) == 1;
    }

    private static final RowMapper<Mapping> MAPPING = (rs, i) -> new Mapping(rs.getString(1), rs.getString(2), rs.getString(3));

    // ------------------------------------------------------------------ the sweep

    /**
     * Gives every call with events left unprocessed for longer than {@code grace} (a dropped hand-off, a crash) a
     * row that is due now. Parked calls keep their time: their events are merged at the next attempt.
     */
    public int adoptLeftBehind(Duration grace, int limit) {
        return jdbc.update("""
                INSERT INTO call_sync (tenant_id, call_id, status, first_received_at, next_attempt_at)
                SELECT tenant_id, call_id, 'pending', min(received_at), now() FROM (
                    SELECT tenant_id, call_id, received_at FROM call_event ce
                    WHERE processed_at IS NULL AND received_at < now() - ? * interval '1 millisecond'
                      -- a parked call merges its events at its next attempt: not adopted, so it cannot crowd others out
                      AND NOT EXISTS (SELECT 1 FROM call_sync p WHERE p.tenant_id = ce.tenant_id AND p.call_id = ce.call_id
                                      AND p.status = 'parked')
                    ORDER BY id LIMIT ?) e
                GROUP BY tenant_id, call_id
                ON CONFLICT (tenant_id, call_id) DO UPDATE SET next_attempt_at = now()
                WHERE call_sync.status IN ('pending', 'waiting', 'synced', 'dead')
                  AND (call_sync.next_attempt_at IS NULL OR call_sync.next_attempt_at > now())""",
                grace.toMillis(), limit);
    }

    /**
     * Claims up to {@code limit} due calls for this instance, at most {@code perTenant} of any one tenant, taken
     * round-robin over the tenants (each tenant's oldest due call first, then each one's second…), so that one tenant's
     * backlog never fills a sweep. Rows locked by another instance's claim are skipped, and each claimed row's next
     * attempt moves {@code lease} ahead so no other sweep takes it meanwhile. The per-call advisory lock, not this
     * claim, is what keeps two workers off one call.
     */
    public List<Claim> claimDue(int limit, int perTenant, Duration lease) {
        return jdbc.query("""
                WITH ranked AS (
                    SELECT tenant_id, call_id, next_attempt_at,
                           row_number() OVER (PARTITION BY tenant_id ORDER BY next_attempt_at) AS turn
                    FROM call_sync WHERE next_attempt_at <= now()),
                picked AS (
                    SELECT tenant_id, call_id FROM ranked WHERE turn <= ? ORDER BY turn, next_attempt_at LIMIT ?),
                due AS (
                    SELECT c.tenant_id, c.call_id FROM call_sync c JOIN picked p USING (tenant_id, call_id)
                    WHERE c.next_attempt_at <= now()
                    FOR UPDATE OF c SKIP LOCKED)
                UPDATE call_sync c SET next_attempt_at = now() + ? * interval '1 millisecond'
                FROM due WHERE c.tenant_id = due.tenant_id AND c.call_id = due.call_id
                RETURNING c.tenant_id, c.call_id, c.next_attempt_at""",
                (rs, i) -> new Claim(rs.getString(1), rs.getString(2), time(rs, "next_attempt_at").toInstant().toString()),
                perTenant, limit, lease.toMillis());
    }

    /**
     * A call claimed by a sweep; {@code claim} is the next-attempt time the claim set. A worker that still finds it
     * there knows nobody has processed the call since (a parked call's turn has come).
     */
    public record Claim(String tenant, String callId, String claim) {
    }

    // ------------------------------------------------------------------ the admin page's views (read only)

    /** A recent call as the admin page lists it: where it stands and what it was, from its merged state. */
    public record Recent(String callId, String status, OffsetDateTime receivedAt, String direction, String from, String to,
                         String callStatus, String callerName, String agentId, String agentEmail, String agentName,
                         String zohoModule, String zohoRecordId, String zohoCallId, String ownerId, int attempts,
                         String errorCode, String errorField, String errorMessage) {
    }

    private static final String RECENT = """
            SELECT call_id, status, first_received_at, state->'call'->>'direction' AS direction, state->'call'->>'from' AS "from",
                   state->'call'->>'to' AS "to", state->'call'->>'status' AS call_status,
                   nullif(concat_ws(' ', state->'call'->'caller'->>'firstName', state->'call'->'caller'->>'lastName'), '') AS caller_name,
                   state->'call'->'agent'->>'id' AS agent_id, state->'call'->'agent'->>'email' AS agent_email,
                   state->'call'->'agent'->>'name' AS agent_name, zoho_module, zoho_record_id, zoho_call_id, owner_id, attempts,
                   last_error_code, last_error_field, last_error_message
            FROM call_sync""";

    private static final RowMapper<Recent> RECENT_ROW = (rs, i) -> new Recent(rs.getString("call_id"), rs.getString("status"),
            time(rs, "first_received_at"), rs.getString("direction"), rs.getString("from"), rs.getString("to"),
            rs.getString("call_status"), rs.getString("caller_name"), rs.getString("agent_id"), rs.getString("agent_email"),
            rs.getString("agent_name"), rs.getString("zoho_module"), rs.getString("zoho_record_id"), rs.getString("zoho_call_id"),
            rs.getString("owner_id"), rs.getInt("attempts"), rs.getString("last_error_code"), rs.getString("last_error_field"),
            rs.getString("last_error_message"));

    /** The tenant's calls, the most recently received first (index call_sync_recent). */
    public List<Recent> recent(String tenant, int limit) {
        return jdbc.query(RECENT + " WHERE tenant_id = ? ORDER BY first_received_at DESC LIMIT ?", RECENT_ROW, tenant, limit);
    }

    public Optional<Recent> recentOne(String tenant, String callId) {
        return jdbc.query(RECENT + " WHERE tenant_id = ? AND call_id = ?", RECENT_ROW, tenant, callId).stream().findFirst();
    }

    /** An agent named by the tenant's events: its key (id, else lower-cased email), what the newest events say, its calls. */
    public record AgentSeen(String key, String id, String email, String name, int calls) {
    }

    /**
     * The agents of the tenant's events received since {@code since}, by calls, at most {@code limit}. Read from the
     * events (a call waiting for Zoho has no merged state yet), among the last {@code window} events of all tenants:
     * a range of the primary key, so the page never reads the whole table.
     */
    public List<AgentSeen> agentsSeen(String tenant, Instant since, long window, int limit) {
        return jdbc.query("""
                SELECT key, max(id) AS id, max(email) AS email, max(name) AS name, count(DISTINCT call_id) AS calls FROM (
                    SELECT coalesce(nullif(event->'agent'->>'id', ''), lower(nullif(event->'agent'->>'email', ''))) AS key,
                           nullif(event->'agent'->>'id', '') AS id, lower(nullif(event->'agent'->>'email', '')) AS email,
                           nullif(event->'agent'->>'name', '') AS name, call_id
                    FROM call_event
                    WHERE tenant_id = ? AND received_at >= ? AND id > (SELECT coalesce(max(id), 0) FROM call_event) - ?
                      AND jsonb_typeof(event->'agent') = 'object') a
                WHERE key IS NOT NULL GROUP BY key ORDER BY calls DESC, key LIMIT ?""",
                (rs, i) -> new AgentSeen(rs.getString("key"), rs.getString("id"), rs.getString("email"), rs.getString("name"),
                        rs.getInt("calls")), tenant, ts(since), window, limit);
    }

    /** The tenant's parked and dead calls by error code, with how many of each. */
    public java.util.Map<String, Long> failureCodes(String tenant) {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        jdbc.query("""
                SELECT coalesce(last_error_code, 'UNKNOWN') AS code, count(*) AS n FROM call_sync
                WHERE tenant_id = ? AND status IN ('parked', 'dead') GROUP BY 1 ORDER BY 2 DESC, 1""",
                rs -> {
                    out.put(rs.getString("code"), rs.getLong("n"));
                }, tenant);
        return out;
    }

    /** The ids of the tenant's parked and dead calls failed with this code, at most {@code limit}. */
    public List<String> failedWith(String tenant, String code, int limit) {
        return jdbc.queryForList("""
                SELECT call_id FROM call_sync WHERE tenant_id = ? AND status IN ('parked', 'dead')
                  AND coalesce(last_error_code, 'UNKNOWN') = ? ORDER BY updated_at DESC LIMIT ?""", String.class, tenant, code, limit);
    }

    /**
     * When each source (canonical, twilio, aircall, …) last delivered an event of the tenant, among the last
     * {@code window} events of all tenants: a backward walk of the primary key, so the page costs ingest nothing (no
     * index of its own) and never reads the whole table; a source silent for longer shows as not seen.
     */
    public java.util.Map<String, Instant> lastEventBySource(String tenant, long window) {
        java.util.Map<String, Instant> out = new java.util.HashMap<>();
        jdbc.query("""
                SELECT source, max(received_at) AS at FROM call_event
                WHERE tenant_id = ? AND id > (SELECT coalesce(max(id), 0) FROM call_event) - ? GROUP BY source""",
                rs -> {
                    out.put(rs.getString("source"), rs.getTimestamp("at").toInstant());
                }, tenant, window);
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private static final RowMapper<CallSyncRow> ROW = (rs, i) -> new CallSyncRow(
            rs.getString("call_id"), rs.getString("status"), time(rs, "first_received_at"),
            rs.getString("zoho_module"), rs.getString("zoho_record_id"), rs.getString("zoho_call_id"),
            rs.getString("owner_id"), rs.getString("ambiguity"), time(rs, "person_create_started_at"),
            rs.getString("person_create_module"), time(rs, "call_insert_started_at"), rs.getInt("attempts"),
            rs.getInt("parked_count"), time(rs, "next_attempt_at"), time(rs, "last_attempt_at"),
            rs.getString("last_error_code"), rs.getString("last_error_field"), rs.getString("last_error_message"),
            time(rs, "updated_at"), time(rs, "synced_at"));

    private static OffsetDateTime time(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant().atOffset(ZoneOffset.UTC);
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    private CallEvent parse(String json) {
        try {
            return mapper.readValue(json, CallEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored call event", e);
        }
    }

    private CallState parseState(String json) {
        try {
            return mapper.readValue(json, CallState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable call state", e);
        }
    }

    private String json(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
