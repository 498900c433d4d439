package io.sluice.task;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a task was asked to do, stored as submitted: the SQL (trimmed), its type, the table its result
 * becomes ({@code customTableName}, or null for {@code task_<id>}), the databases to attach exactly
 * as sent, the optional {@code datasource} the client named (kept, not interpreted), and for a saved
 * query result the query it copies ({@code sourceQueryId}, with {@code sql} null).
 */
public record TaskSpec(String sql, String taskType, String customTableName, List<AttachDatabase> attachDatabases,
                       Map<String, Object> datasource, String sourceQueryId) {

    /** A task that runs SQL. */
    public static final String QUERY = "query";
    /** A task that copies a finished query's stored result into a table. */
    public static final String SAVE_RESULT = "save_query_result";

    public TaskSpec {
        Objects.requireNonNull(taskType, "taskType");
        attachDatabases = List.copyOf(attachDatabases);
        datasource = datasource == null ? null // as the client sent it: JSON nulls included
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(datasource));
    }

    public boolean federated() {
        return !attachDatabases.isEmpty();
    }

    /** As stored and shown, with the requirement's field names. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("sql", sql);
        m.put("task_type", taskType);
        m.put("custom_table_name", customTableName);
        m.put("attach_databases", attachDatabases.stream().map(AttachDatabase::toMap).toList());
        m.put("datasource", datasource);
        m.put("source_query_id", sourceQueryId);
        return m;
    }

    /** The same task with other databases to attach (a retry that overrides them). */
    public TaskSpec withAttachDatabases(List<AttachDatabase> databases) {
        return new TaskSpec(sql, taskType, customTableName, databases, datasource, sourceQueryId);
    }
}
