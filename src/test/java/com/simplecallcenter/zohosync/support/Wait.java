package com.simplecallcenter.zohosync.support;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits on outcomes by polling with a deadline, never on a fixed sleep. */
public final class Wait {

    public static final Duration DEFAULT = Duration.ofSeconds(20);

    private Wait() {
    }

    public static <T> T until(Supplier<T> probe, Predicate<T> done) {
        return until(probe, done, DEFAULT);
    }

    public static <T> T until(Supplier<T> probe, Predicate<T> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            pause(50);
        }
        throw new AssertionError("not reached within " + timeout + "; last seen: " + last);
    }

    /** For asserting that something does NOT happen within a while. */
    public static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
