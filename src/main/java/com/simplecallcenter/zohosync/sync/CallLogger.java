package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoNotConnectedException;
import com.simplecallcenter.zohosync.zoho.ZohoPermanentException;
import com.simplecallcenter.zohosync.zoho.ZohoRateLimitedException;
import com.simplecallcenter.zohosync.zoho.ZohoWriteBatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Writes the Call activity: inserted once, then updated by id. Zoho has no upsert and no external id for Calls, so
 * idempotency is ours: the call id → Zoho Call id mapping (under the per-call lock), and an insert marker committed
 * before the insert. Only when a marker is left without an id (timeout, dropped connection, crash between Zoho's
 * answer and our commit) is the Call looked up, by COQL on the call-id field: 0 → insert, 1 → update it,
 * 2 → update the oldest. Never by search, whose index lags behind writes. Inserts and updates go through the
 * {@link ZohoWriteBatcher}, so one request may carry the Calls of several concurrent calls; each call still gets its
 * own record's outcome, and its marker is committed before its record is handed over.
 */
public class CallLogger {

    private static final Logger LOG = LoggerFactory.getLogger("scc.sync");

    private final ZohoClient zoho;
    private final ZohoWriteBatcher writes;
    private final CallMapper mapper;
    private final CallSyncRepository repository;
    private final SyncSettings settings;

    public CallLogger(ZohoClient zoho, ZohoWriteBatcher writes, CallMapper mapper, CallSyncRepository repository, SyncSettings settings) {
        this.zoho = zoho;
        this.writes = writes;
        this.mapper = mapper;
        this.repository = repository;
        this.settings = settings;
    }

    /** Route step. */
    public void log(SyncWork work) {
        CallMapper.Link link = work.getLinkId() == null ? null : new CallMapper.Link(work.getLinkModule(), work.getLinkId());
        Optional<ObjectNode> call = mapper.toCall(work.getState(), link, work.getOwnerId(), work.getRelated());
        if (call.isEmpty()) {
            work.setCallOutcome("skipped");
            return;
        }
        CallSyncRow row = repository.find(work.getCallId()).orElseThrow();
        String id = row.zohoCallId();
        if (id == null && row.callInsertStartedAt() != null) {
            id = lookUp(work).orElse(null);
            if (id != null) {
                repository.storeCallId(work.getCallId(), id);
            }
        }
        if (id != null) {
            ObjectNode update = call.get().deepCopy();
            update.put("id", id);
            // possibly in one request with other calls' updates: this call is charged its share of it
            SyncFailures.requireSuccess(writes.update("Calls", update, work::countZohoRequests));
            work.setZohoCallId(id);
            work.setCallOutcome("updated");
            return;
        }
        // committed before the record is handed to the batcher: whatever happens to the request that carries it
        // (and to the other calls' records in it), an unknown outcome is looked up by COQL next time
        repository.markCallInsertStarted(work.getCallId());
        ZohoClient.RecordResult result;
        try {
            result = writes.insert("Calls", call.get(), work::countZohoRequests);
        } catch (ZohoRateLimitedException | ZohoPermanentException | ZohoNotConnectedException e) {
            // the whole request was refused, so nothing of it was written
            repository.clearCallInsertStarted(work.getCallId());
            throw e;
        }
        ZohoClient.RecordResult r = SyncFailures.requireSuccess(result);
        repository.storeCallId(work.getCallId(), r.id());
        work.setZohoCallId(r.id());
        work.setCallOutcome("inserted");
    }

    private Optional<String> lookUp(SyncWork work) {
        work.countZohoRequest();
        // call ids are [A-Za-z0-9._:-] (ingest validates them): safe inside a COQL literal
        List<ObjectNode> rows = zoho.coql("select id, Created_Time from Calls where " + settings.callIdField() + " = '"
                + work.getCallId() + "' limit 2");
        if (rows.size() > 1) {
            LOG.warn("call {}: {} Call activities carry this call id; updating the oldest", work.getCallId(), rows.size());
        }
        return rows.stream()
                .min(Comparator.comparing((ObjectNode r) -> MatchRules.text(r, "Created_Time") == null ? "" : MatchRules.text(r, "Created_Time"))
                        .thenComparing(r -> MatchRules.text(r, "id").length()).thenComparing(r -> MatchRules.text(r, "id")))
                .map(r -> MatchRules.text(r, "id"));
    }
}
