package io.sluice.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Paging cursors as opaque URL-safe text: base64 of a small ASCII form, checked on the way back. */
public final class OpaqueToken {

    private OpaqueToken() {
    }

    public static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** The decoded form matched against {@code format}, or empty for anything malformed. */
    public static Optional<Matcher> decode(String token, Pattern format) {
        if (token == null || token.length() > 128) {
            return Optional.empty();
        }
        try {
            Matcher m = format.matcher(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII));
            return m.matches() ? Optional.of(m) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
