package com.simplecallcenter.zohosync.zoho;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.DoubleConsumer;
import java.util.regex.Pattern;

/**
 * Writes records of concurrent callers together (bean {@code zohoWriteBatcher}), since Zoho charges 1 credit per 10
 * records of a write. Each caller hands in one record and blocks until that record's own outcome is known, as if it
 * had written it alone, so its insert marker and look-up work unchanged. No linger: a record goes out at once when a
 * slot ({@code scc.zoho.write-batch-in-flight}) is free and queues only while none is (docs/sync.md, "Batched writes").
 */
public final class ZohoWriteBatcher {

    public enum Verb {
        INSERT("insert"), UPDATE("update");

        private final String tag;

        Verb(String tag) {
            this.tag = tag;
        }
    }

    private static final Pattern RECORD_ID = Pattern.compile("[0-9]{1,19}");

    private final ZohoClient zoho;
    private final int batchSize;
    private final int maxInFlight;
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final io.micrometer.core.instrument.Counter isolated;

    /**
     * Whole-request refusals that hold for every record alike (auth, scope, permission, module): sent again one by one
     * they would only be refused again. Any other permanent refusal of a batch may come from one record.
     */
    static final Set<String> REQUEST_WIDE = Set.of("OAUTH_SCOPE_MISMATCH", "NO_PERMISSION", "INVALID_MODULE",
            "AUTHENTICATION_FAILURE", "AUTHORIZATION_FAILED", "FORBIDDEN", "NOT_SUPPORTED", "INVALID_URL_PATTERN",
            "INVALID_REQUEST_METHOD", "INVALID_TOKEN");

    public ZohoWriteBatcher(ZohoClient zoho, int batchSize, int maxInFlight, MeterRegistry registry) {
        if (batchSize < 1 || batchSize > 100 || maxInFlight < 1) {
            throw new IllegalArgumentException("batch size 1..100 and at least one request in flight");
        }
        this.zoho = zoho;
        this.batchSize = batchSize;
        this.maxInFlight = maxInFlight;
        this.registry = registry;
        this.isolated = io.micrometer.core.instrument.Counter.builder("scc.zoho.write.batch.isolated")
                .description("batched writes Zoho refused as a whole, then sent record by record to find the record at fault")
                .register(registry);
    }

    public int batchSize() {
        return batchSize;
    }

    /** Inserts one record, possibly in one request with other callers' records; its own outcome, or the request's exception. */
    public ZohoClient.RecordResult insert(String module, ObjectNode record) {
        return write(Verb.INSERT, module, record, share -> { });
    }

    /** Updates one record by its {@code "id"}; as {@link #insert(String, ObjectNode)}. */
    public ZohoClient.RecordResult update(String module, ObjectNode recordWithId) {
        return write(Verb.UPDATE, module, recordWithId, share -> { });
    }

    /**
     * As {@link #insert(String, ObjectNode)}; {@code requestShare} is told, on the calling thread and before this
     * returns or throws, which share of a Zoho request this record cost: 1/k for a request that carried k records.
     */
    public ZohoClient.RecordResult insert(String module, ObjectNode record, DoubleConsumer requestShare) {
        return write(Verb.INSERT, module, record, requestShare);
    }

    /** As {@link #update(String, ObjectNode)}, with the request share as for {@link #insert(String, ObjectNode, DoubleConsumer)}. */
    public ZohoClient.RecordResult update(String module, ObjectNode recordWithId, DoubleConsumer requestShare) {
        return write(Verb.UPDATE, module, recordWithId, requestShare);
    }

    private ZohoClient.RecordResult write(Verb verb, String module, ObjectNode record, DoubleConsumer requestShare) {
        // checked here, not only by the client: one malformed record must not make the whole batch fail
        if (verb == Verb.UPDATE && !RECORD_ID.matcher(record.path("id").asText("")).matches()) {
            throw new IllegalArgumentException("every record to update needs a Zoho record id in \"id\"");
        }
        Lane lane = lanes.computeIfAbsent(verb.tag + " " + module, k -> new Lane(verb, module));
        if (batchSize == 1) {
            lane.sizes.record(1);
            requestShare.accept(1.0);
            return own(send(verb, module, List.of(record)), 0, 1);
        }
        Pending mine = new Pending(record, verb, module);
        List<Pending> batch = null;
        synchronized (lane) {
            lane.queue.addLast(mine);
            if (lane.inFlight < maxInFlight) {
                lane.inFlight++;
                // a slot is free, so nothing older is waiting: the queue holds only ours, and the batch is [ours]
                batch = lane.drain(batchSize);
            }
        }
        // normally at most one turn: the batch taken above, or one handed over that starts with our record
        while (true) {
            if (batch == null) {
                batch = mine.awaitTurn();
                if (batch == null) {
                    break; // answered
                }
            }
            lane.sendAndPassOn(batch);
            batch = null;
        }
        return mine.awaitOutcome(requestShare);
    }

    /** For tests: records queued in one lane, and its requests in flight. */
    int[] laneState(Verb verb, String module) {
        Lane lane = lanes.get(verb.tag + " " + module);
        if (lane == null) {
            return new int[] {0, 0};
        }
        synchronized (lane) {
            return new int[] {lane.queue.size(), lane.inFlight};
        }
    }

    private List<ZohoClient.RecordResult> send(Verb verb, String module, List<ObjectNode> records) {
        return verb == Verb.INSERT ? zoho.insert(module, records) : zoho.update(module, records);
    }

    private static ZohoClient.RecordResult own(List<ZohoClient.RecordResult> results, int index, int batchSize) {
        if (index >= results.size()) {
            throw new ZohoOutcomeUnknownException("NO_RESULT", 0, "Zoho answered a write of " + batchSize
                    + " record(s) with " + results.size() + " result(s): the outcome of this record is unknown", null);
        }
        ZohoClient.RecordResult r = results.get(index);
        return new ZohoClient.RecordResult(0, r.success(), r.id(), r.code(), r.message(), r.field(), r.details());
    }

    /** The exception of a whole request, as its own instance for each caller (same type, code, status and field). */
    static RuntimeException forCaller(RuntimeException e, int batchSize) {
        if (batchSize == 1) {
            return e;
        }
        String note = " [one request for " + batchSize + " records]";
        Class<?> type = e.getClass();
        if (type == ZohoRateLimitedException.class) {
            ZohoRateLimitedException z = (ZohoRateLimitedException) e;
            return new ZohoRateLimitedException(z.code(), z.httpStatus(), z.getMessage() + note);
        }
        if (type == ZohoOutcomeUnknownException.class) {
            ZohoOutcomeUnknownException z = (ZohoOutcomeUnknownException) e;
            return new ZohoOutcomeUnknownException(z.code(), z.httpStatus(), z.getMessage() + note, z.getCause());
        }
        if (type == ZohoUnavailableException.class) {
            ZohoUnavailableException z = (ZohoUnavailableException) e;
            return new ZohoUnavailableException(z.code(), z.httpStatus(), z.getMessage() + note, z.getCause());
        }
        if (type == ZohoRetryableException.class) {
            ZohoRetryableException z = (ZohoRetryableException) e;
            return new ZohoRetryableException(z.code(), z.httpStatus(), z.field(), z.getMessage() + note, z.getCause());
        }
        if (type == ZohoPermanentException.class) {
            ZohoPermanentException z = (ZohoPermanentException) e;
            return new ZohoPermanentException(z.code(), z.httpStatus(), z.field(), z.getMessage() + note);
        }
        if (type == ZohoNotConnectedException.class) {
            ZohoNotConnectedException z = (ZohoNotConnectedException) e;
            return new ZohoNotConnectedException(z.code(), z.getMessage() + note);
        }
        if (type == ZohoCreditsExhaustedException.class) {
            ZohoCreditsExhaustedException z = (ZohoCreditsExhaustedException) e;
            return new ZohoCreditsExhaustedException(z.httpStatus(), z.getMessage() + note);
        }
        return e; // not ours (a bug, an Error's wrapper): the same instance, type kept
    }

    /** One verb and module: its queue and how many of its requests are in flight. Guarded by its own monitor. */
    private final class Lane {

        private final Verb verb;
        private final String module;
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private final DistributionSummary sizes;
        private int inFlight;

        Lane(Verb verb, String module) {
            this.verb = verb;
            this.module = module;
            this.sizes = DistributionSummary.builder("scc.zoho.write.batch.size")
                    .description("records per Zoho insert/update request sent by the write batcher")
                    .tag("verb", verb.tag).tag("module", module).register(registry);
        }

        /**
         * Up to {@code max} queued records, oldest first. An update skips a record whose id is already in the batch
         * (it stays queued, for the next request): Zoho's answer to one id twice in one request is not documented.
         */
        List<Pending> drain(int max) {
            List<Pending> batch = new ArrayList<>(Math.min(max, queue.size()));
            Set<String> ids = verb == Verb.UPDATE ? new HashSet<>() : null;
            for (Iterator<Pending> it = queue.iterator(); it.hasNext() && batch.size() < max; ) {
                Pending p = it.next();
                if (ids != null && !ids.add(p.record.path("id").asText())) {
                    continue;
                }
                it.remove();
                batch.add(p);
            }
            return batch;
        }

        /** Sends one batch, answers each of its callers, then passes the slot on (or frees it if nothing waits). */
        void sendAndPassOn(List<Pending> batch) {
            try {
                send(batch);
            } finally {
                List<Pending> next = null;
                synchronized (this) {
                    if (queue.isEmpty()) {
                        inFlight--;
                    } else {
                        next = drain(batchSize);
                    }
                }
                if (next != null) {
                    // the owner of the oldest queued record sends the next request (its own record is first in it)
                    next.get(0).takeTurn(next);
                }
            }
        }

        private void send(List<Pending> batch) {
            int k = batch.size();
            sizes.record(k);
            List<ObjectNode> records = new ArrayList<>(k);
            batch.forEach(p -> records.add(p.record));
            List<ZohoClient.RecordResult> results;
            try {
                results = ZohoWriteBatcher.this.send(verb, module, records);
            } catch (ZohoPermanentException e) {
                if (k > 1 && (e.code() == null || !REQUEST_WIDE.contains(e.code()))) {
                    // refused as a whole for something one record may cause: each record alone, so that only the
                    // record at fault fails and the calls that shared its request go on
                    isolate(batch, e);
                    return;
                }
                for (Pending p : batch) {
                    p.fail(k, forCaller(e, k));
                }
                return;
            } catch (RuntimeException e) {
                for (Pending p : batch) {
                    p.fail(k, forCaller(e, k));
                }
                return;
            } catch (Error e) {
                for (Pending p : batch) {
                    p.fail(k, new IllegalStateException("Zoho " + verb.tag + " failed: " + e, e));
                }
                throw e;
            }
            for (int i = 0; i < k; i++) {
                try {
                    batch.get(i).succeed(k, own(results, i, k));
                } catch (ZohoOutcomeUnknownException e) {
                    batch.get(i).fail(k, e);
                }
            }
        }
    }

    /** Sends each record of a batch Zoho refused as a whole on its own; each caller is charged that extra request. */
    private void isolate(List<Pending> batch, ZohoPermanentException refused) {
        isolated.increment();
        for (Pending p : batch) {
            p.extra = 1.0;
            try {
                p.succeed(batch.size(), own(send(p.verb, p.module, List.of(p.record)), 0, 1));
            } catch (RuntimeException e) {
                p.fail(batch.size(), e);
            }
        }
    }

    /** One caller's record: first, perhaps, the turn to send a batch; then its outcome. */
    private static final class Pending {

        private final ObjectNode record;
        private List<Pending> turn;
        private boolean turnGiven;
        private boolean done;
        private int batchSize;
        private ZohoClient.RecordResult result;
        private RuntimeException failure;
        /** Requests sent for this record alone, beyond its share of the batch (a batch refused whole is isolated). */
        private double extra;
        private final Verb verb;
        private final String module;

        Pending(ObjectNode record, Verb verb, String module) {
            this.record = record;
            this.verb = verb;
            this.module = module;
        }

        synchronized void takeTurn(List<Pending> batch) {
            turn = batch;
            turnGiven = true;
            notifyAll();
        }

        synchronized void succeed(int k, ZohoClient.RecordResult r) {
            batchSize = k;
            result = r;
            done = true;
            notifyAll();
        }

        synchronized void fail(int k, RuntimeException e) {
            batchSize = k;
            failure = e;
            done = true;
            notifyAll();
        }

        /** Waits until this record is answered (null) or its caller is handed a batch to send (taken: asked once). */
        synchronized List<Pending> awaitTurn() {
            boolean interrupted = false;
            while (!done && !turnGiven) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (turnGiven) {
                List<Pending> t = turn;
                turn = null;
                turnGiven = false;
                return t;
            }
            return null;
        }

        synchronized ZohoClient.RecordResult awaitOutcome(DoubleConsumer requestShare) {
            boolean interrupted = false;
            while (!done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            requestShare.accept(1.0 / batchSize + extra);
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }
}
