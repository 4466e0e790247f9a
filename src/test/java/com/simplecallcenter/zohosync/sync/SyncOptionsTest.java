package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings that change what is written: create-missing Contacts/none, owners, end timeout, overwrites. */
class SyncOptionsTest {

    @Test
    void createAsContactsWithOwnersFromTheAgentMapTheUsersApiAndTheDefault() throws Exception {
        try (AppHarness h = AppHarness.on("t_sync_contacts").setting("scc.zoho.create-missing", "Contacts")
                .setting("scc.zoho.overwrite-fields", "First_Name").agents("").start()) {
            // agents.yaml is read at start-up: restart with a mapped agent
            String mapped = h.sandbox().addUser("mapped@acme.example", "Mia Mapped", "active");
            String byEmail = h.sandbox().addUser("dana@acme.example", "Dana Ruiz", "active");
            Files.writeString(h.agentsFile(), "agents:\n  - id: ag_mapped\n    zohoUserId: \"" + mapped + "\"\n");
            String fallback = h.sandbox().addUser("desk@acme.example", "Front Desk", "active");
            h.restart(Map.of("scc.zoho.default-owner-id", fallback));

            h.post(CanonicalEvent.ended("o-contact").from("+14155550601").status("answered").durationSeconds(8)
                    .members("\"agent\":{\"id\":\"ag_mapped\"}," + "\"caller\":{\"firstName\":\"Kim\",\"lastName\":\"Park\",\"email\":\"kim@example.com\"}"));
            Map<String, Object> row = h.awaitSynced("o-contact");
            assertThat(row.get("zoho_module")).isEqualTo("Contacts");
            Map<String, Object> contact = h.sandbox().record("Contacts", (String) row.get("zoho_record_id"));
            assertThat(contact.get("Last_Name")).isEqualTo("Park");
            assertThat(contact.get("Email")).isEqualTo("kim@example.com");
            assertThat(contact.get("Phone")).isEqualTo("+14155550601");
            assertThat(AppHarness.id(contact.get("Owner"))).isEqualTo(mapped);
            Map<String, Object> call = h.onlyCall("o-contact");
            assertThat(AppHarness.id(call.get("Who_Id"))).isEqualTo(contact.get("id"));
            assertThat(AppHarness.id(call.get("Owner"))).isEqualTo(mapped);

            // an agent not in agents.yaml is found among the active users by email
            h.post(CanonicalEvent.ended("o-by-email").from("+14155550601").status("answered").durationSeconds(8)
                    .members("\"agent\":{\"id\":\"ag_2\",\"email\":\"Dana@acme.example\"}," + "\"caller\":{\"firstName\":\"Kimberly\"}"));
            h.awaitSynced("o-by-email");
            assertThat(AppHarness.id(h.onlyCall("o-by-email").get("Owner"))).isEqualTo(byEmail);
            // First_Name may be overwritten (configured); nothing else is
            assertThat(h.sandbox().record("Contacts", (String) contact.get("id")).get("First_Name")).isEqualTo("Kimberly");

            // an unknown agent: the default owner, counted and listed
            h.post(CanonicalEvent.ended("o-unmapped").from("+14155550602").status("answered").durationSeconds(8)
                    .members("\"agent\":{\"id\":\"ag_ghost\",\"email\":\"ghost@acme.example\"}"));
            h.awaitSynced("o-unmapped");
            assertThat(AppHarness.id(h.onlyCall("o-unmapped").get("Owner"))).isEqualTo(fallback);
            assertThat(h.admin("GET", "/api/v1/admin/sync", null).body()).contains("\"unmappedAgents\":[\"ag_ghost\"]");
        }
    }

    @Test
    void createNothingAndLogACallNeverReportedEndedAfterTheEndTimeout() throws Exception {
        try (AppHarness h = AppHarness.on("t_sync_none").settings(Map.of(
                "scc.zoho.create-missing", "none",
                "scc.sync.end-timeout", "1500",
                "scc.zoho.outbound-unanswered", "outbound-min-duration")).start()) {
            h.post(CanonicalEvent.ended("o-none").from("+14155550701").status("answered").durationSeconds(8));
            Map<String, Object> row = h.awaitSynced("o-none");
            assertThat(row.get("zoho_record_id")).isNull();
            assertThat(h.sandbox().records("Leads")).isEmpty();
            assertThat(h.sandbox().records("Contacts")).isEmpty();
            assertThat(h.onlyCall("o-none").get("What_Id")).isNull();

            h.post(CanonicalEvent.ended("o-out").direction("outbound").from("+14155550100").to("+14155550702").status("busy"));
            h.awaitSynced("o-out");
            assertThat(h.onlyCall("o-out").get("Call_Type")).isEqualTo("Outbound");
            assertThat(h.onlyCall("o-out").get("Call_Duration")).isEqualTo("00:01");

            h.post(CanonicalEvent.event("o-never-ended-a", "o-never-ended", "call.answered").occurredAt("2026-11-24T10:15:09Z")
                    .direction("inbound").from("+14155550703").to("+14155550100").status("answered")
                    .members("\"startedAt\":\"2026-11-24T10:15:00Z\""));
            h.awaitStatus("o-never-ended", "waiting");
            assertThat(h.calls("o-never-ended")).isEmpty();
            h.awaitSynced("o-never-ended");
            assertThat(h.onlyCall("o-never-ended").get("Call_Type")).isEqualTo("Inbound");
        }
    }
}
