package io.sluice.engine.duckdb;

import io.sluice.engine.Column;
import io.sluice.engine.RowSink;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Streams a DuckDB result set into a {@link RowSink} with the engine's own column names, Athena-style
 * type names and value rendering, for callers that run DuckDB outside the engine (plans).
 */
public final class DuckDbRows {

    private static final int CANCEL_CHECK_ROWS = 10_000;

    private DuckDbRows() {
    }

    /**
     * Copies every row of {@code rows} into {@code sink} until the rows end or the sink is full.
     *
     * @return false when {@code cancelled} said stop before the end
     */
    public static boolean copy(ResultSet rows, RowSink sink, BooleanSupplier cancelled) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        int count = meta.getColumnCount();
        DuckDbValues.Reader[] readers = new DuckDbValues.Reader[count];
        List<Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String type = meta.getColumnTypeName(i + 1);
            readers[i] = DuckDbValues.reader(type);
            columns.add(new Column(meta.getColumnLabel(i + 1), DuckDbValues.athenaTypeName(type)));
        }
        sink.columns(columns);
        Object[] values = new Object[count];
        long n = 0;
        while (rows.next()) {
            for (int i = 0; i < count; i++) {
                values[i] = readers[i].read(rows, i + 1);
            }
            if (!sink.row(values)) {
                return true;
            }
            if (++n % CANCEL_CHECK_ROWS == 0 && cancelled.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }
}
