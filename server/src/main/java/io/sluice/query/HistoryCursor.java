package io.sluice.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The opaque cursor of a history page: the (createdAt, id) of the last item shown. */
final class HistoryCursor {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,18}):([0-9a-f-]{36})");

    private HistoryCursor() {
    }

    static String encode(HistoryQuery.Position position) {
        String raw = position.createdAt().toEpochMilli() + ":" + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    static Optional<HistoryQuery.Position> decode(String text) {
        if (text == null || text.length() > 128) {
            return Optional.empty();
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            Matcher m = FORMAT.matcher(raw);
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new HistoryQuery.Position(Instant.ofEpochMilli(Long.parseLong(m.group(1))), m.group(2)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
