package io.sluice.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.engine.Column;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The content of {@code summary.json}. {@code storedTypes} (the Parquet formats, 2 and 3, and the CSV
 * parts, 4) are the DuckDB types of the stored columns, in order; {@code partRows} (formats 3 and 4) the rows of each
 * part file, in order (see {@link ParquetLayout}). {@code generation} ties it to the {@code rows.idx} written
 * with it, so a reader notices when the result it opened was replaced. {@code truncation} is null
 * for a complete result, and absent from files written before results had limits.
 */
record SummaryFile(int format, UUID generation, List<Column> columns, long rows, long bytes,
                   ResultTruncation truncation,
                   @JsonInclude(JsonInclude.Include.NON_NULL) List<String> storedTypes,
                   @JsonInclude(JsonInclude.Include.NON_NULL) List<Long> partRows) {

    SummaryFile {
        Objects.requireNonNull(generation, "generation");
        columns = List.copyOf(columns);
        storedTypes = storedTypes == null ? null : List.copyOf(storedTypes);
        partRows = partRows == null ? null : List.copyOf(partRows);
    }

    /** A summary of the row-file format (1), which has no stored types. */
    SummaryFile(int format, UUID generation, List<Column> columns, long rows, long bytes, ResultTruncation truncation) {
        this(format, generation, columns, rows, bytes, truncation, null, null);
    }

    /** Whether the rows are Parquet (parts, or the one file of the previous version) rather than the row format. */
    boolean parquet() {
        return format == ResultFiles.FORMAT_PARQUET || format == ResultFiles.FORMAT_PARQUET_PARTS;
    }

    /** Whether the rows are Athena's CSV in parts, published before their conversion to Parquet. */
    boolean csvParts() {
        return format == ResultFiles.FORMAT_CSV_PARTS;
    }

    ResultSummary summary() {
        return new ResultSummary(columns, rows, bytes, truncation);
    }
}
