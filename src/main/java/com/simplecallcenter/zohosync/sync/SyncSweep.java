package com.simplecallcenter.zohosync.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.BooleanSupplier;

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

    private final CallSyncRepository repository;
    private final PersonCreatedRepository created;
    private final SyncSettings settings;
    private final BooleanSupplier zohoConnected;
    private long sweeps;

    public SyncSweep(CallSyncRepository repository, PersonCreatedRepository created, SyncSettings settings, BooleanSupplier zohoConnected) {
        this.repository = repository;
        this.created = created;
        this.settings = settings;
        this.zohoConnected = zohoConnected;
    }

    public List<CallSyncRepository.Claim> claim() {
        if (!zohoConnected.getAsBoolean()) {
            // nothing can be written without a connection: new calls are parked NOT_CONNECTED in one statement (ingest
            // does not hand them over meanwhile), and nothing is claimed until an admin connects
            int parked = repository.parkAllNotConnected(NOT_CONNECTED, settings.parkMaxDelay(), settings.sweepBatch() * 10);
            if (parked > 0) {
                LOG.info("Zoho is not connected: {} call(s) wait, parked NOT_CONNECTED, until an admin connects", parked);
            }
            return List.of();
        }
        int woken = repository.wakeNotConnected();
        if (woken > 0) {
            LOG.info("Zoho is connected: {} call(s) parked for want of a connection are due now", woken);
        }
        if (sweeps++ % 60 == 0) {
            // housekeeping now and then: rows of person_created past their window are never read again
            created.purge(settings.createdWindow());
        }
        repository.adoptLeftBehind(settings.sweepGrace(), settings.sweepBatch() * 10);
        return repository.claimDue(settings.sweepBatch(), settings.claimLease());
    }
}
