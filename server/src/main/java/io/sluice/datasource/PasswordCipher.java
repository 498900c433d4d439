package io.sluice.datasource;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Encrypts datasource passwords for the store with AES-256-GCM: a random 12-byte IV per value and a
 * 128-bit tag. A sealed value is {@code v1:} and the base64 of IV and ciphertext with its tag. The
 * datasource's owner and id are bound to it as associated data, so a sealed password copied onto
 * another row does not open there.
 */
public final class PasswordCipher {

    private static final String PREFIX = "v1:";
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private PasswordCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Why {@code base64} is not a usable key, or empty when it is. Never repeats the key. */
    public static Optional<String> weakness(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
        } catch (IllegalArgumentException e) {
            return Optional.of("must be base64 of 32 random bytes (e.g. openssl rand -base64 32); it is not base64");
        }
        try {
            if (bytes.length != KEY_BYTES) {
                return Optional.of("must be base64 of 32 random bytes (e.g. openssl rand -base64 32); it decodes to "
                        + bytes.length + " bytes");
            }
            boolean allSame = true;
            for (byte b : bytes) {
                allSame &= b == bytes[0];
            }
            return allSame ? Optional.of("is weak: its 32 bytes are all the same; use random bytes "
                    + "(e.g. openssl rand -base64 32)") : Optional.empty();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The cipher of a key given as base64 of 32 bytes. */
    public static PasswordCipher fromBase64(String base64) {
        Optional<String> weakness = weakness(base64);
        if (weakness.isPresent()) {
            throw new IllegalArgumentException("the datasource encryption key " + weakness.get());
        }
        byte[] bytes = Base64.getDecoder().decode(base64.trim());
        try {
            return new PasswordCipher(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** {@code password} encrypted for the datasource {@code owner}/{@code id}. */
    public String seal(String password, String owner, String id) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associated(owner, id));
            byte[] sealed = cipher.doFinal(password.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The password {@link #seal} sealed for {@code owner}/{@code id}.
     *
     * @throws WrongKeyException when this key did not seal it (or the value was changed)
     */
    public String open(String sealed, String owner, String id) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new WrongKeyException("not a sealed password");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new WrongKeyException("not a sealed password");
        }
        if (bytes.length < IV_BYTES + TAG_BITS / 8) {
            throw new WrongKeyException("not a sealed password");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            cipher.updateAAD(associated(owner, id));
            return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new WrongKeyException("the key does not open it");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] associated(String owner, String id) {
        return (owner + "\u0000" + id).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PasswordCipher[AES-256-GCM, key=***]";
    }

    /** A sealed password that this key cannot open: another key sealed it, or it was altered. */
    public static final class WrongKeyException extends RuntimeException {
        WrongKeyException(String message) {
            super(message);
        }
    }
}
