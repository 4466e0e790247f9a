package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scc.zoho.use-idle-slots (issue 14, item 1): while the org has idle request slots, one caller's match modules are
 * searched at once (a new caller waits one search, not two), and the module order still decides between hits; with
 * the setting off, modules are searched one after another and the search stops at the first hit.
 */
class SyncSearchAheadTest {

    static AppHarness on;
    static AppHarness off;

    @BeforeAll
    static void start() throws Exception {
        on = AppHarness.on("t_sync_search_ahead").start();
        off = AppHarness.on("t_sync_search_in_order").setting("scc.zoho.use-idle-slots", "false").start();
    }

    @AfterAll
    static void stop() {
        on.close();
        off.close();
    }

    @AfterEach
    void calm() {
        on.sandbox().latency(Duration.ZERO);
        off.sandbox().latency(Duration.ZERO);
    }

    @Test
    void aNewCallersModulesAreSearchedAtOnceWhileSlotsIdle() {
        on.sandbox().latency(Duration.ofMillis(600));
        on.sandbox().clearJournal();
        on.post(CanonicalEvent.ended("sa-new").from("+14155550601").status("answered").durationSeconds(30));
        on.awaitSynced("sa-new");
        List<ZohoSandbox.JournalEntry> searches = searches(on);
        assertThat(searches).extracting(ZohoSandbox.JournalEntry::path)
                .containsExactlyInAnyOrder("/crm/v8/Contacts/search", "/crm/v8/Leads/search");
        // in order, the second search would arrive after the first one's 600 ms; at once, both arrive together
        Duration apart = Duration.between(searches.get(0).at(), searches.get(1).at()).abs();
        assertThat(apart).isLessThan(Duration.ofMillis(400));
        assertThat(on.sandbox().records("Leads").stream().filter(l -> "+14155550601".equals(l.get("Phone")))).hasSize(1);
    }

    @Test
    void anEarlierModulesHitWinsOverALaterOneFoundAtTheSameTime() {
        String contact = on.sandbox().seedRecord("Contacts", Map.of("Last_Name", "Both", "Phone", "(415) 555-0602"));
        on.sandbox().seedRecord("Leads", Map.of("Last_Name", "Both", "Company", "Acme", "Phone", "+1 415 555 0602"));
        on.sandbox().clearJournal();
        on.post(CanonicalEvent.ended("sa-both").from("+14155550602").status("answered").durationSeconds(30));
        assertThat(on.awaitSynced("sa-both").get("zoho_record_id")).isEqualTo(contact);
        assertThat(AppHarness.id(on.onlyCall("sa-both").get("Who_Id"))).isEqualTo(contact);
        assertThat(searches(on)).as("both modules searched at once").hasSize(2);
    }

    @Test
    void withTheSettingOffModulesAreSearchedInOrderAndAFirstModuleHitSavesTheSecondSearch() {
        off.sandbox().latency(Duration.ofMillis(300));
        String contact = off.sandbox().seedRecord("Contacts", Map.of("Last_Name", "First", "Phone", "(415) 555-0603"));
        off.sandbox().clearJournal();
        off.post(CanonicalEvent.ended("so-hit").from("+14155550603").status("answered").durationSeconds(30));
        assertThat(off.awaitSynced("so-hit").get("zoho_record_id")).isEqualTo(contact);
        assertThat(searches(off)).extracting(ZohoSandbox.JournalEntry::path).containsExactly("/crm/v8/Contacts/search");

        off.sandbox().clearJournal();
        off.post(CanonicalEvent.ended("so-new").from("+14155550604").status("answered").durationSeconds(30));
        off.awaitSynced("so-new");
        List<ZohoSandbox.JournalEntry> searches = searches(off);
        assertThat(searches).extracting(ZohoSandbox.JournalEntry::path)
                .containsExactly("/crm/v8/Contacts/search", "/crm/v8/Leads/search");
        assertThat(Duration.between(searches.get(0).at(), searches.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    private static List<ZohoSandbox.JournalEntry> searches(AppHarness h) {
        return h.sandbox().journal().stream().filter(e -> e.path().endsWith("/search")).toList();
    }
}
