package io.sluice.result;

import io.sluice.engine.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chart's numbers from a stored result: rows grouped by some columns, with counts, sums,
 * averages, minimums and maximums, over the rows a {@link ResultView}'s filters keep. Groups come
 * ordered by their keys (NULL last).
 *
 * <pre>
 * groupBy  = column *("," column)                       (may be empty: one row for the whole result)
 * measures = measure *("," measure)                     (default: count)
 * measure  = "count" | fn ":" column                    fn = count | sum | avg | min | max
 * </pre>
 * {@code sum} and {@code avg} need a numeric column; {@code count:column} counts its non-NULL values.
 */
public record Aggregation(List<Integer> groupBy, List<Measure> measures, List<ResultView.Filter> filters, int maxGroups) {

    public static final int MAX_GROUPS = 10_000;

    public Aggregation {
        groupBy = List.copyOf(groupBy);
        measures = List.copyOf(measures);
        filters = List.copyOf(filters);
    }

    public enum Fn { COUNT, SUM, AVG, MIN, MAX }

    /** One measure; {@code column} is null for {@code count} of rows. */
    public record Measure(Fn fn, Integer column) {
        /** The measure's column name in the answer, e.g. {@code count} or {@code sum(amount)}. */
        String label(List<Column> columns) {
            String fn = fn().name().toLowerCase(Locale.ROOT);
            return column == null ? fn : fn + "(" + columns.get(column).name() + ")";
        }
    }

    /** The answer: group columns then measures, and the groups' values as pages show them. */
    public record Result(List<Column> columns, List<List<Object>> rows, boolean truncated) {
    }

    /**
     * Parses the texts against the result's columns.
     *
     * @throws ResultView.InvalidView naming the parameter and the reason
     */
    public static Aggregation parse(String groupByText, String measuresText, List<String> filterTexts,
                                    Integer maxGroups, List<Column> columns) {
        List<Integer> groupBy = new ArrayList<>();
        if (groupByText != null && !groupByText.isBlank()) {
            for (String name : groupByText.split(",", -1)) {
                groupBy.add(ResultView.column("groupBy", name, columns));
            }
        }
        List<Measure> measures = new ArrayList<>();
        String text = measuresText == null || measuresText.isBlank() ? "count" : measuresText;
        for (String m : text.split(",", -1)) {
            int colon = m.indexOf(':');
            String fnText = colon < 0 ? m : m.substring(0, colon);
            Fn fn;
            try {
                fn = Fn.valueOf(fnText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ResultView.InvalidView("measures", "unknown function \"" + fnText
                        + "\"; use count, sum, avg, min or max");
            }
            if (colon < 0 && fn != Fn.COUNT) {
                throw new ResultView.InvalidView("measures", fnText + " needs a column: " + fnText + ":column");
            }
            measures.add(new Measure(fn, colon < 0 ? null : ResultView.column("measures", m.substring(colon + 1), columns)));
        }
        if (groupBy.size() > ResultView.MAX_TERMS || measures.size() > ResultView.MAX_TERMS) {
            throw new ResultView.InvalidView(groupBy.size() > ResultView.MAX_TERMS ? "groupBy" : "measures",
                    "at most " + ResultView.MAX_TERMS + " terms");
        }
        int groups = maxGroups == null ? MAX_GROUPS : maxGroups;
        if (groups < 1 || groups > MAX_GROUPS) {
            throw new ResultView.InvalidView("limit", "must be 1.." + MAX_GROUPS);
        }
        List<ResultView.Filter> filters = ResultView.parse(null, filterTexts, columns).filters();
        return new Aggregation(groupBy, measures, filters, groups);
    }
}
