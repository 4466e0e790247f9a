package com.simplecallcenter.zohosync.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one form in which we keep a secret we only need to recognise (admin tokens, OAuth states, ended sessions). */
public final class SecretHash {

    private SecretHash() {
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes. */
    public static String of(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
