package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplecallcenter.zohosync.sandbox.ZohoSandbox;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Http;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Many new callers at once through the whole sync, with Zoho slow enough that their Lead creates and Call inserts
 * share requests (scc.zoho.write-batch-size 10, in-flight 2): still one Lead per caller and one Call per call, also
 * when batched requests lose their answers, and each call is charged its share of the requests it rode in.
 */
class SyncBatchingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static AppHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = AppHarness.on("t_sync_batching").setting("scc.sync.redelivery.max", "6").start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @AfterEach
    void calm() {
        h.sandbox().latency(Duration.ZERO);
        h.sandbox().clearFaults();
    }

    @Test
    void concurrentNewCallersShareWritesAndEachGetsItsOwnLeadAndCall() {
        h.sandbox().latency(Duration.ofMillis(150));
        h.sandbox().clearJournal();
        double chargedBefore = requestsCharged();
        List<String> calls = postConcurrently("b-new-", "+1415555%04d", 1000, 24);
        for (String callId : calls) {
            h.awaitSynced(callId);
        }
        assertOneLeadAndOneCallEach(calls, "+1415555%04d", 1000);
        long leadRequests = h.sandbox().count("POST", "/crm/v8/Leads");
        long callRequests = h.sandbox().count("POST", "/crm/v8/Calls");
        assertThat(leadRequests).as("Lead creates for %d new callers", calls.size()).isLessThan(calls.size());
        assertThat(callRequests).as("Call inserts for %d calls", calls.size()).isLessThan(calls.size());
        // every Zoho request is charged to the calls it served, in shares that add up to the requests made
        long crmRequests = h.sandbox().journal().stream().filter(e -> e.path().startsWith("/crm/")).count();
        assertThat(requestsCharged() - chargedBefore).isCloseTo(crmRequests, within(1e-6));
        DistributionSummary batches = meters().find("scc.zoho.write.batch.size").tag("verb", "insert").tag("module", "Leads").summary();
        assertThat(batches.max()).isGreaterThan(1).isLessThanOrEqualTo(10);
        assertThat(Http.get("http://127.0.0.1:" + h.port() + "/metrics").body())
                .contains("scc_zoho_write_batch_size_count{module=\"Calls\",verb=\"insert\"}");
    }

    @Test
    void batchedWritesWhoseAnswersAreLostAreLookedUpNotWrittenTwice() {
        h.sandbox().latency(Duration.ofMillis(150));
        h.sandbox().clearJournal();
        long coqlBefore = h.sandbox().count("POST", "/crm/v8/coql");
        // the first writes are sent and applied, but their answers never arrive: Lead creates first, then Calls
        h.sandbox().dropConnectionNext(6);
        List<String> calls = postConcurrently("b-drop-", "+1415556%04d", 2000, 20);
        for (String callId : calls) {
            h.awaitSynced(callId);
        }
        assertOneLeadAndOneCallEach(calls, "+1415556%04d", 2000);
        List<ZohoSandbox.JournalEntry> dropped = h.sandbox().journal().stream().filter(e -> e.status() == 0).toList();
        assertThat(dropped).hasSize(6);
        assertThat(dropped).as("a dropped request that carried several calls' records")
                .anyMatch(e -> records(e) > 1);
        assertThat(h.sandbox().count("POST", "/crm/v8/coql")).isGreaterThan(coqlBefore);
    }

    // ------------------------------------------------------------------ helpers

    /** n inbound answered calls, each from its own new number, their call.ended events posted all at once. */
    private static List<String> postConcurrently(String prefix, String numberFormat, int firstNumber, int n) {
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<Void>> posts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String callId = prefix + i;
            String number = String.format(numberFormat, firstNumber + i);
            ids.add(callId);
            posts.add(CompletableFuture.runAsync(() -> h.post(CanonicalEvent.ended(callId).from(number).status("answered")
                    .durationSeconds(61))));
        }
        posts.forEach(CompletableFuture::join);
        return ids;
    }

    private static void assertOneLeadAndOneCallEach(List<String> calls, String numberFormat, int firstNumber) {
        for (int i = 0; i < calls.size(); i++) {
            String number = String.format(numberFormat, firstNumber + i);
            List<Map<String, Object>> leads = h.sandbox().records("Leads").stream().filter(l -> number.equals(l.get("Phone"))).toList();
            assertThat(leads).as("Leads with phone " + number).hasSize(1);
            Map<String, Object> call = h.onlyCall(calls.get(i));
            assertThat(AppHarness.id(call.get("What_Id"))).as("Lead of " + calls.get(i)).isEqualTo(leads.get(0).get("id"));
            assertThat(h.row(calls.get(i)).get("zoho_call_id")).isEqualTo(call.get("id"));
        }
    }

    private static int records(ZohoSandbox.JournalEntry e) {
        try {
            JsonNode body = JSON.readTree(e.body());
            return body.path("data").size();
        } catch (Exception ex) {
            return 0;
        }
    }

    private static MeterRegistry meters() {
        return h.app().context().getRegistry().lookupByNameAndType("meterRegistry", MeterRegistry.class);
    }

    private static double requestsCharged() {
        DistributionSummary s = meters().find("scc_sync_zoho_requests_per_call").summary();
        return s == null ? 0 : s.totalAmount();
    }
}
