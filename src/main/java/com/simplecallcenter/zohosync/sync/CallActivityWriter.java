package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.ops.LogSafe;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoFieldLimits;
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
 * our mapping (call id → Zoho Call id, under the per-call lock) decides, and an insert marker committed before the
 * insert makes an unknown outcome a COQL look-up on the call-id field, never a second insert (search lags behind
 * writes). Writes go through the {@link ZohoWriteBatcher}.
 */
public class CallActivityWriter {

    private static final Logger LOG = LoggerFactory.getLogger("scc.sync");

    private final SyncTenants tenants;
    private final CallMapper mapper;
    private final CallSyncRepository repository;
    private final SyncSettings settings;
    private final PersonMatcher matcher;

    public CallActivityWriter(SyncTenants tenants, CallMapper mapper, CallSyncRepository repository,
                              SyncSettings settings, PersonMatcher matcher) {
        this.tenants = tenants;
        this.mapper = mapper;
        this.repository = repository;
        this.settings = settings;
        this.matcher = matcher;
    }

    /**
     * Route step before the choice of sync-call: the Call activity the call already has (our mapping; after an insert
     * whose answer was lost, a COQL look-up), or none; or no Call at all for this call (scc.zoho.outbound-unanswered=skip).
     */
    public void find(SyncWork work) {
        if (mapper.callType(work.getState()) == null) {
            work.skipCall();
            return;
        }
        CallSyncRow row = repository.find(work.getTenant(), work.getCallId()).orElseThrow();
        String id = row.zohoCallId();
        if (id == null && row.callInsertStartedAt() != null) {
            id = lookUp(work).orElse(null);
            if (id != null) {
                repository.storeCallId(work.getTenant(), work.getCallId(), id);
            }
        }
        work.setZohoCallId(id);
    }

    /** Route step when the call has its Call activity: brings it to the call's state. */
    public void update(SyncWork work) {
        update(work, fields(work), work.getZohoCallId(), "updated");
    }

    /** Route step when the call has no Call activity yet: inserts it, once. */
    public void insert(SyncWork work) {
        ObjectNode call = fields(work);
        if (work.isCallInsertAttempted()) {
            // a redelivery of this step: the attempt before may have reached Zoho
            find(work);
            if (work.getZohoCallId() != null) {
                update(work, call, work.getZohoCallId(), "updated");
                return;
            }
        }
        work.callInsertAttempted();
        // committed before the record is handed to the batcher: whatever happens to the request that carries it
        // (and to the other calls' records in it), an unknown outcome is looked up by COQL next time
        repository.markCallInsertStarted(work.getTenant(), work.getCallId());
        ZohoClient.RecordResult result;
        try {
            result = tenants.writes(work.getTenant()).insert("Calls", call, work::countZohoRequests);
        } catch (ZohoRateLimitedException | ZohoPermanentException | ZohoNotConnectedException e) {
            // the whole request was refused, so nothing of it was written
            repository.clearCallInsertStarted(work.getTenant(), work.getCallId());
            throw e;
        }
        ZohoClient.RecordResult r = result;
        if (r != null && !r.success() && "DUPLICATE_DATA".equals(r.code()) && tenants.settings(work.getTenant()).callIdField().equals(r.field()) && r.id() != null) {
            // the call-id field is unique in this org and a Call already carries our id (an earlier insert whose
            // answer was lost): adopt that Call and bring it to the current state
            LOG.info("tenant={} call {}: Zoho already holds its Call {} (DUPLICATE_DATA on {}); adopting it", work.getTenant(), work.getCallId(),
                    LogSafe.text(r.id()), LogSafe.text(r.field()));
            repository.storeCallId(work.getTenant(), work.getCallId(), r.id());
            update(work, call, r.id(), "adopted");
            return;
        }
        if (r != null && !r.success()) {
            // refused: nothing was inserted, so no look-up is needed next time
            repository.clearCallInsertStarted(work.getTenant(), work.getCallId());
            personGone(work, r);
        }
        r = SyncFailures.requireSuccess(r);
        repository.storeCallId(work.getTenant(), work.getCallId(), r.id());
        work.setZohoCallId(r.id());
        work.setCallOutcome("inserted");
    }

    private ObjectNode fields(SyncWork work) {
        CallMapper.Link link = work.getLinkId() == null ? null : new CallMapper.Link(work.getLinkModule(), work.getLinkId());
        ObjectNode call = mapper.toCall(work.getState(), link, work.getOwnerId(), work.getRelated(), work.getCallLinks()).orElseThrow();
        SyncSettings tenant = tenants.settings(work.getTenant());
        // the tenant may have a subject template of its own
        if (!tenant.subjectTemplate().equals(settings.subjectTemplate())) {
            call.put("Subject", ZohoFieldLimits.fit(CallMapper.subject(work.getState(), tenant.subjectTemplate()), 255));
        }
        // the tenant may keep the call id in a field of its own
        String field = tenant.callIdField();
        if (!field.equals(settings.callIdField())) {
            call.remove(settings.callIdField());
            call.put(field, work.getCallId());
        }
        return call;
    }

    private void update(SyncWork work, ObjectNode call, String id, String outcome) {
        ObjectNode update = call.deepCopy();
        update.put("id", id);
        // possibly in one request with other calls' updates: this call is charged its share of it
        ZohoClient.RecordResult result = tenants.writes(work.getTenant()).update("Calls", update, work::countZohoRequests);
        if (!result.success()) {
            personGone(work, result);
        }
        SyncFailures.requireSuccess(result);
        work.setZohoCallId(id);
        work.setCallOutcome(outcome);
    }

    /**
     * Zoho refused the Call's link to its Lead/Contact as an invalid id: a user deleted or merged that record since we
     * matched it. Forgets the link, the cached match and our created-record row, and throws, so that the call is
     * retried (parked, sync-errors) and matched afresh instead of going dead.
     */
    private void personGone(SyncWork work, ZohoClient.RecordResult r) {
        boolean linkField = "Who_Id".equals(r.field()) || ("What_Id".equals(r.field()) && "Leads".equals(work.getLinkModule()));
        if (!"INVALID_DATA".equals(r.code()) || !linkField || work.getLinkId() == null) {
            return;
        }
        CallState s = work.getState();
        matcher.forget(work.getTenant(), PersonMatcher.customerEmail(s), matcher.customerPhone(s), work.getLinkId());
        repository.clearPerson(work.getTenant(), work.getCallId());
        LOG.warn("tenant={} call {}: its {} {} is gone from Zoho ({}: {}); the call will be matched again", work.getTenant(), work.getCallId(),
                work.getLinkModule(), work.getLinkId(), LogSafe.text(r.code()), LogSafe.text(r.message()));
        throw new PersonGoneException(work.getLinkModule() + " " + work.getLinkId() + " is gone from Zoho (" + r.code() + " on "
                + r.field() + "); matching the customer again");
    }

    private Optional<String> lookUp(SyncWork work) {
        work.countZohoRequest();
        // call ids are [A-Za-z0-9._:-] (ingest validates them): safe inside a COQL literal
        List<ObjectNode> rows = tenants.zoho(work.getTenant()).coql("select id, Created_Time from Calls where " + tenants.settings(work.getTenant()).callIdField() + " = '"
                + work.getCallId() + "' limit 2");
        if (rows.size() > 1) {
            LOG.warn("tenant={} call {}: {} Call activities carry this call id; updating the oldest", work.getTenant(), work.getCallId(), rows.size());
        }
        return rows.stream()
                .min(Comparator.comparing((ObjectNode r) -> MatchRules.text(r, "Created_Time") == null ? "" : MatchRules.text(r, "Created_Time"))
                        .thenComparing(r -> MatchRules.text(r, "id").length()).thenComparing(r -> MatchRules.text(r, "id")))
                .map(r -> MatchRules.text(r, "id"));
    }
}
