package io.sluice.query;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The opaque position of a result page: the run it belongs to and a row offset. A cursor from an
 * earlier run of a refreshed query is refused rather than silently paging another result.
 */
record ResultCursor(int run, long offset) {

    private static final Pattern FORMAT = Pattern.compile("r(\\d{1,9}):o(\\d{1,18})");

    String encode() {
        return OpaqueToken.encode("r" + run + ":o" + offset);
    }

    static Optional<ResultCursor> decode(String text) {
        return OpaqueToken.decode(text, FORMAT)
                .map(m -> new ResultCursor(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
    }
}
