package com.simplecallcenter.zohosync.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * AES-256-GCM for tokens and secrets at rest (Zoho tokens, tenants' webhook and provider secrets), under SCC_TOKEN_KEY. A sealed value is {@code 0x01 || 96-bit random nonce || ciphertext || 128-bit tag};
 * the column name goes in as associated data, so a ciphertext cannot be moved to another column. Each key is known
 * by its id (first 8 hex of SHA-256 of the key), stored beside the row: after a rotation the previous key still opens
 * old rows, and the next write seals them under the current key.
 */
public final class TokenCipher {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec current;
    private final String currentId;
    private final SecretKeySpec previous;
    private final String previousId;

    public TokenCipher(byte[] currentKey, Optional<byte[]> previousKey) {
        this.current = new SecretKeySpec(currentKey, "AES");
        this.currentId = keyId(currentKey);
        this.previous = previousKey.map(k -> new SecretKeySpec(k, "AES")).orElse(null);
        this.previousId = previousKey.map(TokenCipher::keyId).orElse(null);
    }

    public static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String currentKeyId() {
        return currentId;
    }

    public boolean canOpen(String keyId) {
        return currentId.equals(keyId) || (previousId != null && previousId.equals(keyId));
    }

    public byte[] seal(String plaintext, String column) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, current, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(column.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[1 + NONCE_BYTES + ct.length];
            out[0] = VERSION;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            System.arraycopy(ct, 0, out, 1 + NONCE_BYTES, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a token", e);
        }
    }

    /** Opens a value sealed under the key {@code keyId}; throws {@link IllegalStateException} if that key is not known or the value was altered. */
    public String open(byte[] sealed, String keyId, String column) {
        SecretKeySpec key = currentId.equals(keyId) ? current : previousId != null && previousId.equals(keyId) ? previous : null;
        if (key == null) {
            throw new IllegalStateException("the tokens were encrypted with another SCC_TOKEN_KEY (key id " + keyId + ")");
        }
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalStateException("a stored token has an unknown format");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            c.updateAAD(column.getBytes(StandardCharsets.UTF_8));
            byte[] pt = c.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
            return new String(pt, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored token could not be decrypted (altered, or another key with the same id)");
        }
    }
}
