package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.http.Tenancy;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answers of the sync's HTTP endpoints: one call's state, the failures, a replay, the status. */
public class SyncAdmin {

    private final CallSyncRepository repository;
    private final Problems problems;
    private final SyncMetrics metrics;
    private final PersonMatcher matcher;
    private final ProducerTemplate producer;
    private final String handOffUri;

    public SyncAdmin(CallSyncRepository repository, Problems problems, SyncMetrics metrics, PersonMatcher matcher,
                     ProducerTemplate producer, String handOffUri) {
        this.repository = repository;
        this.problems = problems;
        this.metrics = metrics;
        this.matcher = matcher;
        this.producer = producer;
        this.handOffUri = handOffUri;
    }

    /** {@code GET /api/v1/calls/{callId}}. */
    public void call(Exchange exchange) {
        String tenant = Tenancy.of(exchange);
        String callId = exchange.getMessage().getHeader("callId", String.class);
        CallSyncRow row = repository.find(tenant, callId).orElse(null);
        if (row == null && !repository.hasEvents(tenant, callId)) {
            throw ProblemException.notFound("no call " + callId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("callId", callId);
        if (row == null) {
            body.put("status", "pending");
            body.put("zoho", zoho(null, null, null));
            body.put("attempts", 0);
            body.put("lastError", null);
        } else {
            body.put("status", apiStatus(row.status()));
            body.put("zoho", zoho(row.zohoModule(), row.zohoRecordId(), row.zohoCallId()));
            body.put("attempts", row.attempts());
            body.put("lastError", row.lastErrorCode() == null ? null : error(row));
            // additions to the contract
            body.put("waitingForEnd", row.status().equals("waiting"));
            body.put("ownerId", row.ownerId());
            body.put("ambiguity", row.ambiguity());
            body.put("nextAttemptAt", row.nextAttemptAt() == null ? null : row.nextAttemptAt().toString());
            body.put("syncedAt", row.syncedAt() == null ? null : row.syncedAt().toString());
        }
        problems.json(exchange, 200, body);
    }

    /** {@code GET /api/v1/admin/failures}: parked and dead calls, newest first. */
    public void failures(Exchange exchange) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (CallSyncRow row : repository.failures(Tenancy.of(exchange), 500)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("callId", row.callId());
            item.put("status", row.status());
            item.put("code", row.lastErrorCode());
            item.put("field", row.lastErrorField());
            item.put("message", row.lastErrorMessage());
            item.put("attempts", row.attempts());
            item.put("lastAttemptAt", row.lastAttemptAt() == null ? null : row.lastAttemptAt().toString());
            item.put("nextAttemptAt", row.nextAttemptAt() == null ? null : row.nextAttemptAt().toString());
            items.add(item);
        }
        problems.json(exchange, 200, Map.of("items", items));
    }

    /** {@code POST /api/v1/admin/calls/{callId}/replay}: 202, the call is synced again right away. */
    public void replay(Exchange exchange) {
        String callId = exchange.getMessage().getHeader("callId", String.class);
        if (!replay(Tenancy.of(exchange), callId)) {
            throw ProblemException.notFound("no call " + callId);
        }
        problems.json(exchange, 202, Map.of("callId", callId, "status", "accepted"));
    }

    /** Makes the tenant's call pending and hands it to the sync at once; false for an unknown call. */
    public boolean replay(String tenant, String callId) {
        if (callId == null || !repository.hasEvents(tenant, callId) || !repository.replay(tenant, callId)) {
            return false;
        }
        producer.sendBodyAndHeader(handOffUri, callId, Tenancy.HEADER, tenant);
        return true;
    }

    /** The agents seen in the tenant's calls without a Zoho user (since this instance started), sorted. */
    public List<String> unmappedAgents(String tenant) {
        return metrics.unmappedAgents(tenant).stream().sorted().toList();
    }

    public CallSyncRepository repository() {
        return repository;
    }

    /** {@code GET /api/v1/admin/sync}: counts by status, unmapped agents, match cache. */
    public void status(Exchange exchange) {
        String tenant = Tenancy.of(exchange);
        CallSyncRepository.Counts c = repository.counts(tenant);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("calls", Map.of("pending", c.pending(), "waiting", c.waiting(), "synced", c.synced(), "parked", c.parked(),
                "dead", c.dead()));
        body.put("unmappedAgents", metrics.unmappedAgents(tenant).stream().sorted().toList());
        body.put("matchCache", Map.of("entries", matcher.cacheSize(), "hits", (long) metrics.cacheHits(),
                "misses", (long) metrics.cacheMisses()));
        problems.json(exchange, 200, body);
    }

    private static Map<String, Object> zoho(String module, String recordId, String callActivityId) {
        Map<String, Object> z = new LinkedHashMap<>();
        z.put("module", module);
        z.put("recordId", recordId);
        z.put("callActivityId", callActivityId);
        return z;
    }

    private static Map<String, Object> error(CallSyncRow row) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", row.lastErrorCode());
        e.put("field", row.lastErrorField());
        e.put("message", row.lastErrorMessage());
        return e;
    }

    /** The contract knows pending, synced, parked, dead: a call waiting for its end is pending. */
    static String apiStatus(String status) {
        return status.equals("waiting") ? "pending" : status;
    }
}
