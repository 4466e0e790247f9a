package com.simplecallcenter.zohosync.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;

/**
 * The durable inbox of call events. Recording the eventId in Camel's idempotent repository and storing the event
 * happen in <em>one</em> PostgreSQL transaction: a crash can leave neither or both, never a key without its event
 * (which would make the sender's retry look like a duplicate of something we lost). Concurrent deliveries of one
 * event serialize on the repository's primary key; exactly one of them stores it. Each source has its own namespace
 * of eventIds ({@link #key}): what a canonical sender names {@code twilio:CA…:3} is not Twilio's event of that id.
 */
public class EventInbox {

    // the cap is checked in the insert itself (no round trip of its own on the ingest path); the count sees the events
    // this transaction inserted before, so several events of one call in one request count too
    private static final String INSERT_EVENT = """
            INSERT INTO call_event (tenant_id, event_id, call_id, event_type, occurred_at, source, event, raw_body_id)
            SELECT ?, ?, ?, ?, ?, ?, ?::jsonb, ?
            WHERE (SELECT count(*) FROM call_event WHERE tenant_id = ? AND call_id = ?) < ?""";
    private static final String INSERT_RAW_BODY = "INSERT INTO raw_body (tenant_id, body) VALUES (?, ?) RETURNING id";
    // one event in one statement (see store): whether it was stored, and whether its call had room for it
    private static final String STORE_ONE = """
            WITH room AS (
                SELECT (SELECT count(*) FROM call_event WHERE tenant_id = ? AND call_id = ?) < ? AS ok
            ), new_key AS (
                %s
            ), body AS (
                INSERT INTO raw_body (tenant_id, body) SELECT ?, ? FROM new_key RETURNING id
            ), stored AS (
                INSERT INTO call_event (tenant_id, event_id, call_id, event_type, occurred_at, source, event, raw_body_id)
                SELECT ?, ?, ?, ?, ?, ?, ?::jsonb, body.id FROM body RETURNING 1
            )
            SELECT (SELECT count(*) FROM stored), (SELECT ok FROM room)"""
            .formatted(AtomicJdbcMessageIdRepository.insertKeyWhere("(SELECT ok FROM room)"));

    /** A new event of a call that already holds {@code max} events: nothing of the request was stored. */
    public static final class CallFullException extends RuntimeException {
        private final String callId;
        private final int max;

        CallFullException(String callId, int max) {
            super("call " + callId + " already has " + max + " events");
            this.callId = callId;
            this.max = max;
        }

        public String callId() {
            return callId;
        }

        public int max() {
            return max;
        }
    }

    private final AtomicJdbcMessageIdRepository eventIds;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectWriter eventWriter;
    private final int maxEventsPerCall;

    /** @param maxEventsPerCall a call's events are all loaded by every sync of it: a sender may not grow one without bound */
    public EventInbox(DataSource dataSource, AtomicJdbcMessageIdRepository eventIds, ObjectMapper mapper, int maxEventsPerCall) {
        this.eventIds = eventIds;
        this.maxEventsPerCall = maxEventsPerCall;
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        // a safety net behind the parsers: jsonb refuses NUL in a string, and an event must never fail to store for it
        this.eventWriter = mapper.copy().registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                .addSerializer(String.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(String.class) {
                    @Override
                    public void serialize(String value, com.fasterxml.jackson.core.JsonGenerator gen,
                                          com.fasterxml.jackson.databind.SerializerProvider provider) throws java.io.IOException {
                        gen.writeString(value.indexOf('\u0000') < 0 ? value : value.replace("\u0000", ""));
                    }
                })).writerFor(CallEvent.class);
    }

    /** The idempotency key of an event: its eventId in its source's namespace ({@code canonical:…}, {@code twilio:…}). */
    static String key(String source, String eventId) {
        return source + ":" + eventId;
    }

    /**
     * Stores the tenant's event unless its eventId was stored before in that tenant from that source; true when it is new. Returns only
     * after commit. A {@link CallFullException} when the call already has {@code maxEventsPerCall} events.
     *
     * <p>One statement, one round trip: the key, the raw body and the event are inserted by one data-modifying
     * {@code WITH} query outside any explicit transaction, so PostgreSQL commits them together when it ends, or none of
     * them if any part fails (a statement is atomic). The raw body and the event are inserted only from the key's
     * {@code RETURNING} row, so a duplicate (the key exists, or a concurrent delivery holds it: {@code ON CONFLICT}
     * waits for that transaction) stores nothing. The cap is the key insert's condition: a new event of a full call
     * records nothing either.
     */
    public boolean store(String tenant, CallEvent event, byte[] rawBody, String source) {
        String key = key(source, event.eventId());
        String json = json(event);
        Object[] keyParameters = eventIds.keyParameters(tenant, key);
        Object[] p = {
                tenant, event.callId(), maxEventsPerCall,
                keyParameters[0], keyParameters[1], keyParameters[2], keyParameters[3],
                tenant, rawBody,
                tenant, event.eventId(), event.callId(), event.type(), Timestamp.from(event.occurredAt().toInstant()), source, json};
        StoreResult r = jdbc.queryForObject(STORE_ONE, (rs, i) -> new StoreResult(rs.getInt(1) == 1, rs.getBoolean(2)), p);
        if (r.stored()) {
            return true;
        }
        if (r.room() || eventIds.recorded(tenant, key)) {
            // the key was there (or a concurrent delivery committed it while this one waited): a duplicate
            return false;
        }
        throw new CallFullException(event.callId(), maxEventsPerCall);
    }

    private record StoreResult(boolean stored, boolean room) {
    }

    private String json(CallEvent event) {
        try {
            return eventWriter.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize call event", e);
        }
    }

    /**
     * Stores several events of one request in <em>one</em> transaction: all of them or none (a provider's retry then
     * finds nothing half-stored). Returns, in order, whether each event was new. Returns only after commit.
     */
    public java.util.List<Boolean> storeAll(String tenant, java.util.List<CallEvent> events, byte[] rawBody, String source) {
        if (events.size() == 1) {
            // most requests carry one event: one statement, no transaction of our own
            return java.util.List.of(store(tenant, events.get(0), rawBody, source));
        }
        java.util.List<String> json = new java.util.ArrayList<>();
        for (CallEvent event : events) {
            json.add(json(event));
        }
        return tx.execute(status -> {
            java.util.List<Boolean> isNew = new java.util.ArrayList<>();
            Long rawBodyId = null;
            for (int i = 0; i < events.size(); i++) {
                CallEvent event = events.get(i);
                if (!eventIds.add(tenant, key(source, event.eventId()))) {
                    isNew.add(false);
                    continue;
                }
                if (rawBodyId == null) {
                    // once per request, however many events it carries
                    rawBodyId = jdbc.queryForObject(INSERT_RAW_BODY, Long.class, tenant, rawBody);
                }
                int inserted = jdbc.update(INSERT_EVENT, tenant, event.eventId(), event.callId(), event.type(),
                        Timestamp.from(event.occurredAt().toInstant()), source, json.get(i), rawBodyId,
                        tenant, event.callId(), maxEventsPerCall);
                if (inserted == 0) {
                    // rolls back the whole request, its eventIds and raw body too: nothing half-stored
                    throw new CallFullException(event.callId(), maxEventsPerCall);
                }
                isNew.add(true);
            }
            return isNew;
        });
    }
}
