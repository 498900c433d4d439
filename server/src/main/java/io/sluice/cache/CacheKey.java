package io.sluice.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The local result cache's key of a query: the SHA-256 (64 hex digits) of its normalized SQL
 * ({@link SqlNormalizer}), engine, catalog, database and workgroup. Each part is written with its
 * length first, so no two different sets of parts give the same input.
 */
public final class CacheKey {

    /** Bumped when the normalization changes, so keys of the old form stop matching. */
    private static final String VERSION = "sluice-cache-1";

    private CacheKey() {
    }

    public static String of(String sql, String engine, String catalog, String database, String workgroup) {
        StringBuilder input = new StringBuilder(VERSION);
        for (String part : new String[] {engine, catalog, database, workgroup, SqlNormalizer.normalize(sql)}) {
            String value = part == null ? "" : part;
            input.append('\n').append(part == null ? -1 : value.length()).append(':').append(value);
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(input.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
