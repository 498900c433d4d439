package io.sluice.query;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The opaque position of a result page: the run it belongs to, a row offset, and the fingerprint of
 * the view (sort and filters) it pages, empty for the result as stored. A cursor from an earlier run
 * of a refreshed query, or from another view of the result, is refused rather than silently paging
 * other rows.
 */
record ResultCursor(int run, long offset, String view) {

    private static final Pattern FORMAT = Pattern.compile("r(\\d{1,9}):o(\\d{1,18})(?::v([0-9a-f]{8}))?");

    ResultCursor(int run, long offset) {
        this(run, offset, "");
    }

    String encode() {
        return OpaqueToken.encode("r" + run + ":o" + offset + (view.isEmpty() ? "" : ":v" + view));
    }

    static Optional<ResultCursor> decode(String text) {
        return OpaqueToken.decode(text, FORMAT)
                .map(m -> new ResultCursor(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                        m.group(3) == null ? "" : m.group(3)));
    }
}
