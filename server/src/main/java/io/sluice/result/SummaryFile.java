package io.sluice.result;

import io.sluice.engine.Column;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The content of {@code summary.json}. {@code generation} ties it to the {@code rows.idx} written
 * with it, so a reader notices when the result it opened was replaced. {@code truncation} is null
 * for a complete result, and absent from files written before results had limits.
 */
record SummaryFile(int format, UUID generation, List<Column> columns, long rows, long bytes,
                   ResultTruncation truncation) {

    SummaryFile {
        Objects.requireNonNull(generation, "generation");
        columns = List.copyOf(columns);
    }

    ResultSummary summary() {
        return new ResultSummary(columns, rows, bytes, truncation);
    }
}
