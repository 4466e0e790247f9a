package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.config.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentDirectoryTest {

    @Test
    void agentsAreFoundByIdThenByEmail(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("agents.yaml");
        Files.writeString(f, """
                agents:
                  - id: ag_17
                    email: dana@acme.example
                    zohoUserId: "100"
                  - email: Sam@Acme.example
                    zohoUserId: "200"
                """);
        AgentDirectory d = AgentDirectory.load(f);
        assertThat(d.userFor("ag_17", null)).contains("100");
        assertThat(d.userFor("ag_99", "sam@acme.example")).contains("200");
        assertThat(d.userFor("ag_99", "nobody@acme.example")).isEmpty();
    }

    @Test
    void theCheckedInFileIsValidAndAMissingFileIsEmpty(@TempDir Path dir) {
        assertThat(AgentDirectory.load(Path.of("config/agents.yaml")).size()).isZero();
        assertThat(AgentDirectory.load(dir.resolve("none.yaml")).size()).isZero();
    }

    @Test
    void aBrokenEntryStopsTheStart(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("agents.yaml");
        Files.writeString(f, "agents:\n  - id: ag_1\n    zohoUserId: dana\n");
        assertThatThrownBy(() -> AgentDirectory.load(f)).isInstanceOf(SettingsException.class).hasMessageContaining("SCC_SYNC_AGENTS_FILE");
    }
}
