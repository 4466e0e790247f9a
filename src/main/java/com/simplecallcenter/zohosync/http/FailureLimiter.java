package com.simplecallcenter.zohosync.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Exchange;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses guessing without holding a thread: every 401 (a wrong admin login, a bad bearer token, a bad webhook token
 * or signature) counts against the client's address; a client with {@code perClient} failures within the window gets
 * 429 with Retry-After on every authenticated request until the window has passed, whatever token it sends then.
 * Sign-ins and the admin API also stop for everyone (429) once {@code overall} failures from all clients fell within
 * one window (a guess spread over many addresses); webhooks do not, so a flood of wrong logins never delays a call.
 * Counting is in memory, per instance: each instance limits what reaches it.
 */
public final class FailureLimiter {

    /** Exchange property: the client's address, read before a response replaces the request's headers. */
    public static final String CLIENT = "sccClient";

    private final int perClient;
    private final int overall;
    private final Duration window;
    private final Cache<String, AtomicInteger> failures;
    private final AtomicLong windowStart = new AtomicLong();
    private final AtomicInteger windowFailures = new AtomicInteger();

    public FailureLimiter(int perClient, int overall, Duration window) {
        this.perClient = perClient;
        this.overall = overall;
        this.window = window;
        this.failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
    }

    /** The request's client: the TCP peer's address (X-Forwarded-For is not trusted: anyone can send it). */
    public static String client(Exchange exchange) {
        String known = exchange.getProperty(CLIENT, String.class);
        if (known != null) {
            return known;
        }
        String address = "unknown";
        jakarta.servlet.http.HttpServletRequest request = null;
        if (exchange.getIn() instanceof org.apache.camel.http.common.HttpMessage m) {
            request = m.getRequest();
        } else if (exchange.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST) instanceof jakarta.servlet.http.HttpServletRequest r) {
            request = r;
        }
        if (request != null && request.getRemoteAddr() != null) {
            address = request.getRemoteAddr();
        }
        exchange.setProperty(CLIENT, address);
        return address;
    }

    /** Route step before a webhook's token or signature is checked: 429 for a client with too many recent failures. */
    public void check(Exchange exchange) {
        AtomicInteger n = failures.getIfPresent(client(exchange));
        if (n != null && n.get() >= perClient) {
            throw tooMany("too many failed attempts from this address; try again later");
        }
    }

    /** The same for sign-ins and the admin API, which also stop for everyone while failures flood in. */
    public void checkSignIn(Exchange exchange) {
        check(exchange);
        if (currentWindowFailures() >= overall) {
            throw tooMany("too many failed sign-ins; try again later");
        }
    }

    /** Counts a 401 answered to the exchange's client. */
    public void failed(Exchange exchange) {
        failures.get(client(exchange), k -> new AtomicInteger()).incrementAndGet();
        currentWindowFailures();
        windowFailures.incrementAndGet();
    }

    private int currentWindowFailures() {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (start == 0 || now - start > window.toNanos()) {
            if (windowStart.compareAndSet(start, now)) {
                windowFailures.set(0);
            }
        }
        return windowFailures.get();
    }

    private ProblemException tooMany(String detail) {
        return ProblemException.tooManyRequests("too-many-failures", detail, (int) Math.max(1, window.toSeconds()));
    }
}
