package com.simplecallcenter.zohosync.http;

import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The bearer token of a request, and the constant-time comparison every token check uses (admin, operator). */
public final class BearerToken {

    private BearerToken() {
    }

    /** The token of {@code Authorization: Bearer <token>}, or "" when the request carries none. */
    public static String of(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    }

    /** Whether {@code given} is {@code expected}, in a time that does not depend on where they differ. */
    public static boolean matches(byte[] expected, String given) {
        return expected != null && given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
    }
}
