package io.sluice.result;

import java.util.Objects;

/**
 * Why a stored result holds less than the engine produced: it reached one of its engine's
 * {@link io.sluice.engine.ResultLimits}. A notice, not a failure: the query succeeded and the
 * stored rows are the first rows of its result.
 *
 * @param reason which limit was reached
 * @param limit  that limit's value (rows or bytes)
 */
public record ResultTruncation(Reason reason, long limit) {

    /** The limit a result reached. */
    public enum Reason {
        /** It had more rows than {@code maxResultRows}. */
        MAX_RESULT_ROWS,
        /** Its next row would have taken the stored row data past {@code maxResultBytes}. */
        MAX_RESULT_BYTES
    }

    public ResultTruncation {
        Objects.requireNonNull(reason, "reason");
    }
}
