package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.config.Settings;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, item 5: with the shipped retry schedule (not the harness's short test delays), a Zoho blip of six failing
 * requests in a row (429, then 500) costs seconds, not the minute of the former 1 m park delay, while a long outage
 * still backs off to scc.sync.park.max-delay. The asserts read the times of Zoho's requests from the sandbox's journal
 * and next_attempt_at from call_sync, with bounds the schedule sets (a slow machine adds milliseconds, not seconds).
 */
class SyncBlipTest {

    static final Settings SHIPPED = Settings.of(Map.of());
    static final List<String> SCHEDULE = List.of("scc.sync.sweep-interval", "scc.sync.redelivery.max", "scc.sync.redelivery.delay",
            "scc.sync.redelivery.max-delay", "scc.sync.redelivery.multiplier", "scc.sync.redelivery.jitter", "scc.sync.park.delay",
            "scc.sync.park.max-delay");
    static AppHarness h;
    static ZohoSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        AppHarness.Builder b = AppHarness.on("t_sync_blip");
        SCHEDULE.forEach(k -> b.setting(k, SHIPPED.get(k)));
        // one request at a time, so that "the next six requests" are the attempts of one chain in order: with the
        // modules searched at once (scc.zoho.use-idle-slots) two searches share each attempt and the journal lists
        // them in the order they finished, not the order the faults were dealt
        b.setting("scc.zoho.use-idle-slots", "false");
        h = b.start();
        sandbox = h.sandbox();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @BeforeEach
    void clean() {
        sandbox.clearFaults();
        sandbox.clearJournal();
    }

    @Test
    void theShippedScheduleRetriesSoonAtFirstAndBacksOffToTheMaxDelay() {
        Duration base = SHIPPED.duration("scc.sync.park.delay", false);
        Duration max = SHIPPED.duration("scc.sync.park.max-delay", false);
        assertThat(CallSyncRepository.parkDelay(base, max, 0)).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(CallSyncRepository.parkDelay(base, max, 1)).isEqualTo(CallSyncRepository.parkDelay(base, max, 0).multipliedBy(2));
        assertThat(CallSyncRepository.parkDelay(base, max, 12)).isEqualTo(max);
        assertThat(CallSyncRepository.parkDelay(base, max, 1000)).isEqualTo(max);
        assertThat(max).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aBlipOfSixFailingRequestsCostsSecondsNotAMinute() {
        // three 429s, then three 500s: the next six requests to the CRM API, whatever they are
        AtomicInteger failed = new AtomicInteger();
        sandbox.failWhen(r -> r.isApi() && failed.get() < 3 && failed.incrementAndGet() <= 3, 429, "TOO_MANY_REQUESTS");
        sandbox.failWhen(r -> r.isApi() && failed.get() < 6 && failed.incrementAndGet() <= 6, 500, "INTERNAL_ERROR");
        h.post(CanonicalEvent.ended("blip-1").from("+14155550801").status("answered").durationSeconds(30));
        h.awaitSynced("blip-1");
        h.onlyCall("blip-1");

        List<ZohoSandbox.JournalEntry> api = sandbox.journal().stream().filter(e -> e.path().startsWith("/crm/")).toList();
        assertThat(api.subList(0, 6)).extracting(ZohoSandbox.JournalEntry::status).containsExactly(429, 429, 429, 500, 500, 500);
        // five attempts in place (0.25 + 0.5 + 1 + 2 s, +-25 %), then parked
        assertThat(Duration.between(api.get(0).at(), api.get(4).at())).isLessThan(Duration.ofSeconds(7));
        // parked for 2 s (+-20 %) and taken back by the next sweep (1 s): the former schedule waited 48 to 72 s here
        assertThat(Duration.between(api.get(4).at(), api.get(5).at())).isLessThan(Duration.ofSeconds(6));
        // the whole blip, up to the Call written: seconds
        assertThat(Duration.between(api.get(0).at(), api.get(api.size() - 1).at())).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aLongOutageStillBacksOffToTheMaxDelay() {
        sandbox.failNext(1_000_000, 500, "INTERNAL_ERROR");
        h.post(CanonicalEvent.ended("outage-1").from("+14155550802").status("answered").durationSeconds(30));
        Map<String, Object> first = Wait.until(() -> row("outage-1"), r -> "parked".equals(r.get("status")));
        Duration firstDelay = delay(first);
        assertThat(firstDelay).isBetween(Duration.ofMillis(1500), Duration.ofMillis(2500));

        // the call has been parked a dozen times already (a long outage): its next park waits the max delay
        h.db().update("UPDATE call_sync SET parked_count = 12, next_attempt_at = now() WHERE call_id = 'outage-1'");
        Map<String, Object> later = Wait.until(() -> h.row("outage-1"), r -> ((Number) r.get("parked_count")).intValue() == 13);
        assertThat(later.get("status")).isEqualTo("parked");
        Duration max = SHIPPED.duration("scc.sync.park.max-delay", false);
        assertThat(delay(later)).isBetween(max.multipliedBy(8).dividedBy(10).minusSeconds(5), max.multipliedBy(12).dividedBy(10));
    }

    static Map<String, Object> row(String callId) {
        List<Map<String, Object>> rows = h.db().queryForList("SELECT * FROM call_sync WHERE call_id = ?", callId);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    /** How far ahead the park put the call's next attempt (the park wrote next_attempt_at and updated_at together). */
    static Duration delay(Map<String, Object> row) {
        return Duration.between(((Timestamp) row.get("updated_at")).toInstant(), ((Timestamp) row.get("next_attempt_at")).toInstant());
    }
}
