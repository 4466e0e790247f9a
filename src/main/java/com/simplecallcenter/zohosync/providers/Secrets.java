package com.simplecallcenter.zohosync.providers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Constant-time comparison of shared secrets. */
final class Secrets {

    private Secrets() {
    }

    /** True when {@code given} equals {@code expected}; the time taken does not depend on where they differ. */
    static boolean same(byte[] expected, String given) {
        byte[] g = given == null ? new byte[0] : given.getBytes(StandardCharsets.UTF_8);
        // MessageDigest.isEqual is constant time for equal lengths; the length of the secret is not the secret
        return MessageDigest.isEqual(expected, g);
    }
}
