package com.simplecallcenter.zohosync.sync;

import java.util.List;

/**
 * The database sweep: adopts calls whose events were left unprocessed (a dropped hand-off, a crash, a restart),
 * then claims the due calls (pending, waiting past their end timeout, parked whose time has come) with
 * {@code FOR UPDATE SKIP LOCKED}, so several instances share the work without taking the same rows.
 */
public class SyncSweep {

    private final CallSyncRepository repository;
    private final SyncSettings settings;

    public SyncSweep(CallSyncRepository repository, SyncSettings settings) {
        this.repository = repository;
        this.settings = settings;
    }

    public List<CallSyncRepository.Claim> claim() {
        repository.adoptLeftBehind(settings.sweepGrace(), settings.sweepBatch() * 10);
        return repository.claimDue(settings.sweepBatch(), settings.claimLease());
    }
}
