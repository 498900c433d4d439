package io.sluice.standin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * Opaque page tokens: a position and a flag, bound by a checksum to the resource they page
 * through, so a token that was altered or belongs elsewhere is recognised as malformed.
 */
final class PageToken {
    /** Where the next page starts; {@code flag} records whether a header row was already sent. */
    record Position(long offset, boolean flag) {
    }

    private PageToken() {
    }

    static String encode(String resource, long offset, boolean flag) {
        String body = offset + ":" + (flag ? 1 : 0);
        String text = body + ":" + checksum(resource, body);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token names, or null when the token is not one of ours for this resource. */
    static Position decode(String resource, String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = text.split(":");
            if (parts.length != 3) {
                return null;
            }
            String body = parts[0] + ":" + parts[1];
            if (!parts[2].equals(checksum(resource, body))) {
                return null;
            }
            long offset = Long.parseLong(parts[0]);
            return offset < 0 ? null : new Position(offset, "1".equals(parts[1]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String checksum(String resource, String body) {
        CRC32 crc = new CRC32();
        crc.update((resource + "|" + body).getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }
}
