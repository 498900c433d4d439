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

    /** As stored and shown, with the requirement's field names. */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("table_name", tableName);
        m.put("row_count", rowCount);
        m.put("columns", columns.stream().map(c -> java.util.Map.of("name", c.name(), "type", c.type())).toList());
        m.put("attached_databases", attachedDatabases);
        m.put("is_federated", federated);
        m.put("execution_time_ms", executionTimeMs);
        return m;
    }
}
