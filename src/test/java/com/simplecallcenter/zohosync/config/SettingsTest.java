package com.simplecallcenter.zohosync.config;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void environmentOverridesTheFileAndOverridesWinOverBoth(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("application.properties");
        Files.writeString(file, "scc.http.port = 8080\nscc.zoho.create-missing = Leads\nscc.db.schema = scc\n");
        Settings s = Settings.load(file, Map.of("SCC_HTTP_PORT", "9999", "SCC_ZOHO_CREATE_MISSING", "Contacts"), Map.of("scc.db.schema", "other"));
        assertThat(s.get("scc.http.port")).isEqualTo("9999");
        assertThat(s.get("scc.zoho.create-missing")).isEqualTo("Contacts");
        assertThat(s.get("scc.db.schema")).isEqualTo("other");
        assertThat(Settings.envName("zoho.client-id")).isEqualTo("ZOHO_CLIENT_ID");
    }

    @Test
    void aRenamedSettingIsStillReadUnderItsFormerName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("application.properties");
        Files.writeString(file, "scc.followup-tasks.priority = Normal\nscc.recording-links.transcript-target = description\n"
                + "scc.followup-tasks.callback-tag = callback\n");
        // the former environment variable, unless the new one is set too
        Settings s = Settings.load(file, Map.of("SCC_FOLLOWUP_PRIORITY", "High", "SCC_LINKS_TRANSCRIPT_TARGET", "notes",
                "SCC_FOLLOWUP_CALLBACK_TAG", "old", "SCC_FOLLOWUP_TASKS_CALLBACK_TAG", "new"), Map.of());
        assertThat(s.get("scc.followup-tasks.priority")).isEqualTo("High");
        assertThat(s.get("scc.recording-links.transcript-target")).isEqualTo("notes");
        assertThat(s.get("scc.followup-tasks.callback-tag")).isEqualTo("new");
        // a settings file written before the rename
        Path old = dir.resolve("old.properties");
        Files.writeString(old, "scc.followup.escalation-tag = urgent\n");
        assertThat(Settings.load(old, Map.of(), Map.of()).get("scc.followup-tasks.escalation-tag")).isEqualTo("urgent");
        assertThat(Settings.load(old, Map.of(), Map.of()).asMap()).doesNotContainKey("scc.followup.escalation-tag");
    }

    @Test
    void theShippedFileIsTheOneSourceOfDefaults(@org.junit.jupiter.api.io.TempDir Path dir) {
        // no file at all: the defaults built into the jar are the shipped file's
        Settings none = Settings.load(dir.resolve("absent.properties"), Map.of(), Map.of());
        assertThat(none.get("scc.sync.claim-lease")).isEqualTo("2m");
        assertThat(none.duration("scc.sync.redelivery.max-delay", false)).hasMillis(2_000);
        assertThat(none.forCamel()).containsEntry("scc.sync.redelivery.delay.millis", "250");
        // a key no line of the file names is a programming error, not a silent default
        assertThatThrownBy(() -> none.get("scc.no.such-setting")).isInstanceOf(SettingsException.class)
                .hasMessageContaining("SCC_NO_SUCH_SETTING").hasMessageContaining("config/application.properties");
    }

    @Test
    void durationsTakeAUnitAndFormerUnitSuffixedNamesKeepTheirUnit() {
        Settings s = Settings.load(Path.of("config/application.properties"),
                Map.of("SCC_ZOHO_READ_TIMEOUT_MS", "1500", "SCC_ZOHO_REFRESH_AHEAD_SECONDS", "120", "SCC_DB_CONNECT_TIMEOUT", "2s"),
                Map.of("scc.zoho.connect-timeout-ms", "750"));
        assertThat(s.duration("scc.zoho.read-timeout", false)).hasMillis(1500);
        assertThat(s.duration("scc.zoho.refresh-ahead", false)).hasSeconds(120);
        assertThat(s.duration("scc.zoho.connect-timeout", false)).hasMillis(750);
        assertThat(s.duration("scc.db.connect-timeout", false)).hasSeconds(2);
        // the new name wins over the former one
        Settings both = Settings.load(Path.of("config/application.properties"),
                Map.of("SCC_ZOHO_READ_TIMEOUT_MS", "1500", "SCC_ZOHO_READ_TIMEOUT", "3s"), Map.of());
        assertThat(both.duration("scc.zoho.read-timeout", false)).hasSeconds(3);
    }

    @Test
    void anEnvironmentVariableNamingNoSettingIsReported() {
        Settings s = Settings.load(Path.of("config/application.properties"),
                Map.of("SCC_SYNC_CONCURENCY", "8", "SCC_SYNC_CONCURRENCY", "8", "PATH", "/bin", "ZOHO_CLIENT_ID", "1000.X"), Map.of());
        assertThat(s.unknownEnvironment()).containsExactly("SCC_SYNC_CONCURENCY");
        assertThat(s.get("scc.sync.concurrency")).isEqualTo("8");
        assertThat(s.get("zoho.client-id")).isEqualTo("1000.X");
    }

    @Test
    void everyKeyOfTheShippedFileIsCommented() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("config/application.properties"));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (!line.isEmpty() && !line.startsWith("#")) {
                assertThat(lines.get(i - 1).trim()).as("comment above '%s'", line).startsWith("#");
            }
        }
    }

    private static void startWith(String key, String value) throws Exception {
        AppHarness.on("t_settings_never_created").withoutZoho().keepSchema().setting(key, value).start().close();
    }

    @Test
    void badValuesStopTheStartWithOneLineNamingTheSetting() {
        assertThatThrownBy(() -> startWith("scc.http.port", "eighty"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_HTTP_PORT").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> startWith("scc.webhook.secret", "not-a-secret"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_WEBHOOK_SECRET").hasMessageNotContaining("not-a-secret");
        assertThatThrownBy(() -> startWith("scc.phone.default-region", "XX"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_PHONE_DEFAULT_REGION");
        // readiness must answer within a second, so its wait for the database cannot be longer
        assertThatThrownBy(() -> startWith("scc.db.ready-timeout", "5s"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_DB_READY_TIMEOUT").hasMessageContaining("1s");
        // the former name, in its former unit
        assertThatThrownBy(() -> startWith("scc.db.ready-timeout-ms", "5000"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_DB_READY_TIMEOUT").hasMessageContaining("5s");
        assertThatThrownBy(() -> startWith("scc.db.schema", "Robert'); drop"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_DB_SCHEMA");
        assertThatThrownBy(() -> startWith("scc.sync.sweep-interval", "soon"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_SYNC_SWEEP_INTERVAL");
        assertThatThrownBy(() -> startWith("scc.zoho.create-missing", "Accounts"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_ZOHO_CREATE_MISSING");
        // the Call subject template: the placeholders the mapper knows, and no longer than a Subject
        assertThatThrownBy(() -> startWith("scc.zoho.call-subject-template", "{Direction} call {from}"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_ZOHO_CALL_SUBJECT_TEMPLATE")
                .hasMessageContaining("unknown placeholder {from}");
        assertThatThrownBy(() -> startWith("scc.zoho.call-subject-template", "x".repeat(256)))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_ZOHO_CALL_SUBJECT_TEMPLATE").hasMessageContaining("255");
        assertThatThrownBy(() -> startWith("scc.db.url", "jdbc:postgresql://127.0.0.1:1/postgres"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_DB_URL").hasMessageContaining("cannot connect");
    }

    @Test
    void migrationsCreateTheSchemaFromNothingAndARestartKeepsIt() throws Exception {
        String schema = "t_settings_migrations";
        AppHarness.on(schema).withoutZoho().start().close();
        JdbcTemplate db = new JdbcTemplate(TestDatabase.dataSource());
        List<String> tables = db.queryForList("select table_name from information_schema.tables where table_schema = ? order by 1", String.class, schema);
        assertThat(tables).contains("call_event", "camel_messageprocessed", "flyway_schema_history");
        int applied = db.queryForObject("select count(*) from " + schema + ".flyway_schema_history where success", Integer.class);
        AppHarness.on(schema).withoutZoho().keepSchema().start().close();
        assertThat(db.queryForObject("select count(*) from " + schema + ".flyway_schema_history where success", Integer.class)).isEqualTo(applied);
    }
}
