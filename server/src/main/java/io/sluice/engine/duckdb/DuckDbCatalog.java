package io.sluice.engine.duckdb;

import io.sluice.engine.CatalogBrowser;
import io.sluice.engine.EngineException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DuckDB's catalog through its {@code duckdb_*()} table functions: catalogs are attached
 * databases, databases are schemas. Names are bound as parameters, never spliced into SQL.
 * Answers and error messages pass through the engine's {@link PathMask}.
 */
final class DuckDbCatalog implements CatalogBrowser {

    /** Opens a fresh connection for one browse call. */
    interface Connections {
        Connection open() throws SQLException;
    }

    private final Connections connections;
    private final PathMask paths;

    DuckDbCatalog(Connections connections, PathMask paths) {
        this.connections = connections;
        this.paths = paths;
    }

    @Override
    public List<String> catalogs() throws EngineException {
        return strings("SELECT database_name FROM duckdb_databases() WHERE NOT internal AND database_name <> 'temp' "
                + "ORDER BY database_name");
    }

    @Override
    public List<String> databases(String catalog) throws EngineException {
        requireCatalog(catalog);
        return strings("SELECT schema_name FROM duckdb_schemas() WHERE database_name = ? "
                + "AND schema_name NOT IN ('information_schema', 'pg_catalog') ORDER BY schema_name", catalog);
    }

    @Override
    public List<TableInfo> tables(String catalog, String database) throws EngineException {
        requireDatabase(catalog, database);
        List<TableInfo> tables = new ArrayList<>();
        for (String[] row : rows("""
                SELECT table_name, 'BASE_TABLE' FROM duckdb_tables()
                 WHERE database_name = ? AND schema_name = ? AND NOT internal
                UNION ALL
                SELECT view_name, 'VIEW' FROM duckdb_views()
                 WHERE database_name = ? AND schema_name = ? AND NOT internal
                ORDER BY 1""", 2, catalog, database, catalog, database)) {
            tables.add(new TableInfo(row[0], row[1], columns(catalog, database, row[0])));
        }
        return tables;
    }

    @Override
    public TableInfo table(String catalog, String database, String table) throws EngineException {
        requireDatabase(catalog, database);
        List<String[]> found = rows("""
                SELECT table_name, 'BASE_TABLE' FROM duckdb_tables()
                 WHERE database_name = ? AND schema_name = ? AND table_name = ?
                UNION ALL
                SELECT view_name, 'VIEW' FROM duckdb_views()
                 WHERE database_name = ? AND schema_name = ? AND view_name = ?""", 2,
                catalog, database, table, catalog, database, table);
        if (found.isEmpty()) {
            throw new EngineException("TABLE_NOT_FOUND", EngineException.Kind.USER, "table " + table + " not found",
                    Map.of("catalog", catalog, "database", database, "table", table), null);
        }
        return new TableInfo(found.get(0)[0], found.get(0)[1], columns(catalog, database, table));
    }

    private List<ColumnInfo> columns(String catalog, String database, String table) throws EngineException {
        List<ColumnInfo> columns = new ArrayList<>();
        for (String[] row : rows("""
                SELECT column_name, data_type, comment FROM duckdb_columns()
                 WHERE database_name = ? AND schema_name = ? AND table_name = ?
                 ORDER BY column_index""", 3, catalog, database, table)) {
            columns.add(new ColumnInfo(row[0], DuckDbValues.athenaTypeName(row[1]), false, row[2]));
        }
        return columns;
    }

    private void requireCatalog(String catalog) throws EngineException {
        if (!catalogs().contains(catalog)) {
            throw new EngineException("CATALOG_NOT_FOUND", EngineException.Kind.USER, "catalog " + catalog + " not found",
                    Map.of("catalog", catalog), null);
        }
    }

    private void requireDatabase(String catalog, String database) throws EngineException {
        if (!databases(catalog).contains(database)) {
            throw new EngineException("DATABASE_NOT_FOUND", EngineException.Kind.USER,
                    "database " + database + " not found", Map.of("catalog", catalog, "database", database), null);
        }
    }

    private List<String> strings(String sql, String... args) throws EngineException {
        return rows(sql, 1, args).stream().map(r -> r[0]).toList();
    }

    private List<String[]> rows(String sql, int width, String... args) throws EngineException {
        try (Connection c = connections.open(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            List<String[]> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String[] row = new String[width];
                    for (int i = 0; i < width; i++) {
                        row[i] = paths.apply(rs.getString(i + 1));
                    }
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new EngineException("ENGINE_UNAVAILABLE", EngineException.Kind.INTERNAL,
                    "catalog lookup failed: " + paths.apply(e.getMessage()), Map.of(), e);
        }
    }
}
