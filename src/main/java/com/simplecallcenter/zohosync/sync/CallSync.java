package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.ops.LogSafe;
import com.simplecallcenter.zohosync.ops.Mask;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The first and last steps of {@code sync-call}: {@link #merge} folds the call's events into its state and decides
 * whether this run writes to Zoho; {@link #finish} records the call as synced.
 */
public class CallSync {

    /** Header the sweep sets on the calls it claimed: the claim's next-attempt time (see CallSyncRepository.Claim). */
    public static final String CLAIM = "SccClaim";

    private static final Logger LOG = LoggerFactory.getLogger("scc.sync");

    private final CallSyncRepository repository;
    private final CallStateMerger merger;
    private final SyncSettings settings;
    private final SyncMetrics metrics;
    private final Clock clock;

    public CallSync(CallSyncRepository repository, CallStateMerger merger, SyncSettings settings, SyncMetrics metrics, Clock clock) {
        this.repository = repository;
        this.merger = merger;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Merges every event of the call into one state and stores it with the events marked processed (one transaction).
     * The call goes on to Zoho when it is due (new events, pending, a parked call's turn) and has ended (or its end
     * timeout passed, or it is already logged); otherwise it waits.
     */
    public SyncWork merge(Exchange exchange) {
        String tenant = com.simplecallcenter.zohosync.http.Tenancy.of(exchange);
        String callId = exchange.getProperty(CallLocks.CALL_ID, String.class);
        String claim = exchange.getMessage().getHeader(CLAIM, String.class);
        SyncWork work = new SyncWork(tenant, callId);
        repository.ensureRow(tenant, callId, settings.claimLease());
        CallSyncRow row = repository.find(tenant, callId).orElseThrow();
        CallSyncRepository.Events events = repository.events(tenant, callId);
        if (events.events().isEmpty()) {
            repository.reschedule(tenant, callId, null);
            return work;
        }
        Instant now = clock.instant();
        CallState state = merger.merge(events.events());
        work.setState(state);
        work.setOldestReceivedAt(events.oldestUnprocessedReceivedAt());
        String status = row.status();
        boolean due = switch (status) {
            case "pending", "waiting" -> true;
            case "synced" -> events.anyUnprocessed();
            case "parked" -> row.nextAttemptAt() != null && (!row.nextAttemptAt().toInstant().isAfter(now)
                    || row.nextAttemptAt().toInstant().toString().equals(claim));
            default -> false; // dead: waits for a person and a replay; new events are merged meanwhile
        };
        Instant endDeadline = row.firstReceivedAt().toInstant().plus(settings.endTimeout());
        if (!due) {
            Instant next = status.equals("parked") && row.nextAttemptAt() != null ? row.nextAttemptAt().toInstant() : null;
            repository.storeMerged(tenant, callId, state, events.maxId(), status, next, false);
        } else if (!state.ended() && row.zohoCallId() == null && now.isBefore(endDeadline)) {
            // one insert per call, not one per event: the Call is written when the call has ended
            repository.storeMerged(tenant, callId, state, events.maxId(), "waiting", endDeadline, false);
        } else {
            // due again after the claim lease if this run dies without a word (crash, lost lock session)
            repository.storeMerged(tenant, callId, state, events.maxId(), "pending", now.plus(settings.claimLease()), true);
            work.setProceed(true);
        }
        exchange.setProperty(CallLocks.MERGED, true);
        work.setRow(repository.find(tenant, callId).orElseThrow());
        return work;
    }

    /** Last step: the Call shows the state; one INFO line per synced call, numbers and emails masked. */
    public void finish(SyncWork work) {
        repository.markSynced(work.getTenant(), work.getCallId(), work.getOwnerId());
        metrics.outcome(work.getTenant(), "synced");
        Duration latency = work.getOldestReceivedAt() == null ? null
                : Duration.between(work.getOldestReceivedAt().toInstant(), clock.instant());
        metrics.synced(work.getZohoRequests(), latency);
        CallState s = work.getState();
        String email = s.call().caller() == null ? null : s.call().caller().email();
        LOG.info("synced tenant={} call={} outcome={} person={}:{} callActivity={} owner={} number={} email={} zohoRequests={}{}",
                work.getTenant(), work.getCallId(), work.getCallOutcome(), orDash(work.getLinkModule()), orDash(work.getLinkId()),
                orDash(work.getZohoCallId()), orDash(work.getOwnerId()),
                Mask.phone(s.customerNumber()), LogSafe.text(Mask.email(email)), String.format(Locale.ROOT, "%.2f", work.getZohoRequests()),
                work.getAmbiguity() == null ? "" : " ambiguity=\"" + LogSafe.text(work.getAmbiguity()) + "\"");
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
