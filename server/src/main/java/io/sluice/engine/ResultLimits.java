package io.sluice.engine;

/**
 * How large one stored result of an engine may grow. A result that would pass a limit is stored up
 * to it and marked truncated; the query still succeeds.
 *
 * @param maxRows  rows stored at most
 * @param maxBytes bytes of stored row data at most
 */
public record ResultLimits(long maxRows, long maxBytes) {

    /** No limit: for tools and tests that store whatever comes. */
    public static final ResultLimits NONE = new ResultLimits(Long.MAX_VALUE, Long.MAX_VALUE);

    public ResultLimits {
        if (maxRows < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("result limits must be positive, were " + maxRows + " rows, "
                    + maxBytes + " bytes");
        }
    }
}
