package io.sluice.query;

import java.util.Optional;
import java.util.regex.Pattern;

/** The opaque cursor of a page of a query's runs: the number of the last run shown (the next page lists runs below it). */
final class RunsCursor {

    private static final Pattern FORMAT = Pattern.compile("run:(\\d{1,9})");

    private RunsCursor() {
    }

    static String encode(int lastRunShown) {
        return OpaqueToken.encode("run:" + lastRunShown);
    }

    static Optional<Integer> decode(String text) {
        return OpaqueToken.decode(text, FORMAT).map(m -> Integer.parseInt(m.group(1)));
    }
}
