package com.simplecallcenter.zohosync.ingest;

import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.http.Problems;
import com.simplecallcenter.zohosync.http.RequestBodies;
import com.simplecallcenter.zohosync.http.Tenancy;
import com.simplecallcenter.zohosync.http.TenantDirectory;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.inbox.EventInbox;
import com.simplecallcenter.zohosync.ops.Mask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The steps of {@code POST /api/v1/calls/events} that the route {@code ingest-call-event} calls in order:
 * read (413/415), verify (401), parse (400), store, answer; plus the one log line and the metrics of each request.
 * It never talks to Zoho.
 */
public class CanonicalIngest {

    public static final String RAW = "sccRawBody";
    public static final String EVENT = "sccEvent";
    public static final String OUTCOME = "sccOutcome";

    private static final Logger LOG = LoggerFactory.getLogger("scc.ingest");

    private final StandardWebhookVerifier verifier;
    private final TenantDirectory tenants;
    private final CallEventParser parser;
    private final com.simplecallcenter.zohosync.http.FailureLimiter limiter;
    private final EventInbox inbox;
    private final Problems problems;
    private final MeterRegistry registry;
    private final Timer latency;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public CanonicalIngest(StandardWebhookVerifier verifier, TenantDirectory tenants, CallEventParser parser,
                           EventInbox inbox, Problems problems, MeterRegistry registry,
                           com.simplecallcenter.zohosync.http.FailureLimiter limiter) {
        this.limiter = limiter;
        this.verifier = verifier;
        this.tenants = tenants;
        this.parser = parser;
        this.inbox = inbox;
        this.problems = problems;
        this.registry = registry;
        this.latency = Timer.builder("scc_ingest_latency")
                .description("time from request to answer on the ingest endpoints")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    public void read(Exchange exchange) {
        // an unknown or disabled tenant is 404 before anything else is looked at
        tenants.requireActive(Tenancy.of(exchange));
        RequestBodies.requireJson(exchange);
        byte[] raw = RequestBodies.readBounded(exchange, RequestBodies.MAX_BYTES);
        exchange.setProperty(RAW, raw);
    }

    public void verify(Exchange exchange) {
        // an address whose signatures failed too often is refused before this one is checked (429)
        limiter.check(exchange);
        var m = exchange.getMessage();
        verifier.verify(tenants.webhookSecrets(Tenancy.of(exchange)), m.getHeader("webhook-id", String.class), m.getHeader("webhook-timestamp", String.class),
                m.getHeader("webhook-signature", String.class), exchange.getProperty(RAW, byte[].class));
    }

    public void parse(Exchange exchange) {
        exchange.setProperty(EVENT, parser.parse(exchange.getProperty(RAW, byte[].class),
                tenants.defaultRegion(Tenancy.of(exchange))));
    }

    /** Stores the event; the body becomes its callId (for the hand-off to the sync) and {@code scc.outcome} says what happened. */
    public void store(Exchange exchange) {
        CallEvent event = exchange.getProperty(EVENT, CallEvent.class);
        boolean isNew;
        try {
            isNew = inbox.store(Tenancy.of(exchange), event, exchange.getProperty(RAW, byte[].class), "canonical");
        } catch (EventInbox.CallFullException e) {
            throw callFull(e);
        }
        exchange.setProperty(OUTCOME, isNew ? "accepted" : "duplicate");
        exchange.getMessage().setBody(event.callId());
    }

    /** 422: the call already has the most events one call may have; nothing was stored (a retry gets the same answer). */
    public static ProblemException callFull(EventInbox.CallFullException e) {
        return new ProblemException(422, "Too many events for one call", "call-full",
                "call " + e.callId() + " already has " + e.max() + " events, the most one call may have (scc.ingest.max-events-per-call); nothing was stored");
    }

    public void answer(Exchange exchange) {
        CallEvent event = exchange.getProperty(EVENT, CallEvent.class);
        String outcome = exchange.getProperty(OUTCOME, String.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", event.eventId());
        body.put("callId", event.callId());
        body.put("status", outcome);
        problems.json(exchange, "accepted".equals(outcome) ? 202 : 200, body);
        finish(exchange, outcome, null);
    }

    /**
     * The error path of the route: render the problem (4xx; 503 with Retry-After when the database is unreachable, so
     * nothing was stored; 500 for anything else), count it by reason, log it.
     */
    public void reject(Exchange exchange) {
        ProblemException p = problems.problemFor(exchange);
        problems.write(exchange, p);
        finish(exchange, "rejected", p.reason());
    }

    private void finish(Exchange exchange, String outcome, String reason) {
        long ms = System.currentTimeMillis() - exchange.getClock().getCreated();
        latency.record(Duration.ofMillis(ms));
        String tenant = Tenancy.orDash(exchange);
        String key = tenant + "/" + outcome + "/" + (reason == null ? "" : reason);
        counters.computeIfAbsent(key, k -> {
            Counter.Builder b = Counter.builder("scc_ingest_events").description("call events received, by tenant and outcome")
                    .tag("tenant", tenant).tag("outcome", outcome);
            b.tag("reason", reason == null ? "none" : reason);
            return b.register(registry);
        }).increment();
        CallEvent e = exchange.getProperty(EVENT, CallEvent.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (e != null) {
            LOG.info("ingest tenant={} status={} outcome={} eventId={} callId={} type={} from={} to={} ms={}", tenant, status, outcome,
                    e.eventId(), e.callId(), e.type(), Mask.phone(e.from()), Mask.phone(e.to()), ms);
        } else {
            LOG.info("ingest tenant={} status={} outcome={} reason={} ms={}", tenant, status, outcome, reason, ms);
        }
    }
}
