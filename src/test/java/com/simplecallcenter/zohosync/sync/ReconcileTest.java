package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconciliation against the sandbox: each kind of drift found and reported, acted on only when configured, and a run
 * that pages through COQL and stops at the page cap.
 */
class ReconcileTest {

    private static String synced(AppHarness h, String callId, String number) {
        h.post(CanonicalEvent.ended(callId).from(number).status("answered").durationSeconds(30));
        return (String) h.awaitSynced(callId).get("zoho_call_id");
    }

    private static String seedCall(ZohoSandbox sb, String callId, OffsetDateTime created) {
        return sb.seedRecord("Calls", Map.of("Subject", "seeded", "Call_Type", "Inbound", "Call_Duration", "00:30",
                "Call_Start_Time", created.toString(), "SCC_Call_ID", callId, "Created_Time", created.toString()));
    }

    private static JsonNode reconcile(AppHarness h) {
        HttpResponse<String> r = h.admin("POST", "/api/v1/admin/reconcile", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return AppHarness.json(r.body());
    }

    @Test
    void reportsDeletedAndDuplicateCallsAndAdoptsAnUnrecordedOneChangingNothingElseByDefault() throws Exception {
        try (AppHarness h = AppHarness.on("t_reconcile_report").start()) {
            String gone = synced(h, "r-deleted", "+14155550801");
            String original = synced(h, "r-dup", "+14155550802");
            String lost = synced(h, "r-lost", "+14155550803");
            synced(h, "r-ok", "+14155550804");
            h.sandbox().deleteRecord("Calls", gone);
            String extra = seedCall(h.sandbox(), "r-dup", OffsetDateTime.now(ZoneOffset.UTC));
            // a lost insert answer: Zoho has the Call, we never recorded its id
            h.db().update("UPDATE call_sync SET zoho_call_id = NULL WHERE call_id = 'r-lost'");

            JsonNode report = reconcile(h);
            assertThat(report.get("checked").asInt()).isEqualTo(4);
            assertThat(report.get("truncated").asBoolean()).isFalse();
            assertThat(report.get("deleted")).hasSize(1);
            assertThat(report.at("/deleted/0/callId").asText()).isEqualTo("r-deleted");
            assertThat(report.at("/deleted/0/zohoCallId").asText()).isEqualTo(gone);
            assertThat(report.at("/deleted/0/recreated").asBoolean()).isFalse();
            assertThat(report.get("duplicates")).hasSize(1);
            assertThat(report.at("/duplicates/0/callId").asText()).isEqualTo("r-dup");
            assertThat(report.at("/duplicates/0/ids").toString()).isEqualTo("[\"" + original + "\",\"" + extra + "\"]");
            assertThat(report.at("/duplicates/0/removed")).isEmpty();
            assertThat(report.get("adopted")).hasSize(1);
            assertThat(report.at("/adopted/0/callId").asText()).isEqualTo("r-lost");
            assertThat(report.at("/adopted/0/zohoCallId").asText()).isEqualTo(lost);

            // report only: nothing re-created, nothing removed; the adopted mapping is stored
            assertThat(h.calls("r-deleted")).isEmpty();
            assertThat(h.calls("r-dup")).hasSize(2);
            assertThat(h.row("r-lost").get("zoho_call_id")).isEqualTo(lost);
            assertThat(h.row("r-deleted").get("status")).isEqualTo("synced");

            // kept per tenant, counted per kind; a second run adopts nothing more
            JsonNode again = reconcile(h);
            assertThat(again.get("adopted")).isEmpty();
            assertThat(again.get("deleted")).hasSize(1);
            String stored = h.db().queryForObject("SELECT report::text FROM reconcile_report WHERE tenant_id = 'default'", String.class);
            assertThat(AppHarness.json(stored).get("finishedAt").asText()).isEqualTo(again.get("finishedAt").asText());
            String metrics = h.request("GET", "/metrics", null, null).body();
            assertThat(metrics).containsPattern("scc_reconcile_findings_total\\{kind=\"deleted\",tenant=\"default\"} 2\\.0");
            assertThat(metrics).containsPattern("scc_reconcile_findings_total\\{kind=\"duplicate\",tenant=\"default\"} 2\\.0");
            assertThat(metrics).containsPattern("scc_reconcile_findings_total\\{kind=\"adopted\",tenant=\"default\"} 1\\.0");
        }
    }

    @Test
    void recreatesADeletedCallOnceAndRemovesExtrasKeepingTheMappedElseTheOldestWhenConfigured() throws Exception {
        try (AppHarness h = AppHarness.on("t_reconcile_act").settings(Map.of(
                "scc.reconcile.recreate-deleted", "true", "scc.reconcile.remove-duplicates", "true")).start()) {
            String gone = synced(h, "a-deleted", "+14155550811");
            String mapped = synced(h, "a-dup", "+14155550812");
            String unrecorded = synced(h, "a-lost-dup", "+14155550813");
            OffsetDateTime earlier = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
            h.sandbox().deleteRecord("Calls", gone);
            // older than the mapped Call, still the extra: our mapping names the one to keep
            String olderExtra = seedCall(h.sandbox(), "a-dup", earlier);
            // no mapping and two Calls: the oldest is kept and adopted
            String oldest = seedCall(h.sandbox(), "a-lost-dup", earlier);
            h.db().update("UPDATE call_sync SET zoho_call_id = NULL WHERE call_id = 'a-lost-dup'");
            // a duplicate of a call id we never heard of is reported, never removed
            String strangerA = seedCall(h.sandbox(), "not-ours", earlier);
            String strangerB = seedCall(h.sandbox(), "not-ours", earlier.plusMinutes(1));

            JsonNode report = reconcile(h);
            assertThat(report.at("/deleted/0/callId").asText()).isEqualTo("a-deleted");
            assertThat(report.at("/deleted/0/recreated").asBoolean()).isTrue();
            Map<String, JsonNode> dups = new java.util.HashMap<>();
            report.get("duplicates").forEach(d -> dups.put(d.get("callId").asText(), d));
            assertThat(dups.keySet()).containsExactlyInAnyOrder("a-dup", "a-lost-dup", "not-ours");
            assertThat(dups.get("a-dup").get("kept").asText()).isEqualTo(mapped);
            assertThat(dups.get("a-dup").get("removed").toString()).isEqualTo("[\"" + olderExtra + "\"]");
            assertThat(dups.get("a-lost-dup").get("kept").asText()).isEqualTo(oldest);
            assertThat(dups.get("a-lost-dup").get("removed").toString()).isEqualTo("[\"" + unrecorded + "\"]");
            assertThat(dups.get("not-ours").get("removed")).isEmpty();
            assertThat(report.at("/adopted/0/callId").asText()).isEqualTo("a-lost-dup");
            assertThat(report.at("/adopted/0/zohoCallId").asText()).isEqualTo(oldest);

            // the deleted Call is inserted again, once, and mapped
            Map<String, Object> row = h.awaitSynced("a-deleted");
            assertThat(row.get("zoho_call_id")).isNotNull().isNotEqualTo(gone);
            assertThat(h.onlyCall("a-deleted").get("id")).isEqualTo(row.get("zoho_call_id"));
            assertThat(h.onlyCall("a-dup").get("id")).isEqualTo(mapped);
            assertThat(h.onlyCall("a-lost-dup").get("id")).isEqualTo(oldest);
            assertThat(h.row("a-lost-dup").get("zoho_call_id")).isEqualTo(oldest);
            assertThat(h.calls("not-ours")).extracting(c -> c.get("id")).containsExactlyInAnyOrder(strangerA, strangerB);

            // drift settled: the next run finds nothing
            JsonNode clean = reconcile(h);
            assertThat(clean.get("deleted")).isEmpty();
            assertThat(clean.get("adopted")).isEmpty();
            assertThat(clean.get("duplicates")).extracting(d -> d.get("callId").asText()).containsExactly("not-ours");
        }
    }

    @Test
    void pagesThroughCoqlAndStopsAtThePageCap() throws Exception {
        try (AppHarness h = AppHarness.on("t_reconcile_pages").settings(Map.of(
                "scc.reconcile.page-size", "2", "scc.reconcile.max-pages", "2")).start()) {
            String gone = synced(h, "p-deleted", "+14155550821");
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            for (int i = 0; i < 4; i++) {
                seedCall(h.sandbox(), "p-" + i, now);
            }
            // outside the window: never asked for
            seedCall(h.sandbox(), "p-old", now.minusDays(8));
            h.sandbox().deleteRecord("Calls", gone);
            h.sandbox().clearJournal();

            JsonNode capped = reconcile(h);
            List<ZohoSandbox.JournalEntry> coql = h.sandbox().journal().stream().filter(e -> e.path().equals("/crm/v8/coql")).toList();
            assertThat(coql).hasSize(2);
            assertThat(coql.get(0).body()).contains("limit 2 offset 0").contains("Created_Time > '");
            assertThat(coql.get(1).body()).contains("limit 2 offset 2");
            assertThat(capped.get("pages").asInt()).isEqualTo(2);
            assertThat(capped.get("checked").asInt()).isEqualTo(4);
            assertThat(capped.get("truncated").asBoolean()).isTrue();
            // a Call missing from a partial read may be on a page not read: not reported deleted
            assertThat(capped.get("deleted")).isEmpty();

            h.restart(Map.of("scc.reconcile.max-pages", "3"));
            h.sandbox().clearJournal();
            JsonNode whole = reconcile(h);
            assertThat(h.sandbox().journal().stream().filter(e -> e.path().equals("/crm/v8/coql")).count()).isEqualTo(3);
            assertThat(whole.get("checked").asInt()).isEqualTo(4);
            assertThat(whole.get("truncated").asBoolean()).isFalse();
            assertThat(whole.at("/deleted/0/callId").asText()).isEqualTo("p-deleted");
        }
    }

    @Test
    void runsOnScheduleAndTheAdminActionNeedsAuthAndAConnection() throws Exception {
        try (AppHarness h = AppHarness.on("t_reconcile_schedule").setting("scc.reconcile.interval", "1s").start()) {
            Wait.until(() -> h.db().queryForObject("SELECT count(*) FROM reconcile_report WHERE report IS NOT NULL", Integer.class),
                    n -> n == 1);
            // switched off like an optional route: no scheduled run any more
            h.setFeature("reconcile", false);
            Thread.sleep(300); // a run the timer started before the switch ends
            Object finished = h.db().queryForObject("SELECT finished_at FROM reconcile_report", Object.class);
            Thread.sleep(2500);
            assertThat(h.db().queryForObject("SELECT finished_at FROM reconcile_report", Object.class)).isEqualTo(finished);

            // the last report is on the admin page
            HttpResponse<String> login = Http.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/admin/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + AppHarness.ADMIN)).build());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            String page = Http.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/admin")).header("Cookie", cookie).GET().build()).body();
            assertThat(page).contains("Reconciliation with Zoho").contains("Calls checked").contains("deleted in Zoho");

            assertThat(h.request("POST", "/api/v1/admin/reconcile", null, null).statusCode()).isEqualTo(401);
            assertThat(h.request("POST", "/api/v1/tenants/default/admin/reconcile", null, AppHarness.ADMIN).statusCode()).isEqualTo(200);
            assertThat(h.request("POST", "/api/v1/tenants/nobody/admin/reconcile", null, AppHarness.ADMIN).statusCode()).isEqualTo(404);
        }
        try (AppHarness h = AppHarness.on("t_reconcile_unconnected").notConnected().start()) {
            HttpResponse<String> r = h.admin("POST", "/api/v1/admin/reconcile", null);
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }
}
