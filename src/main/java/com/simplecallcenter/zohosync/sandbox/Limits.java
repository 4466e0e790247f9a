package com.simplecallcenter.zohosync.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The knobs that make the sandbox misbehave on purpose: latency, injected errors, dropped connections, concurrency
 * and the rolling 24 h credit budget of the org. Guarded by its own monitor so a slow request does not
 * hold the data lock.
 */
final class Limits {

    static final int HEAVY_SUB_LIMIT = 10;
    static final Duration CREDIT_WINDOW = Duration.ofHours(24);

    record Fault(int httpStatus, String code) {
    }

    private record ConditionalFault(Predicate<ZohoSandbox.Request> when, Fault fault) {
    }

    private record Spend(Instant at, long credits) {
    }

    private final Clock clock;
    private Duration latency = Duration.ZERO;
    private int failTimes;
    private Fault failNext;
    private final List<ConditionalFault> conditional = new ArrayList<>();
    private int dropTimes;
    private int concurrencyLimit = Integer.MAX_VALUE;
    private boolean concurrencyLimited;
    private int inFlight;
    /** Integral of {@link #inFlight} over time (slot-nanoseconds), for the benchmarks' "share of slots busy". */
    private long busyNanos;
    private long lastChange = System.nanoTime();
    private int heavyInFlight;
    private long creditBudget = Long.MAX_VALUE;
    private final Deque<Spend> spent = new ArrayDeque<>();

    Limits(Clock clock) {
        this.clock = clock;
    }

    synchronized void clear() {
        latency = Duration.ZERO;
        failTimes = 0;
        failNext = null;
        conditional.clear();
        dropTimes = 0;
        concurrencyLimit = Integer.MAX_VALUE;
        concurrencyLimited = false;
        creditBudget = Long.MAX_VALUE;
        spent.clear();
    }

    synchronized void latency(Duration d) {
        latency = d == null ? Duration.ZERO : d;
    }

    synchronized Duration latency() {
        return latency;
    }

    synchronized void failNext(int times, int httpStatus, String code) {
        failTimes = times;
        failNext = new Fault(httpStatus, code);
    }

    synchronized void failWhen(Predicate<ZohoSandbox.Request> when, int httpStatus, String code) {
        conditional.add(new ConditionalFault(when, new Fault(httpStatus, code)));
    }

    synchronized void clearFaults() {
        failTimes = 0;
        failNext = null;
        conditional.clear();
        dropTimes = 0;
    }

    /** The conditional fault matching this request, if any (API and accounts requests alike). */
    synchronized Fault conditionalFault(ZohoSandbox.Request request) {
        for (ConditionalFault c : conditional) {
            if (c.when().test(request)) {
                return c.fault();
            }
        }
        return null;
    }

    /** Consumes one of the next-N injected API errors, if any are left. */
    synchronized Fault takeFailNext() {
        if (failTimes <= 0) {
            return null;
        }
        failTimes--;
        return failNext;
    }

    synchronized void dropConnectionNext(int times) {
        dropTimes = times;
    }

    synchronized boolean takeDrop() {
        if (dropTimes <= 0) {
            return false;
        }
        dropTimes--;
        return true;
    }

    synchronized void concurrencyLimit(int n) {
        concurrencyLimit = n;
        concurrencyLimited = true;
    }

    /** Counts an API request in; false when that would exceed the concurrency limit (nothing is counted then). */
    synchronized boolean enter() {
        if (inFlight >= concurrencyLimit) {
            return false;
        }
        account();
        inFlight++;
        return true;
    }

    synchronized void exit() {
        account();
        inFlight--;
        notifyAll();
    }

    private void account() {
        long now = System.nanoTime();
        busyNanos += inFlight * (now - lastChange);
        lastChange = now;
    }

    /** Slot-seconds spent serving API requests since start: the time integral of the requests in flight. */
    synchronized double busySlotSeconds() {
        account();
        return busyNanos / 1e9;
    }

    /** Waits until no API request is in flight (at most {@code timeout}). */
    synchronized void awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Heavy calls (search, COQL, writes of more than 10 records) have their own pool of 10, once limits are on. */
    synchronized boolean enterHeavy() {
        if (concurrencyLimited && heavyInFlight >= Math.min(HEAVY_SUB_LIMIT, concurrencyLimit)) {
            return false;
        }
        heavyInFlight++;
        return true;
    }

    synchronized void exitHeavy() {
        heavyInFlight--;
    }

    synchronized void creditBudget(long credits) {
        creditBudget = credits;
    }

    /** Spends credits in the rolling 24 h window; false (nothing spent) when the budget cannot cover them. */
    synchronized boolean spend(long credits) {
        Instant now = clock.instant();
        while (!spent.isEmpty() && !spent.peekFirst().at().isAfter(now.minus(CREDIT_WINDOW))) {
            spent.removeFirst();
        }
        long used = spent.stream().mapToLong(Spend::credits).sum();
        if (creditBudget != Long.MAX_VALUE && used + credits > creditBudget) {
            return false;
        }
        spent.addLast(new Spend(now, credits));
        return true;
    }

    /** Credits spent in the rolling 24 h window. */
    synchronized long creditsUsed() {
        Instant now = clock.instant();
        return spent.stream().filter(s -> s.at().isAfter(now.minus(CREDIT_WINDOW))).mapToLong(Spend::credits).sum();
    }

    /** Remaining credits once half the budget is used (when Zoho reportedly starts sending the header), else null. */
    synchronized Long creditsRemainingHeader() {
        if (creditBudget == Long.MAX_VALUE) {
            return null;
        }
        long used = spent.stream().mapToLong(Spend::credits).sum();
        return used * 2 >= creditBudget ? Math.max(0, creditBudget - used) : null;
    }
}
