package io.sluice.query;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** The opaque cursor of a history page: the (createdAt, id) of the last item shown. */
final class HistoryCursor {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,18}):([0-9a-f-]{36})");

    private HistoryCursor() {
    }

    static String encode(HistoryQuery.Position position) {
        return OpaqueToken.encode(position.createdAt().toEpochMilli() + ":" + position.id());
    }

    static Optional<HistoryQuery.Position> decode(String text) {
        return OpaqueToken.decode(text, FORMAT).map(m ->
                new HistoryQuery.Position(Instant.ofEpochMilli(Long.parseLong(m.group(1))), m.group(2)));
    }
}
