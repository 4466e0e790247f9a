package com.simplecallcenter.zohosync.http;

import org.apache.camel.Exchange;

import java.util.regex.Pattern;

/**
 * Which tenant an exchange belongs to. The tenant comes from the URL path at ingest ({@code /api/v1/tenants/{tenant}/…},
 * or {@code default} on the paths that name none) and travels with the call as the header {@value #HEADER}: through
 * the hand-off, the sweep's split and every replay. The sync never guesses it: an exchange without one is a bug.
 */
public final class Tenancy {

    public static final String DEFAULT = "default";
    /** The header (and exchange property) that carries the tenant id through the routes. */
    public static final String HEADER = "SccTenant";

    private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,39}$");

    /** A tenant id as interface.md fixes it: lower-case letters, digits and dashes, 2 to 40 characters. */
    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The exchange's tenant; throws when none was set (a route that forgot it must fail loudly, not write elsewhere). */
    public static String of(Exchange exchange) {
        String t = exchange.getProperty(HEADER, String.class);
        if (t == null) {
            t = exchange.getMessage().getHeader(HEADER, String.class);
        }
        if (t == null) {
            throw new IllegalStateException("no tenant on exchange " + exchange.getExchangeId());
        }
        return t;
    }

    /** Route step for {@code /api/v1/tenants/{tenant}/…}: the path's tenant, or 404 for an id that cannot exist. */
    public void fromPath(Exchange exchange) {
        String t = exchange.getMessage().getHeader("tenant", String.class);
        if (!validId(t)) {
            throw ProblemException.notFound("no such tenant");
        }
        set(exchange, t);
    }

    /** Route step for the paths that name no tenant: they belong to {@code default}. */
    public void toDefault(Exchange exchange) {
        set(exchange, DEFAULT);
    }

    public static void set(Exchange exchange, String tenant) {
        exchange.setProperty(HEADER, tenant);
        exchange.getMessage().setHeader(HEADER, tenant);
    }

    /** The tenant for a log line: the exchange's, or "-" before one is known. */
    public static String orDash(Exchange exchange) {
        String t = exchange.getProperty(HEADER, String.class);
        return t == null ? "-" : t;
    }
}
