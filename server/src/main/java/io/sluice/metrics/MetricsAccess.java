package io.sluice.metrics;

import io.sluice.config.SluiceConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may read {@code /metrics}: anyone, or only a request with exactly one
 * {@code Authorization: Bearer <token>} header carrying the configured token. Tokens are compared
 * as SHA-256 digests in constant time, so neither the content nor the length of the configured
 * token shows in the time an answer takes.
 */
final class MetricsAccess {

    private static final String BEARER = "bearer ";

    /** The digest of the token a request must carry; empty when anyone may read. */
    private final Optional<byte[]> tokenDigest;

    private MetricsAccess(Optional<byte[]> tokenDigest) {
        this.tokenDigest = tokenDigest;
    }

    static MetricsAccess of(SluiceConfig.Metrics config) {
        if (config.access() == SluiceConfig.Metrics.Access.PUBLIC) {
            return new MetricsAccess(Optional.empty());
        }
        String token = config.token().orElseThrow(() ->
                new IllegalArgumentException("metrics access by token needs a token"));
        return new MetricsAccess(Optional.of(digest(token)));
    }

    /** Whether a request with these {@code Authorization} header values may read the metrics. */
    boolean allows(List<String> authorization) {
        if (tokenDigest.isEmpty()) {
            return true;
        }
        if (authorization.size() != 1) {
            return false;
        }
        String value = authorization.get(0).strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return false;
        }
        return MessageDigest.isEqual(tokenDigest.get(), digest(value.substring(BEARER.length()).strip()));
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
