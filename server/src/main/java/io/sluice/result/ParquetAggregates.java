package io.sluice.result;

import io.sluice.engine.Column;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chart's numbers ({@link Aggregation}) over a Parquet result: one DuckDB query over the parts,
 * grouped and ordered by the group keys, its filters bound as parameters, and its group keys cut
 * to the page budget's value size as a page would show them.
 */
final class ParquetAggregates {

    private final ParquetResult result;
    private final ParquetFilters filters;

    ParquetAggregates(ParquetResult result, ParquetFilters filters) {
        this.result = result;
        this.filters = filters;
    }

    /** See {@link ResultReader#aggregate(Aggregation)}. */
    Aggregation.Result aggregate(Aggregation a) throws IOException {
        result.requireData();
        filters.checkValues(a.filters());
        List<Object> params = new ArrayList<>();
        String filter = filters.filterSql(a.filters(), params);
        List<Column> resultColumns = result.file().columns();
        List<String> select = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (int g : a.groupBy()) {
            select.add(result.quoted(g));
            columns.add(resultColumns.get(g));
        }
        for (Aggregation.Measure m : a.measures()) {
            if (m.column() != null && (m.fn() == Aggregation.Fn.SUM || m.fn() == Aggregation.Fn.AVG)
                    && !ParquetFilters.numeric(result.valueType(m.column()))) {
                throw new ResultView.InvalidView("measures", m.fn().name().toLowerCase(Locale.ROOT)
                        + " needs a numeric column; " + resultColumns.get(m.column()).name() + " is "
                        + resultColumns.get(m.column()).type());
            }
            select.add(measure(m));
            columns.add(new Column(m.label(resultColumns), m.fn() == Aggregation.Fn.COUNT ? "bigint"
                    : m.fn() == Aggregation.Fn.AVG ? "double" : resultColumns.get(m.column()).type()));
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", select))
                .append(" FROM ").append(result.layout().source(false)).append(filter);
        if (!a.groupBy().isEmpty()) {
            sql.append(" GROUP BY ");
            for (int i = 1; i <= a.groupBy().size(); i++) {
                sql.append(i > 1 ? ", " : "").append(i);
            }
            sql.append(" ORDER BY ");
            for (int i = 0; i < a.groupBy().size(); i++) {
                int g = a.groupBy().get(i);
                sql.append(i > 0 ? ", " : "").append(result.typedText(g) ? result.valueExpr(g) : String.valueOf(i + 1))
                        .append(" ASC NULLS LAST");
            }
        }
        sql.append(" LIMIT ").append(a.maxGroups() + 1);
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = result.duck().readConnection(); PreparedStatement s = ParquetResult.prepare(c, sql.toString(), params);
             ResultSet rs = s.executeQuery()) {
            while (rows.size() < a.maxGroups() && rs.next()) {
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 0; i < columns.size(); i++) {
                    Object v = i < a.groupBy().size() ? shown(result.value(rs, i + 1, a.groupBy().get(i)))
                            : StoredValues.measure(rs, i + 1);
                    row.add(v);
                }
                rows.add(row);
            }
            boolean truncated = rows.size() == a.maxGroups() && rs.next();
            return new Aggregation.Result(columns, rows, truncated);
        } catch (SQLException e) {
            throw result.failure(e);
        }
    }

    /**
     * A measure as SQL. Over text that sorts as another type ({@link ParquetResult#typedText}), a sum
     * or an average adds up the values, and the least or greatest is the value's own text.
     */
    private String measure(Aggregation.Measure m) {
        String fn = m.fn().name().toLowerCase(Locale.ROOT);
        if (m.column() == null) {
            return fn + "(*)";
        }
        int c = m.column();
        if (!result.typedText(c) || m.fn() == Aggregation.Fn.COUNT) {
            return fn + "(" + result.quoted(c) + ")";
        }
        return switch (m.fn()) {
            case MIN -> "arg_min(" + result.quoted(c) + ", " + result.valueExpr(c) + ")";
            case MAX -> "arg_max(" + result.quoted(c) + ", " + result.valueExpr(c) + ")";
            default -> fn + "(" + result.valueExpr(c) + ")";
        };
    }

    /** A group key cut to the value budget, as a page would show it. */
    private Object shown(Object v) {
        int maxValueBytes = result.budget().maxValueBytes();
        if (v instanceof String s && s.length() > maxValueBytes / 4) {
            return PageRows.cut(s, maxValueBytes);
        }
        return StoredValues.nonFinite(v);
    }
}
