package io.sluice.result;

import io.sluice.engine.Column;

import java.util.List;

/** A published result: its columns, row count and stored size in bytes. */
public record ResultSummary(List<Column> columns, long rows, long bytes) {
    public ResultSummary {
        columns = List.copyOf(columns);
    }
}
