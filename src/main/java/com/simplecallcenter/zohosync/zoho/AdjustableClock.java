package com.simplecallcenter.zohosync.zoho;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The clock of the Zoho connection (bean {@code zohoClock}): the system clock, which tests may move forward. */
public final class AdjustableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    /** Moves this clock forward (tests: token expiry, state expiry) without waiting. */
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
