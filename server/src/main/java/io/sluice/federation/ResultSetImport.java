package io.sluice.federation;

import io.sluice.datasource.DatasourceType;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Copies a source database's result set into a new DuckDB table, with the types and exact value
 * copies of the federation import ({@link SourceTypes}, {@link ImportColumn}), in batches of
 * {@code batchRows} with a look at the cancel switch after each.
 */
public final class ResultSetImport {

    /** The cancel switch was found set between two batches. */
    public static final class Cancelled extends Exception {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private ResultSetImport() {
    }

    /**
     * Creates the table {@code main.<table>} in {@code duck}'s database with {@code rows}' columns and
     * appends every row.
     *
     * @return the number of rows copied
     */
    public static long load(ResultSet rows, DatasourceType type, Connection duck, String table, int batchRows,
                            BooleanSupplier cancelled) throws SQLException, Cancelled {
        ResultSetMetaData md = rows.getMetaData();
        List<ImportColumn> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(SourceTypes.column(type, md, i));
        }
        try (var s = duck.createStatement()) {
            s.execute("CREATE TABLE main." + SqlQuoting.duckIdentifier(table) + " (" + columns.stream()
                    .map(c -> SqlQuoting.duckIdentifier(c.name()) + " " + c.duckType())
                    .collect(Collectors.joining(", ")) + ")");
        }
        long count = 0;
        try (DuckDBAppender appender = duck.unwrap(DuckDBConnection.class).createAppender("main", table)) {
            while (rows.next()) {
                appender.beginRow();
                for (int i = 0; i < columns.size(); i++) {
                    columns.get(i).copy(rows, i + 1, appender);
                }
                appender.endRow();
                if (++count % batchRows == 0) {
                    appender.flush();
                    if (cancelled.getAsBoolean()) {
                        throw new Cancelled();
                    }
                }
            }
            appender.flush();
        }
        return count;
    }
}
