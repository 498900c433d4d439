package io.sluice.standin;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.duckdb.DuckDBConnection;

/**
 * The embedded DuckDB that runs the stand-in's queries. Athena's catalog {@code AwsDataCatalog} is
 * an attached in-memory DuckDB database named {@code awsdatacatalog}; Athena databases are its
 * schemas ({@code default} always exists, DuckDB's own {@code main} is hidden).
 *
 * <p>A query runs on a connection of its own whose current database is the query's. Connections
 * are pooled by database, and catalog lookups reuse prepared statements, because opening a
 * connection and preparing a statement cost more than the small queries tests run.
 */
final class DuckDbEngine implements AutoCloseable {
    static final String CATALOG = "awsdatacatalog";
    static final String DEFAULT_DATABASE = "default";
    private static final Set<String> HIDDEN_SCHEMAS = Set.of("main", "information_schema", "pg_catalog");
    private static final String SCHEMAS = "SELECT schema_name FROM duckdb_schemas() WHERE database_name = ? "
            + "ORDER BY schema_name";
    private static final String RELATIONS = "SELECT table_name, FALSE, sql FROM duckdb_tables() "
            + "WHERE database_name = ? AND lower(schema_name) = lower(?) "
            + "UNION ALL SELECT view_name, TRUE, sql FROM duckdb_views() "
            + "WHERE database_name = ? AND lower(schema_name) = lower(?) AND NOT internal ORDER BY 1";
    private static final String COLUMNS = "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() "
            + "WHERE database_name = ? AND lower(schema_name) = lower(?) ORDER BY table_name, column_index";
    private static final String SERIALIZE = "SELECT json_serialize_sql(?)";

    private final DuckDBConnection root;
    private final Map<String, Queue<Connection>> idleByDatabase = new ConcurrentHashMap<>();
    private final Queue<CatalogConnection> idleCatalogConnections = new ConcurrentLinkedQueue<>();
    private final Set<AutoCloseable> opened = ConcurrentHashMap.newKeySet();
    /** Partition keys by {@code database.table} (lower case), as CREATE TABLE ... PARTITIONED BY named them. */
    private final Map<String, List<String>> partitionKeys = new ConcurrentHashMap<>();

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

    /**
     * A connection whose current database is {@code database}; give it back with
     * {@link #release}. Fails when the database does not exist.
     */
    Connection connect(String database) throws SQLException {
        Queue<Connection> idle = idleByDatabase.get(key(database));
        Connection pooled = idle == null ? null : idle.poll();
        if (pooled != null) {
            return pooled;
        }
        Connection connection = root.duplicate();
        try (Statement statement = connection.createStatement()) {
            statement.execute("USE " + CATALOG + "." + StatementParser.quote(database));
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        opened.add(connection);
        return connection;
    }

    /**
     * Returns a connection from {@link #connect}. One whose query was interrupted is closed rather
     * than reused, so that no pending interrupt can reach the next query.
     */
    void release(String database, Connection connection, boolean reusable) {
        if (reusable) {
            idleByDatabase.computeIfAbsent(key(database), name -> new ConcurrentLinkedQueue<>()).offer(connection);
            return;
        }
        opened.remove(connection);
        try {
            connection.close();
        } catch (SQLException e) {
            // Already unusable; nothing more to do.
        }
    }

    /** Runs setup SQL (several statements allowed) in the {@code default} database. */
    void execute(String sql) throws SQLException {
        Connection connection = connect(DEFAULT_DATABASE);
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } finally {
            // Not pooled: setup SQL may change the connection's current database.
            release(DEFAULT_DATABASE, connection, false);
        }
    }

    /** DuckDB's parse of {@code sql}, without binding or running it. */
    ParsedSql parse(String sql) throws SQLException {
        return withCatalogStatement(SERIALIZE, statement -> {
            statement.setString(1, sql);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new ParsedSql(Json.MAPPER.readTree(rows.getString(1)));
            } catch (JsonProcessingException e) {
                throw new SQLException("Unreadable parse tree from DuckDB", e);
            }
        });
    }

    /** The Athena databases: the schemas of {@code AwsDataCatalog} other than DuckDB's own, sorted. */
    List<String> databases() throws SQLException {
        return withCatalogStatement(SCHEMAS, statement -> {
            statement.setString(1, CATALOG);
            List<String> names = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (!HIDDEN_SCHEMAS.contains(rows.getString(1))) {
                        names.add(rows.getString(1));
                    }
                }
            }
            return names;
        });
    }

    boolean databaseExists(String database) throws SQLException {
        return databases().stream().anyMatch(name -> name.equalsIgnoreCase(database));
    }

    /**
     * Records which columns of a table Athena lists as partition keys (none: an empty list). A
     * table created again under the same name replaces what was recorded.
     */
    void partitionKeys(String database, String table, List<String> keys) {
        partitionKeys.put(key(database) + "." + table.toLowerCase(Locale.ROOT), List.copyOf(keys));
    }

    /** The names of a database's tables and views, without their columns (cheaper than {@link #tables}). */
    List<String> relationNames(String database) throws SQLException {
        return withCatalogStatement(RELATIONS, statement -> {
            bindCatalogAndSchema(statement, database);
            List<String> names = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        });
    }

    /** The tables and views of a database, sorted by name, with their columns. */
    List<TableInfo> tables(String database) throws SQLException {
        Map<String, TableInfo.Builder> tables = new LinkedHashMap<>();
        withCatalogStatement(RELATIONS, statement -> {
            bindCatalogAndSchema(statement, database);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    tables.put(name, new TableInfo.Builder(database, name, rows.getBoolean(2), rows.getString(3),
                            partitionKeys.getOrDefault(key(database) + "." + name.toLowerCase(Locale.ROOT),
                                    List.of())));
                }
            }
            return null;
        });
        withCatalogStatement(COLUMNS, statement -> {
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
            return null;
        });
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
        for (AutoCloseable resource : opened) {
            try {
                resource.close();
            } catch (Exception e) {
                // Closing everything anyway.
            }
        }
        root.close();
    }

    /** Runs work on a pooled catalog connection's prepared statement for {@code sql}. */
    private <T> T withCatalogStatement(String sql, CatalogWork<T> work) throws SQLException {
        CatalogConnection connection = idleCatalogConnections.poll();
        if (connection == null) {
            connection = new CatalogConnection(root.duplicate());
            opened.add(connection);
        }
        try {
            return work.apply(connection.prepared(sql));
        } finally {
            idleCatalogConnections.offer(connection);
        }
    }

    @FunctionalInterface
    private interface CatalogWork<T> {
        T apply(PreparedStatement statement) throws SQLException;
    }

    /** A connection for catalog lookups with its prepared statements, used by one thread at a time. */
    private static final class CatalogConnection implements AutoCloseable {
        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        CatalogConnection(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement prepared(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return statement;
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    private static void bindCatalogAndSchema(PreparedStatement statement, String database) throws SQLException {
        statement.setString(1, CATALOG);
        statement.setString(2, database);
        statement.setString(3, CATALOG);
        statement.setString(4, database);
    }

    private static String key(String database) {
        return database.toLowerCase(Locale.ROOT);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A table or view of an Athena database. */
    record TableInfo(String database, String name, boolean view, List<Column> columns, String createSql,
            List<String> partitionKeys) {
        record Column(String name, AthenaType type, String comment) {
        }

        /** Whether Athena lists the column under PartitionKeys rather than Columns. */
        boolean isPartitionKey(Column column) {
            return partitionKeys.stream().anyMatch(key -> key.equalsIgnoreCase(column.name()));
        }

        static final class Builder {
            final String database;
            final String name;
            final boolean view;
            final String createSql;
            final List<String> partitionKeys;
            final List<Column> columns = new ArrayList<>();

            Builder(String database, String name, boolean view, String createSql, List<String> partitionKeys) {
                this.database = database;
                this.name = name;
                this.view = view;
                this.createSql = createSql;
                this.partitionKeys = partitionKeys;
            }

            TableInfo build() {
                return new TableInfo(database, name, view, List.copyOf(columns), createSql, partitionKeys);
            }
        }
    }
}
