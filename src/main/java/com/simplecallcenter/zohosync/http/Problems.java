package com.simplecallcenter.zohosync.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes HTTP answers for the REST routes: JSON bodies and RFC 9457 problems. Bodies are written as strings because
 * REST binding is off on our verbs (with it, a malformed body fails before the route's error handler and an error
 * body is not rendered as JSON), and every request header is dropped first, since the Jetty consumer echoes them.
 */
public final class Problems {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger("scc.http");

    /** Retry-After of a 503 for an unreachable database: a restart or fail-over takes seconds, not minutes. */
    public static final int RETRY_AFTER_SECONDS = 5;
    private static final long UNAVAILABLE_LOG_INTERVAL_MS = 10_000;

    private final ObjectMapper mapper;
    private final AtomicLong lastUnavailableLog = new AtomicLong(Long.MIN_VALUE / 2);

    private FailureLimiter limiter;

    /** Every 401 written from now on counts against its client ({@link FailureLimiter}). */
    public Problems countFailures(FailureLimiter limiter) {
        this.limiter = limiter;
        return this;
    }

    public Problems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Renders the exception Camel caught on this exchange: a {@link ProblemException} as itself, the database out of
     * reach as a 503 with Retry-After, anything else as a 500 that hides its cause.
     */
    public void render(Exchange exchange) {
        write(exchange, problemFor(exchange));
    }

    /** The problem that answers the exception Camel caught on this exchange (see {@link #render}); logs what ops need. */
    public ProblemException problemFor(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (t instanceof ProblemException pe) {
            return pe;
        }
        Optional<Throwable> unavailable = DatabaseUnavailable.find(t);
        if (unavailable.isPresent()) {
            logUnavailable(unavailable.get());
            return ProblemException.databaseUnavailable(RETRY_AFTER_SECONDS);
        }
        // the answer hides the cause; the log keeps it for ops (exceptions here carry no request secrets)
        LOG.error("request {} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                exchange.getMessage().getHeader(Exchange.HTTP_PATH), t);
        return new ProblemException(500, "Internal error", "internal", "the request could not be processed; nothing was accepted, try again later");
    }

    /** One warning every {@link #UNAVAILABLE_LOG_INTERVAL_MS} while requests meet an unreachable database, not one per request. */
    private void logUnavailable(Throwable why) {
        long now = System.currentTimeMillis();
        long last = lastUnavailableLog.get();
        if (now - last >= UNAVAILABLE_LOG_INTERVAL_MS && lastUnavailableLog.compareAndSet(last, now)) {
            LOG.warn("the database is unreachable ({}): requests that need it are answered 503 with Retry-After {} s", why,
                    RETRY_AFTER_SECONDS);
        }
    }

    public void write(Exchange exchange, ProblemException p) {
        if (p.status() == 401 && limiter != null) {
            // counted before the answer replaces the request's headers (the client's address is read from them)
            limiter.failed(exchange);
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("type", "about:blank");
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.getMessage());
        if (!p.errors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            p.errors().forEach(e -> errors.addObject().put("field", e.field()).put("message", e.message()));
        }
        respond(exchange, p.status(), PROBLEM_JSON, body.toString());
        if (p.retryAfterSeconds() > 0) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(p.retryAfterSeconds()));
        }
    }

    public void json(Exchange exchange, int status, Object body) {
        try {
            respond(exchange, status, "application/json", mapper.writeValueAsString(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void respond(Exchange exchange, int status, String contentType, String body) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, contentType);
        // the whole answer is at hand: sent with its Content-Length in one write, not chunked (Camel's HTTP consumer
        // otherwise streams it as chunks, flushing each, then a last empty chunk: two writes for a few bytes)
        m.setHeader(Exchange.HTTP_CHUNKED, false);
        m.setBody(body);
    }
}
