package io.sluice.result;

import java.io.IOException;
import java.nio.file.Path;

/** What a store does with the staging directory of a {@link ResultFileWriter} once it is complete or given up. */
interface ResultStaging {

    /**
     * Makes the complete files in {@code dir} ({@code rows.jsonl}, {@code rows.idx},
     * {@code summary.json}) visible as one published result, whole or not at all. The store
     * removes {@code dir} afterwards; on failure nothing of it is visible.
     */
    void publish(Path dir, SummaryFile summary) throws IOException;

    /** Removes {@code dir}; never throws (what cannot be removed now is swept at the next start). */
    void discard(Path dir);

    /**
     * The result just published ({@code summary}) is Athena's CSV ({@link ResultFiles#FORMAT_CSV_PARTS}):
     * the store converts it to Parquet in the background. Only stores that take CSV first are told.
     */
    default void convertLater(SummaryFile summary) {
    }
}
