package io.sluice.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.engine.duckdb.DuckDbParser;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * DuckDB's own parser on a private in-memory database (no file access, configuration locked):
 * whether a LocalQuery's SQL is exactly one SELECT, and which tables it names (in lower case),
 * which tells the steps it depends on.
 */
final class PlanSql implements AutoCloseable {

    /** What the parser found: a problem (not one SELECT), or the tables the SELECT names. */
    record Parsed(Optional<String> problem, Set<String> tables) {
    }

    private final DuckDBConnection parser;
    private final ObjectMapper json;

    PlanSql(ObjectMapper json) {
        this.json = json;
        parser = DuckDbParser.open();
    }

    Parsed parse(String sql) {
        try (Connection c = parser.duplicate();
             PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                JsonNode tree = json.readTree(rs.getString(1));
                if (tree.path("error").asBoolean(false)) {
                    return new Parsed(Optional.of(tree.path("error_message").asText("not a SELECT statement")), Set.of());
                }
                int statements = tree.path("statements").size();
                if (statements != 1) {
                    return new Parsed(Optional.of("it holds " + statements + " statements"), Set.of());
                }
                Set<String> tables = new LinkedHashSet<>();
                collect(tree.path("statements"), tables);
                return new Parsed(Optional.empty(), tables);
            }
        } catch (SQLException | java.io.IOException e) {
            return new Parsed(Optional.of(e.getMessage()), Set.of());
        }
    }

    /** The names of every base table the tree refers to, without a catalog or schema. */
    private static void collect(JsonNode node, Set<String> tables) {
        if (node.isObject()) {
            if ("BASE_TABLE".equals(node.path("type").asText()) && node.hasNonNull("table_name")
                    && node.path("catalog_name").asText("").isEmpty()) {
                tables.add(node.get("table_name").asText().toLowerCase(Locale.ROOT));
            }
            node.forEach(child -> collect(child, tables));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, tables));
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (SQLException e) {
            // closing at shutdown
        }
    }
}
