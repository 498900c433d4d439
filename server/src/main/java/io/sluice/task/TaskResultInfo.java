package io.sluice.task;

import io.sluice.engine.Column;

import java.util.List;

/**
 * What a finished task made: its table, how many rows and which columns it has, the aliases that
 * were attached (in order), whether it was federated, and how long it ran.
 */
public record TaskResultInfo(String tableName, long rowCount, List<Column> columns, List<String> attachedDatabases,
                             boolean federated, long executionTimeMs) {

    public TaskResultInfo {
        columns = List.copyOf(columns);
        attachedDatabases = List.copyOf(attachedDatabases);
    }
}
