package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.zoho.ZohoCreditsExhaustedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Predicate;

/**
 * The database sweep: adopts calls whose events were left unprocessed (a dropped hand-off, a crash, a restart),
 * then claims the due calls (pending, waiting past their end timeout, parked whose time has come) with
 * {@code FOR UPDATE SKIP LOCKED}, so several instances share the work without taking the same rows. Once Zoho is
 * connected (again), calls parked for want of a connection are made due at once rather than after their park delay.
 */
public class SyncSweep {

    private static final Logger LOG = LoggerFactory.getLogger("scc.sync");
    static final String NOT_CONNECTED = "Zoho CRM is not connected (or the connection is broken); the call waits and goes "
            + "through once an admin connects";
    static final String CREDITS_EXHAUSTED = "the Zoho org's API credits of the last 24 h are spent (scc.zoho.daily-credits); the call "
            + "waits and goes through once the rolling window frees credits";

    private final CallSyncRepository repository;
    private final PersonCreatedRepository created;
    private final SyncSettings settings;
    private final Predicate<String> zohoConnected;
    private final Predicate<String> hasCredits;
    private final int perTenant;
    private long sweeps;

    /**
     * @param zohoConnected whether a tenant's Zoho is connected
     * @param hasCredits    whether a tenant's daily Zoho credits are not spent
     * @param perTenant     at most this many calls of one tenant per sweep (its call slots: more could not run anyway)
     */
    public SyncSweep(CallSyncRepository repository, PersonCreatedRepository created, SyncSettings settings,
                     Predicate<String> zohoConnected, Predicate<String> hasCredits, int perTenant) {
        this.repository = repository;
        this.created = created;
        this.settings = settings;
        this.zohoConnected = zohoConnected;
        this.hasCredits = hasCredits;
        this.perTenant = perTenant;
    }

    public List<CallSyncRepository.Claim> claim() {
        // a tenant that connected (again): its calls parked for want of a connection are due now, not after their delay
        for (String tenant : repository.tenantsWaiting("NOT_CONNECTED")) {
            if (zohoConnected.test(tenant)) {
                int woken = repository.wake(tenant, "NOT_CONNECTED");
                if (woken > 0) {
                    LOG.info("tenant={} Zoho is connected: {} call(s) parked for want of a connection are due now", tenant, woken);
                }
            }
        }
        // likewise once the rolling 24 h window has freed Zoho credits
        for (String tenant : repository.tenantsWaiting(ZohoCreditsExhaustedException.CODE)) {
            if (hasCredits.test(tenant)) {
                int woken = repository.wake(tenant, ZohoCreditsExhaustedException.CODE);
                if (woken > 0) {
                    LOG.info("tenant={} Zoho credits are free again: {} call(s) parked CREDITS_EXHAUSTED are due now", tenant, woken);
                }
            }
        }
        if (sweeps++ % 60 == 0) {
            // housekeeping now and then: rows of person_created past their window are never read again
            created.purge(settings.createdWindow());
        }
        repository.adoptLeftBehind(settings.sweepGrace(), settings.sweepBatch() * 10);
        // round-robin over the tenants: one tenant's backlog cannot fill the sweep. A call of a tenant that is not
        // connected is parked NOT_CONNECTED by the sync's first step, in one statement, and waits for its tenant.
        return repository.claimDue(settings.sweepBatch(), perTenant, settings.claimLease());
    }
}
