package com.simplecallcenter.zohosync.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the database answers, for {@code /health/ready}: asked on a thread of its own and waited for at most
 * {@code timeout} ({@code scc.db.ready-timeout}), so a probe never hangs on a pool that waits for a dead server.
 * An answer is kept for {@link #CACHE_MILLIS}, and at most one check runs at a time (a probe that finds one running
 * waits for that one), so a burst of probes during an outage neither piles up threads nor connections.
 */
public final class DatabaseCheck implements AutoCloseable {

    /** How long an answer is reused: at most a second old, so readiness follows the database within about a second. */
    static final long CACHE_MILLIS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger("scc.health");

    private final DataSource dataSource;
    private final long timeoutMillis;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "scc-db-ready-check");
        t.setDaemon(true);
        return t;
    });

    private boolean checked;
    private boolean up;
    private long checkedAt;
    private CompletableFuture<Boolean> inFlight;

    public DatabaseCheck(DataSource dataSource, long timeoutMillis) {
        this.dataSource = dataSource;
        this.timeoutMillis = timeoutMillis;
    }

    /** True when a connection answered a validity check within the timeout; returns within about the timeout. */
    public boolean isUp() {
        CompletableFuture<Boolean> check;
        synchronized (this) {
            if (checked && System.nanoTime() - checkedAt < TimeUnit.MILLISECONDS.toNanos(CACHE_MILLIS)) {
                return up;
            }
            check = inFlight;
            if (check == null) {
                try {
                    CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(this::check, executor);
                    inFlight = started;
                    check = started;
                    // may run at once, on this thread, if the check already ended: done() is reentrant
                    started.whenComplete((result, error) -> done(started, Boolean.TRUE.equals(result)));
                } catch (RejectedExecutionException closed) {
                    return false;
                }
            }
        }
        try {
            return check.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the check goes on in the background (the pool waits for its connection timeout); until it ends or the
            // answer expires, probes are told "down" at once
            synchronized (this) {
                if (!check.isDone()) {
                    record(false);
                }
            }
            return Boolean.TRUE.equals(check.getNow(false));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private boolean check() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid((int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(timeoutMillis + 999)));
        } catch (Exception e) {
            return false;
        }
    }

    private synchronized void done(CompletableFuture<Boolean> check, boolean result) {
        if (inFlight == check) {
            inFlight = null;
        }
        record(result);
    }

    private synchronized void record(boolean result) {
        if (checked && result != up) {
            if (result) {
                LOG.info("the database answers again: /health/ready is 200");
            } else {
                LOG.warn("the database does not answer within {} ms: /health/ready is 503, webhooks are answered 503 until it is back",
                        timeoutMillis);
            }
        }
        checked = true;
        up = result;
        checkedAt = System.nanoTime();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
