package io.sluice.workspace;

import io.sluice.engine.Column;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table in a user's workspace: its name, row count, columns (DuckDB types, as stored) and where
 * it came from (a task, or a saved query result), when known.
 */
public record WorkspaceTable(String name, long rows, List<Column> columns, Optional<Source> source) {

    public WorkspaceTable {
        columns = List.copyOf(columns);
    }

    /** What made a table: {@code kind} {@code task} or {@code query}, and that task's or query's id. */
    public record Source(String kind, String id) {

        private static final Pattern COMMENT = Pattern.compile("(task|query):([0-9a-f-]{36})");

        public static Source task(String id) {
            return new Source("task", id);
        }

        public static Source query(String id) {
            return new Source("query", id);
        }

        /** As kept in the table's comment. */
        public String comment() {
            return kind + ":" + id;
        }

        static Optional<Source> fromComment(String comment) {
            if (comment == null) {
                return Optional.empty();
            }
            Matcher m = COMMENT.matcher(comment);
            return m.matches() ? Optional.of(new Source(m.group(1), m.group(2))) : Optional.empty();
        }
    }
}
