package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.inbox.CallEvent;

import java.time.OffsetDateTime;

/**
 * The body of one run of {@code sync-call}: what the steps learn about one call, in order. Redelivery re-runs only
 * the failed step with this same body, so every step reads what it needs from here or from the database and is
 * idempotent by itself.
 */
public final class SyncWork {

    private final String tenant;
    private final String callId;
    private CallState state;
    private CallSyncRow row;
    private boolean proceed;
    private String ownerId;
    private PersonAction personAction = PersonAction.NONE;
    private MatchRules.Match match;
    private String linkModule;
    private String linkId;
    private CallMapper.Link related;
    private CallEvent.Links callLinks;
    private String zohoCallId;
    private String ambiguity;
    private String callOutcome;
    private boolean callSkipped;
    private boolean callInsertAttempted;
    private double zohoRequests;
    private OffsetDateTime oldestReceivedAt;

    public SyncWork(String tenant, String callId) {
        this.tenant = tenant;
        this.callId = callId;
    }

    /** The tenant the call belongs to (from its URL at ingest): every key, cache and Zoho org of this run is its. */
    public String getTenant() {
        return tenant;
    }

    public String getCallId() {
        return callId;
    }

    public CallState getState() {
        return state;
    }

    void setState(CallState state) {
        this.state = state;
    }

    public CallSyncRow getRow() {
        return row;
    }

    void setRow(CallSyncRow row) {
        this.row = row;
    }

    /** True when this run brings Zoho to the state; false when it only merged events (call not ended, parked, dead). */
    public boolean isProceed() {
        return proceed;
    }

    void setProceed(boolean proceed) {
        this.proceed = proceed;
    }

    public String getOwnerId() {
        return ownerId;
    }

    void setOwnerId(String ownerId) {
        this.ownerId = ownerId;
    }

    public PersonAction getPersonAction() {
        return personAction;
    }

    void setPersonAction(PersonAction personAction) {
        this.personAction = personAction;
    }

    public MatchRules.Match getMatch() {
        return match;
    }

    void setMatch(MatchRules.Match match) {
        this.match = match;
    }

    public String getLinkModule() {
        return linkModule;
    }

    public String getLinkId() {
        return linkId;
    }

    void link(String module, String id) {
        this.linkModule = module;
        this.linkId = id;
    }

    /** A Deal or Account the Call of a Contact is also linked to ({@code What_Id}); set by the optional route deal-links. */
    public CallMapper.Link getRelated() {
        return related;
    }

    public void relate(String module, String id) {
        this.related = module == null || id == null ? null : new CallMapper.Link(module, id);
    }

    /** The recording/transcript/summary links the Call carries; none unless the optional route recording-links sets them. */
    public CallEvent.Links getCallLinks() {
        return callLinks;
    }

    public void carryLinks(CallEvent.Links links) {
        this.callLinks = links;
    }

    /** The id of the call's Call activity: the one it has (found), then the one written; null when it has none. */
    public String getZohoCallId() {
        return zohoCallId;
    }

    void setZohoCallId(String zohoCallId) {
        this.zohoCallId = zohoCallId;
    }

    public String getAmbiguity() {
        return ambiguity;
    }

    void setAmbiguity(String ambiguity) {
        this.ambiguity = ambiguity;
    }

    public String getCallOutcome() {
        return callOutcome;
    }

    /** The call gets no Call activity: an unanswered outbound call with {@code scc.zoho.outbound-unanswered=skip}. */
    public boolean isCallSkipped() {
        return callSkipped;
    }

    void skipCall() {
        this.callSkipped = true;
        this.callOutcome = "skipped";
    }

    boolean isCallInsertAttempted() {
        return callInsertAttempted;
    }

    void callInsertAttempted() {
        this.callInsertAttempted = true;
    }

    void setCallOutcome(String callOutcome) {
        this.callOutcome = callOutcome;
    }

    /**
     * Zoho requests made for this call, optional routes included (scc_sync_zoho_requests_per_call): a whole request
     * for each the call made alone, and 1/k of a batched write that carried k calls' records.
     */
    public double getZohoRequests() {
        return zohoRequests;
    }

    /** One whole Zoho request made for this call alone. */
    public void countZohoRequest() {
        zohoRequests += 1;
    }

    /** This call's share of a Zoho request (1/k of a write that carried k records). */
    public void countZohoRequests(double share) {
        zohoRequests += share;
    }

    public OffsetDateTime getOldestReceivedAt() {
        return oldestReceivedAt;
    }

    void setOldestReceivedAt(OffsetDateTime t) {
        this.oldestReceivedAt = t;
    }
}
