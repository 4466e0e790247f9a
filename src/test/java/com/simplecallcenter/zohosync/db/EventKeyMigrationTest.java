package com.simplecallcenter.zohosync.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.simplecallcenter.zohosync.inbox.AtomicJdbcMessageIdRepository;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.inbox.EventInbox;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event ids per source (V8): a canonical eventId that looks like a Twilio one does not make the real Twilio event a
 * duplicate, nor the reverse; and events accepted before the upgrade (keys without a source) still deduplicate
 * their retries afterwards.
 */
class EventKeyMigrationTest {

    private static final String SCHEMA = "event_key_migration_test";
    private static JdbcTemplate db;
    private static EventInbox inbox;

    @BeforeAll
    static void acceptEventsWithThePreviousVersionThenMigrate() {
        TestDatabase.freshSchema(SCHEMA);
        DataSource ds = TestDatabase.dataSource(SCHEMA);
        flyway(ds).target(MigrationVersion.fromVersion("7")).load().migrate();
        db = new JdbcTemplate(ds);
        // what the previous version stored: a canonical event whose sender chose a Twilio-looking id, and a Twilio event
        accepted("twilio:CA0000000000000000000000000000aaaa:3", "canonical");
        accepted("twilio:CA0000000000000000000000000000bbbb:0", "twilio");
        flyway(ds).load().migrate();
        inbox = new EventInbox(ds, new AtomicJdbcMessageIdRepository(ds, "call-events", Clock.systemUTC()),
                new ObjectMapper().registerModule(new JavaTimeModule()), 1000);
    }

    private static void accepted(String eventId, String source) {
        db.update("INSERT INTO CAMEL_MESSAGEPROCESSED (tenant_id, processorName, messageId, createdAt) VALUES ('default', 'call-events', ?, now())",
                eventId);
        db.update("""
                INSERT INTO call_event (tenant_id, event_id, call_id, event_type, occurred_at, source, event, raw_body)
                VALUES ('default', ?, 'call_1', 'call.ended', now(), ?, '{}'::jsonb, '\\x7b7d'::bytea)""", eventId, source);
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(DataSource ds) {
        return Flyway.configure().dataSource(ds).schemas(SCHEMA).defaultSchema(SCHEMA).createSchemas(true)
                .locations("classpath:db/migration");
    }

    private static boolean store(String eventId, String source) {
        CallEvent e = new CallEvent(eventId, "twilio:" + eventId.split(":")[1], "call.ended", OffsetDateTime.parse("2026-11-24T10:17:05Z"),
                "inbound", "answered", "+14155550134", "+14155550100", null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
        return inbox.store("default", e, "{}".getBytes(StandardCharsets.UTF_8), source);
    }

    @Test
    void retriesOfEventsAcceptedBeforeTheUpgradeAreStillDuplicates() {
        assertThat(store("twilio:CA0000000000000000000000000000aaaa:3", "canonical")).isFalse();
        assertThat(store("twilio:CA0000000000000000000000000000bbbb:0", "twilio")).isFalse();
    }

    @Test
    void theSameIdFromAnotherSourceIsANewEvent() {
        // the real Twilio event the canonical sender's id imitated, and a canonical event imitating the stored Twilio one
        assertThat(store("twilio:CA0000000000000000000000000000aaaa:3", "twilio")).isTrue();
        assertThat(store("twilio:CA0000000000000000000000000000bbbb:0", "canonical")).isTrue();
        assertThat(db.queryForObject("SELECT count(*) FROM call_event WHERE event_id = 'twilio:CA0000000000000000000000000000aaaa:3'",
                Integer.class)).isEqualTo(2);
    }

    @Test
    void newEventsAreDeduplicatedWithinTheirSource() {
        assertThat(store("twilio:CA0000000000000000000000000000cccc:1", "canonical")).isTrue();
        assertThat(store("twilio:CA0000000000000000000000000000cccc:1", "canonical")).isFalse();
        assertThat(store("twilio:CA0000000000000000000000000000cccc:1", "twilio")).isTrue();
        assertThat(store("twilio:CA0000000000000000000000000000cccc:1", "twilio")).isFalse();
    }
}
