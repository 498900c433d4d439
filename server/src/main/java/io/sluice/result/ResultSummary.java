package io.sluice.result;

import io.sluice.engine.Column;

import java.util.List;

/**
 * A published result: its columns, row count, stored size in bytes, and why it holds less than
 * the engine produced ({@code truncation}, null when it holds everything).
 */
public record ResultSummary(List<Column> columns, long rows, long bytes, ResultTruncation truncation) {
    public ResultSummary {
        columns = List.copyOf(columns);
    }

    public boolean truncated() {
        return truncation != null;
    }
}
