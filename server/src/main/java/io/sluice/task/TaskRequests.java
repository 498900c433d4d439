package io.sluice.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.api.RequestBody;
import io.sluice.workspace.WorkspaceNames;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads task requests strictly, and refuses what cannot run before anything is stored: an empty
 * SQL, an unknown task type, a table name or alias that is not a plain identifier, an empty alias or
 * connection id, an alias given twice or one that names a catalog Sluice uses itself. Each refusal
 * is {@code VALIDATION_ERROR} with the field and the rule in its details.
 */
public final class TaskRequests {

    public static final Set<String> SUBMIT_FIELDS = Set.of("sql", "custom_table_name", "task_type", "datasource",
            "attach_databases");
    public static final Set<String> RETRY_FIELDS = Set.of("attach_databases");
    private static final Set<String> ATTACH_FIELDS = Set.of("alias", "connection_id");
    /** Catalog names DuckDB or Sluice use, which an alias may not take. */
    private static final Set<String> RESERVED_ALIASES = Set.of(WorkspaceNames.CATALOG, "system", "temp", "main",
            "memory");

    private TaskRequests() {
    }

    /** The task a {@code POST /api/async_query} body asks for; SQL trimmed. */
    public static TaskSpec submission(RequestBody body, ObjectMapper mapper) {
        String sql = body.string("sql");
        if (sql == null || sql.isBlank()) {
            throw invalid("sql", "SQL_EMPTY");
        }
        String type = body.string("task_type");
        if (type != null && !type.equals(TaskSpec.QUERY)) {
            throw invalid("task_type", "TASK_TYPE", type);
        }
        String table = body.string("custom_table_name");
        if (table != null) {
            table = table.trim();
            if (table.isEmpty()) {
                table = null;
            } else if (!WorkspaceNames.isTableName(table)) {
                throw invalid("custom_table_name", "TABLE_NAME_INVALID", table);
            }
        }
        List<AttachDatabase> attach = attachDatabases(body);
        return new TaskSpec(sql.trim(), TaskSpec.QUERY, table, attach == null ? List.of() : attach,
                body.map("datasource", mapper), null);
    }

    /** A table name given for a saved result. */
    public static String tableName(RequestBody body, String field) {
        String table = body.string(field);
        if (table == null || !WorkspaceNames.isTableName(table.trim())) {
            throw invalid(field, "TABLE_NAME_INVALID", table == null ? "" : table);
        }
        return table.trim();
    }

    /** The body's {@code attach_databases}, checked; null when absent (a retry then keeps the original ones). */
    public static List<AttachDatabase> attachDatabases(RequestBody body) {
        List<RequestBody> items = body.objects("attach_databases", ATTACH_FIELDS);
        if (items == null) {
            return null;
        }
        List<AttachDatabase> attach = new ArrayList<>();
        Set<String> aliases = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String alias = items.get(i).string("alias");
            String connectionId = items.get(i).string("connection_id");
            String field = "attach_databases[" + i + "]";
            if (alias == null || alias.isBlank()) {
                throw invalid(field + ".alias", "ALIAS_EMPTY");
            }
            if (connectionId == null || connectionId.isBlank()) {
                throw invalid(field + ".connection_id", "CONNECTION_ID_EMPTY");
            }
            if (!WorkspaceNames.isTableName(alias) || RESERVED_ALIASES.contains(alias.toLowerCase(Locale.ROOT))) {
                throw invalid(field + ".alias", "ALIAS_INVALID", alias);
            }
            // DuckDB's catalog names ignore case: "Pg" and "pg" would be one catalog.
            if (!aliases.add(alias.toLowerCase(Locale.ROOT))) {
                throw invalid(field + ".alias", "ALIAS_DUPLICATE", alias);
            }
            attach.add(new AttachDatabase(alias, connectionId));
        }
        return attach;
    }

    static ApiException invalid(String field, String rule, Object... args) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", field);
        details.put("rule", rule);
        if (args.length > 0) {
            details.put("value", String.valueOf(args[0]));
        }
        return ApiException.withMessage(MessageCode.VALIDATION_ERROR, "task." + rule, details, args);
    }
}
