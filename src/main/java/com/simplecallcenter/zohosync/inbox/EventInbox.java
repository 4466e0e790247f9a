package com.simplecallcenter.zohosync.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private static final String INSERT_EVENT = """
            INSERT INTO call_event (tenant_id, event_id, call_id, event_type, occurred_at, source, event, raw_body)
            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)""";

    private final AtomicJdbcMessageIdRepository eventIds;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper mapper;

    public EventInbox(DataSource dataSource, AtomicJdbcMessageIdRepository eventIds, ObjectMapper mapper) {
        this.eventIds = eventIds;
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        // a safety net behind the parsers: jsonb refuses NUL in a string, and an event must never fail to store for it
        this.mapper = mapper.copy().registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                .addSerializer(String.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(String.class) {
                    @Override
                    public void serialize(String value, com.fasterxml.jackson.core.JsonGenerator gen,
                                          com.fasterxml.jackson.databind.SerializerProvider provider) throws java.io.IOException {
                        gen.writeString(value.indexOf('\u0000') < 0 ? value : value.replace("\u0000", ""));
                    }
                }));
    }

    /** The idempotency key of an event: its eventId in its source's namespace ({@code canonical:…}, {@code twilio:…}). */
    static String key(String source, String eventId) {
        return source + ":" + eventId;
    }

    /** Stores the tenant's event unless its eventId was stored before in that tenant from that source; true when it is new. Returns only after commit. */
    public boolean store(String tenant, CallEvent event, byte[] rawBody, String source) {
        String json;
        try {
            json = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize call event", e);
        }
        return Boolean.TRUE.equals(tx.execute(status -> {
            if (!eventIds.add(tenant, key(source, event.eventId()))) {
                return false;
            }
            jdbc.update(INSERT_EVENT, tenant, event.eventId(), event.callId(), event.type(),
                    Timestamp.from(event.occurredAt().toInstant()), source, json, rawBody);
            return true;
        }));
    }

    /**
     * Stores several events of one request in <em>one</em> transaction: all of them or none (a provider's retry then
     * finds nothing half-stored). Returns, in order, whether each event was new. Returns only after commit.
     */
    public java.util.List<Boolean> storeAll(String tenant, java.util.List<CallEvent> events, byte[] rawBody, String source) {
        java.util.List<String> json = new java.util.ArrayList<>();
        for (CallEvent event : events) {
            try {
                json.add(mapper.writeValueAsString(event));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize call event", e);
            }
        }
        return tx.execute(status -> {
            java.util.List<Boolean> isNew = new java.util.ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                CallEvent event = events.get(i);
                if (!eventIds.add(tenant, key(source, event.eventId()))) {
                    isNew.add(false);
                    continue;
                }
                jdbc.update(INSERT_EVENT, tenant, event.eventId(), event.callId(), event.type(),
                        Timestamp.from(event.occurredAt().toInstant()), source, json.get(i), rawBody);
                isNew.add(true);
            }
            return isNew;
        });
    }
}
