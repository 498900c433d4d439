package io.sluice.federation;

import io.sluice.datasource.DatasourceType;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A source table found by the name the SQL used, with its columns. The name is tried as written
 * first; when the source does not know it, its catalog is searched case-insensitively (DuckDB
 * resolves names that way, PostgreSQL folds unquoted names to lower case); when that finds exactly
 * one table it is used, else the source's own message for the name as written is the failure.
 */
record SourceTable(DatasourceType type, String schema, String table, List<ImportColumn> columns) {

    SourceTable {
        columns = List.copyOf(columns);
    }

    /** {@code schema.table} quoted for the source. */
    String quotedName() {
        return SqlQuoting.sourceIdentifier(type, schema) + "." + SqlQuoting.sourceIdentifier(type, table);
    }

    /** The table {@code schema.table} of {@code source}; SQLException with the source's message when missing. */
    static SourceTable find(Connection source, DatasourceType type, String schema, String table) throws SQLException {
        try {
            return probe(source, type, schema, table);
        } catch (SQLException asWritten) {
            rollbackIfNeeded(source);
            List<String[]> matches = new ArrayList<>();
            DatabaseMetaData md = source.getMetaData();
            boolean catalogs = type == DatasourceType.MYSQL; // MySQL's schemas are its catalogs
            try (ResultSet rs = md.getTables(null, null, null, null)) {
                while (rs.next()) {
                    String s = catalogs ? rs.getString("TABLE_CAT") : rs.getString("TABLE_SCHEM");
                    String t = rs.getString("TABLE_NAME");
                    boolean schemaMatches = type == DatasourceType.SQLITE || s != null && s.equalsIgnoreCase(schema);
                    if (schemaMatches && t != null && t.equalsIgnoreCase(table)) {
                        matches.add(new String[]{type == DatasourceType.SQLITE ? schema : s, t});
                    }
                }
            } catch (SQLException ignored) {
                throw asWritten;
            }
            if (matches.size() != 1 || matches.get(0)[0].equals(schema) && matches.get(0)[1].equals(table)) {
                throw asWritten;
            }
            return probe(source, type, matches.get(0)[0], matches.get(0)[1]);
        }
    }

    private static SourceTable probe(Connection source, DatasourceType type, String schema, String table)
            throws SQLException {
        String name = SqlQuoting.sourceIdentifier(type, schema) + "." + SqlQuoting.sourceIdentifier(type, table);
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + name + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            List<ImportColumn> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(SourceTypes.column(type, md, i));
            }
            return new SourceTable(type, schema, table, columns);
        }
    }

    private static void rollbackIfNeeded(Connection source) {
        try {
            if (!source.getAutoCommit()) {
                source.rollback(); // PostgreSQL refuses everything after a failed statement until then
            }
        } catch (SQLException ignored) {
            // the next statement reports what is wrong
        }
    }
}
