package com.simplecallcenter.zohosync.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves forward by hand (token expiry, state expiry, time windows) instead of sleeping: either the
 * system time plus what the test added, or a fixed instant plus what the test added. Given to the app or the sandbox.
 */
public final class AdjustableClock extends Clock {

    /** null: the system time. */
    private final Instant fixed;
    private volatile Duration offset = Duration.ZERO;

    /** The system time, moved forward by {@link #advance}. */
    public AdjustableClock() {
        this(null);
    }

    private AdjustableClock(Instant fixed) {
        this.fixed = fixed;
    }

    /** Stands still at {@code start} until the test moves it. */
    public static AdjustableClock at(Instant start) {
        return new AdjustableClock(start);
    }

    public void advance(Duration d) {
        offset = offset.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Always UTC: the app and the sandbox only read instants from it. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return (fixed == null ? Instant.now() : fixed).plus(offset);
    }
}
