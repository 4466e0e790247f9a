package com.simplecallcenter.zohosync.sync;

import java.util.function.BooleanSupplier;

/**
 * Whether Zoho is connected, as the sync's first step asks it for every call: the token manager's answer (a database
 * read) kept for one second. A call that arrives in the second after a connect is parked and woken by the next
 * sweep; one that arrives in the second after a disconnect meets the refusal at its first Zoho request and is parked
 * then. Either way nothing is lost.
 */
public final class ConnectionGate {

    private static final long TTL_NANOS = 1_000_000_000L;

    private final BooleanSupplier connected;
    private volatile boolean last;
    private volatile long checkedAt;
    private volatile boolean checked;

    public ConnectionGate(BooleanSupplier connected) {
        this.connected = connected;
    }

    public boolean isConnected() {
        long now = System.nanoTime();
        if (!checked || now - checkedAt > TTL_NANOS) {
            last = connected.getAsBoolean();
            checkedAt = now;
            checked = true;
        }
        return last;
    }
}
