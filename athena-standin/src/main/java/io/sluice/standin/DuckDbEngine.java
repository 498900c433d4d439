package io.sluice.standin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.duckdb.DuckDBConnection;

/**
 * The embedded DuckDB that runs the stand-in's queries. Athena's catalog {@code AwsDataCatalog} is
 * an attached in-memory DuckDB database named {@code awsdatacatalog}; Athena databases are its
 * schemas ({@code default} always exists, DuckDB's own {@code main} is hidden). Each query gets its
 * own connection, so its current database and cancellation are its own.
 */
final class DuckDbEngine implements AutoCloseable {
    static final String CATALOG = "awsdatacatalog";
    static final String DEFAULT_DATABASE = "default";
    private static final Set<String> HIDDEN_SCHEMAS = Set.of("main", "information_schema", "pg_catalog");

    private final DuckDBConnection root;

    DuckDbEngine(Path spillDirectory) throws SQLException {
        Properties properties = new Properties();
        // Rows come to the CSV writer as DuckDB produces them instead of being materialised first.
        properties.setProperty("jdbc_stream_results", "true");
        this.root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", properties);
        try (Statement statement = root.createStatement()) {
            // Only built-in extensions (parquet, json, icu) exist offline; fail at once instead of downloading.
            statement.execute("SET autoinstall_known_extensions = false");
            statement.execute("SET GLOBAL TimeZone = 'UTC'");
            statement.execute("SET temp_directory = " + literal(spillDirectory.toAbsolutePath().toString()));
            statement.execute("SET enable_progress_bar = false");
            statement.execute("ATTACH ':memory:' AS " + CATALOG);
            statement.execute("CREATE SCHEMA " + CATALOG + "." + StatementParser.quote(DEFAULT_DATABASE));
        }
    }

    /** A new connection whose current database is {@code database} of {@code AwsDataCatalog}. */
    Connection connect(String database) throws SQLException {
        Connection connection = root.duplicate();
        try (Statement statement = connection.createStatement()) {
            statement.execute("USE " + CATALOG + "." + StatementParser.quote(database));
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** Runs setup SQL (several statements allowed) in the {@code default} database. */
    void execute(String sql) throws SQLException {
        try (Connection connection = connect(DEFAULT_DATABASE); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** DuckDB's parse of {@code sql}, without binding or running it. */
    ParsedSql parse(String sql) throws SQLException {
        return new ParsedSql(serialize(sql));
    }

    /** The Athena databases: the schemas of {@code AwsDataCatalog} other than DuckDB's own, sorted. */
    List<String> databases() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = root.duplicate(); PreparedStatement statement = connection.prepareStatement(
                "SELECT schema_name FROM duckdb_schemas() WHERE database_name = ? ORDER BY schema_name")) {
            statement.setString(1, CATALOG);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (!HIDDEN_SCHEMAS.contains(rows.getString(1))) {
                        names.add(rows.getString(1));
                    }
                }
            }
        }
        return names;
    }

    boolean databaseExists(String database) throws SQLException {
        return databases().stream().anyMatch(name -> name.equalsIgnoreCase(database));
    }

    /** The names of a database's tables and views, without their columns (cheaper than {@link #tables}). */
    List<String> relationNames(String database) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = root.duplicate(); PreparedStatement statement = connection.prepareStatement(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND lower(schema_name) = lower(?) "
                        + "UNION ALL SELECT view_name FROM duckdb_views() "
                        + "WHERE database_name = ? AND lower(schema_name) = lower(?) AND NOT internal ORDER BY 1")) {
            bindCatalogAndSchema(statement, database);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    /** The tables and views of a database, sorted by name, with their columns. */
    List<TableInfo> tables(String database) throws SQLException {
        Map<String, TableInfo.Builder> tables = new LinkedHashMap<>();
        try (Connection connection = root.duplicate()) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT table_name, FALSE, sql FROM duckdb_tables() WHERE database_name = ? AND lower(schema_name) = lower(?) "
                            + "UNION ALL SELECT view_name, TRUE, sql FROM duckdb_views() "
                            + "WHERE database_name = ? AND lower(schema_name) = lower(?) AND NOT internal ORDER BY 1")) {
                bindCatalogAndSchema(statement, database);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        tables.put(rows.getString(1), new TableInfo.Builder(database, rows.getString(1),
                                rows.getBoolean(2), rows.getString(3)));
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() "
                            + "WHERE database_name = ? AND lower(schema_name) = lower(?) ORDER BY table_name, column_index")) {
                statement.setString(1, CATALOG);
                statement.setString(2, database);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        TableInfo.Builder table = tables.get(rows.getString(1));
                        if (table != null) {
                            table.columns.add(new TableInfo.Column(rows.getString(2),
                                    DuckDbTypes.toAthena(rows.getString(3)), rows.getString(4)));
                        }
                    }
                }
            }
        }
        List<TableInfo> result = new ArrayList<>();
        tables.values().forEach(builder -> result.add(builder.build()));
        return result;
    }

    Optional<TableInfo> table(String database, String name) throws SQLException {
        return tables(database).stream().filter(table -> table.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Rows of a table or view, counted on the given connection. */
    long rowCount(Connection connection, String database, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + CATALOG + "."
                        + StatementParser.quote(database) + "." + StatementParser.quote(table))) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        root.close();
    }

    private JsonNode serialize(String sql) throws SQLException {
        try (Connection connection = root.duplicate();
                PreparedStatement statement = connection.prepareStatement("SELECT json_serialize_sql(?)")) {
            statement.setString(1, sql);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return Json.MAPPER.readTree(rows.getString(1));
            }
        } catch (JsonProcessingException e) {
            throw new SQLException("Unreadable parse tree from DuckDB", e);
        }
    }

    private static void bindCatalogAndSchema(PreparedStatement statement, String database) throws SQLException {
        statement.setString(1, CATALOG);
        statement.setString(2, database);
        statement.setString(3, CATALOG);
        statement.setString(4, database);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A table or view of an Athena database. */
    record TableInfo(String database, String name, boolean view, List<Column> columns, String createSql) {
        record Column(String name, AthenaType type, String comment) {
        }

        static final class Builder {
            final String database;
            final String name;
            final boolean view;
            final String createSql;
            final List<Column> columns = new ArrayList<>();

            Builder(String database, String name, boolean view, String createSql) {
                this.database = database;
                this.name = name;
                this.view = view;
                this.createSql = createSql;
            }

            TableInfo build() {
                return new TableInfo(database, name, view, List.copyOf(columns), createSql);
            }
        }
    }
}
