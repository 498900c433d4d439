package io.sluice.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The opaque position of a result page: the run it belongs to and a row offset. A cursor from an
 * earlier run of a refreshed query is refused rather than silently paging another result.
 */
record ResultCursor(int run, long offset) {

    private static final Pattern FORMAT = Pattern.compile("r(\\d{1,9}):o(\\d{1,18})");

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("r" + run + ":o" + offset).getBytes(StandardCharsets.US_ASCII));
    }

    static Optional<ResultCursor> decode(String text) {
        if (text == null || text.length() > 64) {
            return Optional.empty();
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            Matcher m = FORMAT.matcher(raw);
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new ResultCursor(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
