package io.sluice.task;

import io.sluice.result.DownloadFormat;

import java.io.IOException;
import java.nio.file.Path;

/** Finished queries' stored results, for saving one as a workspace table. */
@FunctionalInterface
public interface ResultSource {

    /**
     * Writes the stored result of {@code owner}'s query {@code queryId} into {@code file}, streamed,
     * as Parquet when the result is stored columnar (exact types) else as CSV.
     *
     * @return the format written
     * @throws io.sluice.api.ApiException when the query is not the owner's, not finished or its result is gone
     */
    DownloadFormat write(String owner, String queryId, Path file) throws IOException;
}
