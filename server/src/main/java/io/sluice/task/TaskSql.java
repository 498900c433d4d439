package io.sluice.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.engine.duckdb.DuckDbParser;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Checks with DuckDB's own parser ({@code json_serialize_sql}, which parses without running) that a
 * task's SQL is exactly one SELECT statement — its result becomes a table, so it is run as
 * {@code CREATE TABLE … AS (<sql>)}, and a second statement or a non-SELECT must not slip in.
 * The parser runs in a private in-memory DuckDB with no file or network access.
 */
public final class TaskSql implements AutoCloseable {

    private final DuckDBConnection parser;
    private final ObjectMapper json;

    public TaskSql(ObjectMapper json) {
        this.json = json;
        parser = DuckDbParser.open();
    }

    /** Why {@code sql} cannot run as a task, or empty when it is one SELECT statement. */
    public Optional<String> problem(String sql) {
        try (Connection c = parser.duplicate();
             PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                JsonNode tree = json.readTree(rs.getString(1));
                if (tree.path("error").asBoolean(false)) {
                    return Optional.of(tree.path("error_message").asText("not a SELECT statement"));
                }
                int statements = tree.path("statements").size();
                return statements == 1 ? Optional.empty()
                        : Optional.of("it holds " + statements + " statements");
            }
        } catch (SQLException | java.io.IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (SQLException e) {
            // closing: nothing to keep
        }
    }
}
