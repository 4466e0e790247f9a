package com.simplecallcenter.zohosync.zoho;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock, which a test moves forward (token expiry, state expiry) without waiting: given to the app's start. */
public final class AdjustableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    /** Moves this clock forward. */
    public void advance(Duration d) {
        offset = offset.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
