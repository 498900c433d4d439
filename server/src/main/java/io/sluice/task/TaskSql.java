package io.sluice.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
        try {
            java.util.Properties p = new java.util.Properties();
            p.setProperty("autoinstall_known_extensions", "false");
            p.setProperty("autoload_known_extensions", "false");
            p.setProperty("threads", "1");
            p.setProperty("memory_limit", "64MB");
            parser = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", p);
            try (Statement s = parser.createStatement()) {
                s.execute("SET enable_external_access = false");
            }
            try (Statement s = parser.createStatement()) {
                s.execute("SET lock_configuration = true");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open DuckDB's parser: " + e.getMessage(), e);
        }
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
