package com.simplecallcenter.zohosync.web;

import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards {@code /api/v1/admin/**}, the OAuth connect page and call look-ups: {@code Authorization: Bearer $SCC_ADMIN_TOKEN},
 * compared in constant time. Without a configured token the admin API is disabled (every request is 401).
 */
public final class AdminAuth {

    private final Optional<byte[]> token;

    public AdminAuth(Optional<String> token) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    public boolean isEnabled() {
        return token.isPresent();
    }

    /** Route step: throws a 401 problem unless the request carries the admin bearer token. */
    public void check(Exchange exchange) {
        if (token.isEmpty()) {
            throw ProblemException.unauthorized("admin-disabled", "the admin API is disabled: SCC_ADMIN_TOKEN is not set");
        }
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(token.get(), given)) {
            throw ProblemException.unauthorized("bad-admin-token", "a valid admin bearer token is required");
        }
    }
}
