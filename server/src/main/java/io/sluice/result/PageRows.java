package io.sluice.result;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.engine.Column;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one page from rows of values within a {@link PageBudget}, by the rules of
 * {@link PageBuilder} (which reads the row format): strings longer than {@code maxValueBytes} are
 * cut and listed, rows are added while the page stays within {@code maxPageBytes}, and a first row
 * that alone passes it has its strings cut further (the shortest kept whole, the rest sharing the
 * room left evenly).
 */
final class PageRows {

    private final PageBudget budget;
    private final int columnCount;
    private final List<String> rows = new ArrayList<>();
    private final List<TruncatedCell> truncated = new ArrayList<>();
    private final ByteArrayOutputStream row = new ByteArrayOutputStream(1024);
    private long pageBytes = 2;

    PageRows(PageBudget budget, int columnCount) {
        this.budget = budget;
        this.columnCount = columnCount;
    }

    /**
     * Adds a row if it fits in what is left of the budget.
     *
     * @param values    the row's values (null, Long, Double, Boolean or String); strings may already be cut
     * @param fullBytes per column, the full value's size in UTF-8 bytes when known (-1 when not)
     * @return false when it does not fit: the page is complete without it
     */
    boolean add(Object[] values, long[] fullBytes) {
        int index = rows.size();
        long room = budget.maxPageBytes() - pageBytes - (index == 0 ? 0 : 1);
        Object[] shown = values.clone();
        List<TruncatedCell> cuts = new ArrayList<>();
        for (int i = 0; i < columnCount; i++) {
            if (shown[i] instanceof String s) {
                long full = fullBytes[i] >= 0 ? fullBytes[i] : utf8Length(s);
                String cut = full > budget.maxValueBytes() ? cut(s, budget.maxValueBytes()) : s;
                if (full > budget.maxValueBytes()) {
                    cuts.add(new TruncatedCell(index, i, full));
                }
                shown[i] = cut;
            }
        }
        byte[] json = json(shown);
        if (json.length > room) {
            if (index > 0) {
                return false;
            }
            shrink(shown, room, fullBytes, values, cuts);
            json = json(shown);
        }
        truncated.addAll(cuts);
        rows.add(new String(json, StandardCharsets.UTF_8));
        pageBytes += json.length + (index == 0 ? 0 : 1);
        return true;
    }

    ResultPage build(List<Column> columns, long offset, long totalRows) {
        return new ResultPage(columns, rows, offset, totalRows, truncated);
    }

    /** Cuts the first row's strings so that the row fits {@code room} (numbers are never cut). */
    private void shrink(Object[] shown, long room, long[] fullBytes, Object[] values, List<TruncatedCell> cuts) {
        long[] lengths = new long[columnCount];
        List<Integer> strings = new ArrayList<>();
        long fixed = 2 + Math.max(0, columnCount - 1);
        for (int i = 0; i < columnCount; i++) {
            if (shown[i] instanceof String s) {
                lengths[i] = json(new Object[]{s}).length - 4; // without the brackets and quotes
                fixed += 2;
                strings.add(i);
            } else {
                fixed += json(new Object[]{shown[i]}).length - 2;
            }
        }
        long[] allowances = PageBuilder.share(lengths, strings, Math.max(0, room - fixed));
        cuts.clear();
        for (int i : strings) {
            String s = (String) shown[i];
            String cut = allowances[i] < lengths[i] ? cutJson(s, allowances[i]) : s;
            long full = fullBytes[i] >= 0 ? fullBytes[i] : utf8Length((String) values[i]);
            if (cut.length() < ((String) values[i]).length() || full > utf8Length(cut)) {
                cuts.add(new TruncatedCell(0, i, full));
            }
            shown[i] = cut;
        }
    }

    private byte[] json(Object[] values) {
        row.reset();
        try (JsonGenerator g = ResultFiles.ROW_JSON.createGenerator(row)) {
            g.writeStartArray();
            for (Object v : values) {
                StoredValues.writeJson(g, v);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return row.toByteArray();
    }

    /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes, never splitting a character. */
    static String cut(String s, long maxBytes) {
        long bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = Utf8.length(cp);
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    /** The longest prefix of {@code s} whose JSON string text (without quotes) takes at most {@code maxBytes}. */
    private static String cutJson(String s, long maxBytes) {
        long bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = cp == '"' || cp == '\\' || cp == '\b' || cp == '\f' || cp == '\n' || cp == '\r' || cp == '\t' ? 2
                    : cp < 0x20 ? 6 : Utf8.length(cp);
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            n += Utf8.length(cp);
            i += Character.charCount(cp);
        }
        return n;
    }
}
