package com.simplecallcenter.zohosync.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inbox stores one event in one statement (key, raw body and event together, no transaction of its own): a
 * duplicate, concurrent or later, stores nothing; a new event of a full call records nothing; a failure anywhere in
 * the statement leaves nothing behind. Real PostgreSQL, the real migrations.
 */
class EventInboxTest {

    private static final String SCHEMA = "t_event_inbox";
    private static final int MAX_EVENTS_PER_CALL = 3;
    private static JdbcTemplate db;
    private static EventInbox inbox;

    @BeforeAll
    static void migrate() {
        TestDatabase.freshSchema(SCHEMA);
        DataSource ds = TestDatabase.dataSource(SCHEMA);
        Flyway.configure().dataSource(ds).schemas(SCHEMA).defaultSchema(SCHEMA).createSchemas(true)
                .locations("classpath:db/migration").load().migrate();
        db = new JdbcTemplate(ds);
        inbox = new EventInbox(ds, new AtomicJdbcMessageIdRepository(ds, "call-events", Clock.systemUTC()),
                new ObjectMapper().registerModule(new JavaTimeModule()), MAX_EVENTS_PER_CALL);
    }

    static CallEvent event(String eventId, String callId) {
        return new CallEvent(eventId, callId, "call.ended", OffsetDateTime.parse("2026-11-24T10:17:05Z"), "inbound", "answered",
                "+14155550134", "+14155550100", "+1 (415) 555-0134", "+14155550100", null, null, null, 116,
                new CallEvent.Agent("ag_17", "dana@acme.example", null), null, "notes", null, null, null, null, null, null);
    }

    static byte[] raw(String eventId) {
        return ("{\"eventId\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static int events(String callId) {
        return db.queryForObject("select count(*) from call_event where call_id = ?", Integer.class, callId);
    }

    static int keys(String eventId) {
        return db.queryForObject("select count(*) from camel_messageprocessed where messageid = ?", Integer.class, "canonical:" + eventId);
    }

    static int rawBodies() {
        return db.queryForObject("select count(*) from raw_body", Integer.class);
    }

    @Test
    void aNewEventIsStoredWithItsKeyAndRawBodyAndItsRetryIsADuplicateThatStoresNothing() {
        int bodies = rawBodies();
        assertThat(inbox.store("default", event("evt_once", "call_once"), raw("evt_once"), "canonical")).isTrue();
        assertThat(events("call_once")).isEqualTo(1);
        assertThat(keys("evt_once")).isEqualTo(1);
        assertThat(rawBodies()).isEqualTo(bodies + 1);
        assertThat(db.queryForObject("""
                select e.event->>'from' || ' ' || convert_from(b.body, 'UTF8') from call_event e join raw_body b on b.id = e.raw_body_id
                where e.event_id = 'evt_once'""", String.class)).isEqualTo("+14155550134 {\"eventId\":\"evt_once\"}");

        assertThat(inbox.store("default", event("evt_once", "call_once"), raw("evt_once"), "canonical")).isFalse();
        assertThat(events("call_once")).isEqualTo(1);
        assertThat(keys("evt_once")).isEqualTo(1);
        assertThat(rawBodies()).as("a duplicate stores no raw body").isEqualTo(bodies + 1);

        // the same eventId in another tenant is another event
        assertThat(inbox.store("acme", event("evt_once", "call_once"), raw("evt_once"), "canonical")).isTrue();
    }

    @Test
    void concurrentDeliveriesOfOneEventStoreItExactlyOnce() throws Exception {
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 15; round++) {
                String id = "evt_race_" + round;
                int bodies = rawBodies();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return inbox.store("default", event(id, "call_" + id), raw(id), "canonical");
                    }));
                }
                go.countDown();
                int isNew = 0;
                for (Future<Boolean> f : results) {
                    isNew += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(isNew).as("round %d: exactly one delivery is new", round).isEqualTo(1);
                assertThat(events("call_" + id)).isEqualTo(1);
                assertThat(keys(id)).isEqualTo(1);
                assertThat(rawBodies()).isEqualTo(bodies + 1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewEventOfAFullCallRecordsNothingWhileARetryOfAStoredOneIsStillADuplicate() {
        for (int i = 1; i <= MAX_EVENTS_PER_CALL; i++) {
            assertThat(inbox.store("default", event("evt_full_" + i, "call_full"), raw("evt_full_" + i), "canonical")).isTrue();
        }
        int bodies = rawBodies();
        assertThatThrownBy(() -> inbox.store("default", event("evt_full_9", "call_full"), raw("evt_full_9"), "canonical"))
                .isInstanceOf(EventInbox.CallFullException.class).hasMessageContaining("call_full");
        assertThat(keys("evt_full_9")).as("the refused event's key is not recorded").isZero();
        assertThat(rawBodies()).isEqualTo(bodies);
        assertThat(events("call_full")).isEqualTo(MAX_EVENTS_PER_CALL);

        assertThat(inbox.store("default", event("evt_full_2", "call_full"), raw("evt_full_2"), "canonical")).isFalse();
        assertThat(events("call_full")).isEqualTo(MAX_EVENTS_PER_CALL);
        assertThat(rawBodies()).isEqualTo(bodies);
    }

    @Test
    void aFailureAnywhereInTheStatementLeavesNeitherKeyNorRawBodyNorEvent() {
        db.execute("""
                create or replace function fail_inbox_event() returns trigger language plpgsql as $$
                begin
                  if new.event_id = 'evt_fails' then raise exception 'simulated failure while storing the event'; end if;
                  return new;
                end $$""");
        db.execute("create trigger fail_inbox_event before insert on call_event for each row execute function fail_inbox_event()");
        int bodies = rawBodies();
        try {
            assertThatThrownBy(() -> inbox.store("default", event("evt_fails", "call_fails"), raw("evt_fails"), "canonical"))
                    .hasMessageContaining("simulated failure");
            assertThat(keys("evt_fails")).isZero();
            assertThat(rawBodies()).isEqualTo(bodies);
            assertThat(events("call_fails")).isZero();
        } finally {
            db.execute("drop trigger if exists fail_inbox_event on call_event");
        }
        // the sender's retry is then a new event, not a duplicate of something lost
        assertThat(inbox.store("default", event("evt_fails", "call_fails"), raw("evt_fails"), "canonical")).isTrue();
        assertThat(events("call_fails")).isEqualTo(1);
    }
}
