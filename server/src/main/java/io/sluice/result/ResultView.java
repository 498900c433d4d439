package io.sluice.result;

import io.sluice.engine.Column;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * A way of looking at a stored result: its rows filtered and sorted, computed by the result
 * store over the stored file without running the query again. The plain view (no filter, no sort)
 * is the result as stored.
 *
 * <h2>Grammar</h2>
 * <pre>
 * sort   = key *("," key)            key    = column [":" ("asc" | "desc")]
 * filter = op ":" column [":" value]  (the request may repeat it; all must hold)
 * op     = eq | ne | lt | le | gt | ge | contains | startswith | null | notnull
 * column = a column's name as the result shows it, or "#" and its index (0 = first)
 * </pre>
 * A sort key's direction follows its last colon; a filter's value is everything after its second
 * colon, so it may hold colons and commas. {@code null} and {@code notnull} take no value; the others
 * need one. Values are never written into SQL: they are bound as parameters and converted to the
 * column's type ({@code gt:amount:100} compares numbers, {@code gt:day:2024-01-01} dates), and
 * {@code contains} and {@code startswith} compare the value's text. Rows equal under the sort keep
 * the result's own order, so every page of a view has a stable place.
 */
public record ResultView(List<SortKey> sort, List<Filter> filters) {

    public static final ResultView PLAIN = new ResultView(List.of(), List.of());

    /** How many sort keys and filters a view may have. */
    public static final int MAX_TERMS = 16;

    public ResultView {
        sort = List.copyOf(sort);
        filters = List.copyOf(filters);
    }

    public boolean plain() {
        return sort.isEmpty() && filters.isEmpty();
    }

    /** A short fingerprint of the view, which paging cursors carry so that a cursor serves only its own view. */
    public String fingerprint() {
        CRC32 crc = new CRC32();
        crc.update(toString().getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    public record SortKey(int column, boolean descending) {
    }

    public enum Op {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">="), CONTAINS(null), STARTSWITH(null), NULL(null), NOTNULL(null);

        final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        boolean takesValue() {
            return this != NULL && this != NOTNULL;
        }
    }

    public record Filter(Op op, int column, String value) {
    }

    /** Why a sort or filter text was refused: which parameter and what was wrong, for the error's details. */
    public static final class InvalidView extends IllegalArgumentException {
        private final String parameter;

        public InvalidView(String parameter, String reason) {
            super(reason);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    /**
     * Parses the {@code sort} text (null for none) and the {@code filter} texts against the result's
     * columns.
     *
     * @throws InvalidView naming the parameter and the reason
     */
    public static ResultView parse(String sortText, List<String> filterTexts, List<Column> columns) {
        List<SortKey> sort = new ArrayList<>();
        if (sortText != null && !sortText.isBlank()) {
            for (String key : sortText.split(",", -1)) {
                int colon = key.lastIndexOf(':');
                String name = key;
                boolean descending = false;
                if (colon >= 0) {
                    String direction = key.substring(colon + 1).toLowerCase(Locale.ROOT);
                    if (direction.equals("asc") || direction.equals("desc")) {
                        name = key.substring(0, colon);
                        descending = direction.equals("desc");
                    }
                }
                sort.add(new SortKey(column("sort", name, columns), descending));
            }
        }
        List<Filter> filters = new ArrayList<>();
        for (String text : filterTexts == null ? List.<String>of() : filterTexts) {
            int first = text.indexOf(':');
            if (first < 0) {
                throw new InvalidView("filter", "expected op:column[:value], got \"" + shorten(text) + "\"");
            }
            Op op = op(text.substring(0, first));
            int second = text.indexOf(':', first + 1);
            String name = second < 0 ? text.substring(first + 1) : text.substring(first + 1, second);
            String value = second < 0 ? null : text.substring(second + 1);
            if (op.takesValue() && value == null) {
                throw new InvalidView("filter", op.name().toLowerCase(Locale.ROOT) + " needs a value: op:column:value");
            }
            if (!op.takesValue() && value != null) {
                throw new InvalidView("filter", op.name().toLowerCase(Locale.ROOT) + " takes no value");
            }
            filters.add(new Filter(op, column("filter", name, columns), value));
        }
        if (sort.size() > MAX_TERMS || filters.size() > MAX_TERMS) {
            throw new InvalidView(sort.size() > MAX_TERMS ? "sort" : "filter", "at most " + MAX_TERMS + " terms");
        }
        return new ResultView(sort, filters);
    }

    private static Op op(String text) {
        try {
            return Op.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidView("filter", "unknown operator \"" + shorten(text)
                    + "\"; use eq, ne, lt, le, gt, ge, contains, startswith, null or notnull");
        }
    }

    /** The index of the column named {@code name} (its first, when two share it), or {@code #i}. */
    static int column(String parameter, String name, List<Column> columns) {
        if (name.startsWith("#") && name.length() > 1 && name.length() < 10 && name.substring(1).chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(name.substring(1));
            if (index < columns.size()) {
                return index;
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new InvalidView(parameter, "no column \"" + shorten(name) + "\" in the result");
    }

    /** {@code text} cut to 64 characters, for quoting user input in a message. */
    static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
