package io.sluice.download;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import io.sluice.result.DownloadFormat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signed, expiring links to a stored local result: the token names the query run and the expiry
 * and carries an HMAC-SHA256 over both, so it cannot be forged or extended. Like a presigned S3
 * URL, the token itself is the permission.
 */
public final class LinkSigner {

    /**
     * {@code <query id: lower-case UUID>:<run: 1..999999999>:<expiry: epoch seconds>[:parquet|:jsonl]},
     * nothing else; no format is CSV (so links signed before there were formats stay valid).
     */
    private static final Pattern PAYLOAD = Pattern.compile(
            "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([1-9]\\d{0,8}):(\\d{1,12})(?::(parquet|jsonl))?");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] key;

    public LinkSigner(Optional<String> secret) {
        if (secret.isPresent()) {
            this.key = secret.get().getBytes(StandardCharsets.UTF_8);
        } else {
            this.key = new byte[32];
            new SecureRandom().nextBytes(this.key);
        }
    }

    /** What a valid token grants: one run's result, in one format, until {@code expiresAt}. */
    public record Grant(String queryId, int run, Instant expiresAt, DownloadFormat format) {
        /** A grant of the CSV download. */
        public Grant(String queryId, int run, Instant expiresAt) {
            this(queryId, run, expiresAt, DownloadFormat.CSV);
        }
    }

    public String sign(Grant grant) {
        String format = grant.format() == DownloadFormat.CSV ? "" : ":" + grant.format().extension();
        byte[] payload = (grant.queryId() + ":" + grant.run() + ":" + grant.expiresAt().getEpochSecond() + format)
                .getBytes(StandardCharsets.US_ASCII);
        return B64.encodeToString(payload) + "." + B64.encodeToString(mac(payload));
    }

    /**
     * The grant of a well-formed, correctly signed token (expiry not checked here). A correct
     * signature is not enough: a payload that is not exactly a grant (whoever signed it) is no
     * grant, so nothing downstream ever sees a malformed query id or run.
     */
    public Optional<Grant> verify(String token) {
        if (token == null || token.length() > 256) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
            byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(mac(payload), signature)) {
                return Optional.empty();
            }
            // Bytes outside ASCII decode to U+FFFD, which the pattern never matches.
            Matcher m = PAYLOAD.matcher(new String(payload, StandardCharsets.US_ASCII));
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new Grant(m.group(1), Integer.parseInt(m.group(2)),
                    Instant.ofEpochSecond(Long.parseLong(m.group(3))),
                    m.group(4) == null ? DownloadFormat.CSV : DownloadFormat.named(m.group(4)).orElseThrow()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
