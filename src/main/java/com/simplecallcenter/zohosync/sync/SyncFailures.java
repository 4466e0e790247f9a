package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.ops.LogSafe;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoCreditsExhaustedException;
import com.simplecallcenter.zohosync.zoho.ZohoException;
import com.simplecallcenter.zohosync.zoho.ZohoNotConnectedException;
import com.simplecallcenter.zohosync.zoho.ZohoPermanentException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;

/**
 * The ends of {@code sync-errors}: a call whose retryable failure outlived the redelivery policy is parked (status
 * {@code parked}, retried by the sweep at a growing delay); one that retrying cannot fix goes to the dead-letter list
 * (status {@code dead}) with Zoho's code, field and message.
 */
public class SyncFailures {

    private static final Logger LOG = LoggerFactory.getLogger("scc.sync");

    private final CallSyncRepository repository;
    private final SyncSettings settings;
    private final SyncMetrics metrics;

    public SyncFailures(CallSyncRepository repository, SyncSettings settings, SyncMetrics metrics) {
        this.repository = repository;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * The single result of a one-record write; a refused record becomes the exception Zoho's code calls for
     * (retryable such as RECORD_LOCKED, or permanent such as INVALID_DATA), so sync-errors handles it.
     */
    public static ZohoClient.RecordResult requireSuccess(List<ZohoClient.RecordResult> results) {
        if (results.isEmpty()) {
            throw new ZohoPermanentException("EMPTY_RESULT", 200, null, "Zoho answered the write without a result");
        }
        return requireSuccess(results.get(0));
    }

    /** The outcome of one record; a refused record becomes the exception Zoho's code calls for, as above. */
    public static ZohoClient.RecordResult requireSuccess(ZohoClient.RecordResult r) {
        if (!r.success()) {
            throw r.toException();
        }
        return r;
    }

    public void park(Exchange exchange) {
        String tenant = com.simplecallcenter.zohosync.http.Tenancy.of(exchange);
        String callId = exchange.getProperty(CallLocks.CALL_ID, String.class);
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Reason r = reason(t);
        Instant next = repository.park(tenant, callId, r.code(), r.field(), r.message(), settings.parkDelay(), settings.parkMaxDelay());
        metrics.outcome(tenant, "parked");
        LOG.warn("parked tenant={} call={} code={} until={} reason={}", tenant, callId, LogSafe.text(r.code()), next, LogSafe.text(r.message()));
    }

    /**
     * Route step at the start of {@code sync-call} while Zoho is not connected: parks the call at database speed
     * (one statement, no lock, no merge), since nothing can be written without a connection. The sweep wakes such calls
     * as soon as a connection exists; until then it does not adopt them again.
     */
    public void parkNotConnected(Exchange exchange) {
        String tenant = com.simplecallcenter.zohosync.http.Tenancy.of(exchange);
        String callId = exchange.getMessage().getBody(String.class);
        if (callId != null && repository.parkWaiting(tenant, callId, "NOT_CONNECTED", SyncSweep.NOT_CONNECTED, settings.parkMaxDelay())) {
            metrics.outcome(tenant, "parked");
            LOG.debug("parked tenant={} call={} code=NOT_CONNECTED", tenant, callId);
        }
    }

    /**
     * Route step at the start of {@code sync-call} while the tenant's daily Zoho credits are spent: parked
     * {@code CREDITS_EXHAUSTED} in one statement, like {@link #parkNotConnected}; the sweep wakes such calls once the
     * rolling window frees credits.
     */
    public void parkCreditsExhausted(Exchange exchange) {
        String tenant = com.simplecallcenter.zohosync.http.Tenancy.of(exchange);
        String callId = exchange.getMessage().getBody(String.class);
        if (callId != null && repository.parkWaiting(tenant, callId, ZohoCreditsExhaustedException.CODE, SyncSweep.CREDITS_EXHAUSTED,
                settings.parkMaxDelay())) {
            metrics.outcome(tenant, "parked");
            LOG.debug("parked tenant={} call={} code=CREDITS_EXHAUSTED", tenant, callId);
        }
    }

    public void dead(Exchange exchange) {
        String tenant = com.simplecallcenter.zohosync.http.Tenancy.of(exchange);
        String callId = exchange.getProperty(CallLocks.CALL_ID, String.class);
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Reason r = reason(t);
        repository.dead(tenant, callId, r.code(), r.field(), r.message());
        metrics.outcome(tenant, "dead");
        LOG.error("dead tenant={} call={} code={} field={} reason={}", tenant, callId, LogSafe.text(r.code()), LogSafe.text(r.field()),
                LogSafe.text(r.message()));
    }

    record Reason(String code, String field, String message) {
    }

    static Reason reason(Throwable t) {
        if (t instanceof ZohoNotConnectedException) {
            return new Reason("NOT_CONNECTED", null, t.getMessage());
        }
        if (t instanceof CallLocks.PersonBusyException) {
            return new Reason("CUSTOMER_BUSY", null, t.getMessage());
        }
        if (t instanceof PersonGoneException) {
            return new Reason("PERSON_GONE", null, t.getMessage());
        }
        if (t instanceof ZohoException z) {
            return new Reason(z.code() == null ? "HTTP_" + z.httpStatus() : z.code(), z.field(), z.getMessage());
        }
        return new Reason("INTERNAL", null, t == null ? "unknown failure" : t.getClass().getSimpleName() + ": " + t.getMessage());
    }
}
