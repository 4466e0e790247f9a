package com.simplecallcenter.zohosync.config;

import com.simplecallcenter.zohosync.Application;
import com.simplecallcenter.zohosync.support.TestApp;
import com.simplecallcenter.zohosync.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
        assertThat(s.get("scc.http.port", null)).isEqualTo("9999");
        assertThat(s.get("scc.zoho.create-missing", null)).isEqualTo("Contacts");
        assertThat(s.get("scc.db.schema", null)).isEqualTo("other");
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
        assertThat(s.get("scc.followup-tasks.priority", null)).isEqualTo("High");
        assertThat(s.get("scc.recording-links.transcript-target", null)).isEqualTo("notes");
        assertThat(s.get("scc.followup-tasks.callback-tag", null)).isEqualTo("new");
        // a settings file written before the rename
        Path old = dir.resolve("old.properties");
        Files.writeString(old, "scc.followup.escalation-tag = urgent\n");
        assertThat(Settings.load(old, Map.of(), Map.of()).get("scc.followup-tasks.escalation-tag", null)).isEqualTo("urgent");
        assertThat(Settings.load(old, Map.of(), Map.of()).asMap()).doesNotContainKey("scc.followup.escalation-tag");
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

    private static Map<String, String> with(String key, String value) {
        Map<String, String> s = TestApp.baseSettings("t_settings_never_created", TestApp.freePort());
        s.put(key, value);
        return s;
    }

    @Test
    void badValuesStopTheStartWithOneLineNamingTheSetting() {
        assertThatThrownBy(() -> Application.startForTest(with("scc.http.port", "eighty")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_HTTP_PORT").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> Application.startForTest(with("scc.webhook.secret", "not-a-secret")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_WEBHOOK_SECRET").hasMessageNotContaining("not-a-secret");
        assertThatThrownBy(() -> Application.startForTest(with("scc.phone.default-region", "XX")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_PHONE_DEFAULT_REGION");
        // readiness must answer within a second, so its wait for the database cannot be longer
        assertThatThrownBy(() -> Application.startForTest(with("scc.db.ready-timeout-ms", "5000")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_DB_READY_TIMEOUT_MS").hasMessageContaining("1000");
        assertThatThrownBy(() -> Application.startForTest(with("scc.db.schema", "Robert'); drop")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_DB_SCHEMA");
        assertThatThrownBy(() -> Application.startForTest(with("scc.sync.sweep-interval", "soon")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_SYNC_SWEEP_INTERVAL");
        assertThatThrownBy(() -> Application.startForTest(with("scc.zoho.create-missing", "Accounts")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_ZOHO_CREATE_MISSING");
        assertThatThrownBy(() -> Application.startForTest(with("scc.db.url", "jdbc:postgresql://127.0.0.1:1/postgres")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("SCC_DB_URL").hasMessageContaining("cannot connect");
    }

    @Test
    void migrationsCreateTheSchemaFromNothingAndARestartKeepsIt() throws Exception {
        String schema = TestDatabase.freshSchema("t_settings_migrations");
        Map<String, String> s = new HashMap<>(TestApp.baseSettings(schema, TestApp.freePort()));
        Application.startForTest(s).stop();
        JdbcTemplate db = new JdbcTemplate(TestDatabase.dataSource());
        List<String> tables = db.queryForList("select table_name from information_schema.tables where table_schema = ? order by 1", String.class, schema);
        assertThat(tables).contains("call_event", "camel_messageprocessed", "flyway_schema_history");
        int applied = db.queryForObject("select count(*) from " + schema + ".flyway_schema_history where success", Integer.class);
        s.put("scc.http.port", String.valueOf(TestApp.freePort()));
        Application.startForTest(s).stop();
        assertThat(db.queryForObject("select count(*) from " + schema + ".flyway_schema_history where success", Integer.class)).isEqualTo(applied);
    }
}
