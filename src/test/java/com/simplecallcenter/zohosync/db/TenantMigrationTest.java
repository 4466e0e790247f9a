package com.simplecallcenter.zohosync.db;

import com.simplecallcenter.zohosync.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An upgrade in place: a database filled by the previous version (schema V5, rows as that version wrote them) is
 * migrated to tenants, and nothing is lost, nothing is re-synced, every row belongs to the tenant default, and the
 * keys now tell tenants apart.
 */
class TenantMigrationTest {

    private static final String SCHEMA = "tenant_migration_test";
    private static JdbcTemplate db;

    @BeforeAll
    static void fillThePreviousVersionThenMigrate() {
        TestDatabase.freshSchema(SCHEMA);
        DataSource ds = TestDatabase.dataSource(SCHEMA);
        flyway(ds).target(MigrationVersion.fromVersion("5")).load().migrate();
        db = new JdbcTemplate(ds);
        // what the previous version wrote: an accepted event and its idempotency key, a synced call with its Zoho ids,
        // the Zoho connection (sealed tokens), a switch, a follow-up Task, a Note and a created person
        db.update("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES ('call-events', 'evt_1', now())");
        db.update("""
                INSERT INTO call_event (event_id, call_id, event_type, occurred_at, source, event, raw_body, processed_at)
                VALUES ('evt_1', 'call_1', 'call.ended', now(), 'canonical', '{"eventId":"evt_1"}'::jsonb, '\\x7b7d'::bytea, now())""");
        db.update("""
                INSERT INTO call_sync (call_id, status, zoho_module, zoho_record_id, zoho_call_id, synced_at)
                VALUES ('call_1', 'synced', 'Contacts', '111', '222', now())""");
        db.update("""
                INSERT INTO zoho_connection (id, state, accounts_url, api_domain, refresh_token_enc, connected_at)
                VALUES (1, 'connected', 'https://accounts.zoho.com', 'https://www.zohoapis.com', '\\x01'::bytea, now())""");
        db.update("INSERT INTO zoho_oauth_state (state_hash, created_at, expires_at) VALUES (repeat('a', 64), now(), now())");
        db.update("INSERT INTO feature_switch (name, enabled) VALUES ('followup-tasks', true)");
        db.update("INSERT INTO followup_task (call_id, kind, zoho_task_id) VALUES ('call_1', 'missed', '333')");
        db.update("INSERT INTO call_note (call_id, kind, zoho_note_id) VALUES ('call_1', 'summary', '444')");
        db.update("INSERT INTO person_created (match_key, zoho_module, zoho_id, call_id) VALUES ('phone:+14155550134', 'Contacts', '111', 'call_1')");

        flyway(ds).load().migrate();
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(DataSource ds) {
        return Flyway.configure().dataSource(ds).schemas(SCHEMA).defaultSchema(SCHEMA).createSchemas(true)
                .locations("classpath:db/migration");
    }

    @Test
    void everyRowMovedToTheTenantDefaultWithNothingLost() {
        for (String table : List.of("CAMEL_MESSAGEPROCESSED", "call_event", "call_sync", "zoho_connection", "zoho_oauth_state",
                "feature_switch", "followup_task", "call_note", "person_created")) {
            List<String> tenants = db.queryForList("SELECT tenant_id FROM " + table, String.class);
            assertThat(tenants).as(table).containsExactly("default");
        }
    }

    @Test
    void aSyncedCallKeepsItsZohoIdsAndIsNotDueAgain() {
        Map<String, Object> row = db.queryForMap("SELECT status, zoho_record_id, zoho_call_id, next_attempt_at FROM call_sync "
                + "WHERE tenant_id = 'default' AND call_id = 'call_1'");
        assertThat(row).containsEntry("status", "synced").containsEntry("zoho_record_id", "111").containsEntry("zoho_call_id", "222");
        assertThat(row.get("next_attempt_at")).isNull();
        assertThat(db.queryForObject("SELECT count(*) FROM call_event WHERE processed_at IS NULL", Long.class)).isZero();
    }

    @Test
    void theRetriedEventIsStillADuplicateButTheSameIdInAnotherTenantIsNew() {
        String insert = "INSERT INTO CAMEL_MESSAGEPROCESSED (tenant_id, processorName, messageId, createdAt) "
                + "VALUES (?, 'call-events', 'canonical:evt_1', now()) ON CONFLICT DO NOTHING";  // V8 gave keys their source
        assertThat(db.update(insert, "default")).isZero();
        assertThat(db.update(insert, "acme")).isOne();
        assertThat(db.update("INSERT INTO call_sync (tenant_id, call_id) VALUES ('acme', 'call_1')")).isOne();
    }

    @Test
    void aStatementThatForgetsTheTenantFails() {
        assertThatThrownBy(() -> db.update("INSERT INTO call_sync (call_id) VALUES ('call_2')"))
                .hasMessageContaining("tenant_id");
        assertThatThrownBy(() -> db.update("INSERT INTO feature_switch (name, enabled) VALUES ('deal-links', true)"))
                .hasMessageContaining("tenant_id");
    }
}
