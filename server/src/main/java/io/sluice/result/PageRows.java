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
    /** The page's rows as JSON, one after another; {@link #rows} are cut from it as each is accepted. */
    private final Output out = new Output();
    /** One generator for the whole page (a generator per row was most of a page's time in Java). */
    private JsonGenerator json;
    private long pageBytes = 2;

    PageRows(PageBudget budget, int columnCount) {
        this.budget = budget;
        this.columnCount = columnCount;
    }

    /**
     * Adds a row if it fits in what is left of the budget.
     *
     * @param values    the row's values (null, Long, Double, Boolean or String); strings may already be cut;
     *                  not kept, so the caller may reuse the array
     * @param fullBytes per column, the full value's size in UTF-8 bytes when known (-1 when not)
     * @return false when it does not fit: the page is complete without it
     */
    boolean add(Object[] values, long[] fullBytes) {
        int index = rows.size();
        long room = budget.maxPageBytes() - pageBytes - (index == 0 ? 0 : 1);
        Object[] shown = values;
        List<TruncatedCell> cuts = List.of();
        for (int i = 0; i < columnCount; i++) {
            // a string of n chars takes at most 3n bytes: only one that may be too long is measured
            if (values[i] instanceof String s && (fullBytes[i] >= 0 || s.length() * 3L > budget.maxValueBytes())) {
                long full = fullBytes[i] >= 0 ? fullBytes[i] : utf8Length(s);
                if (full > budget.maxValueBytes()) {
                    if (shown == values) {
                        shown = values.clone();
                        cuts = new ArrayList<>();
                    }
                    shown[i] = cut(s, budget.maxValueBytes());
                    cuts.add(new TruncatedCell(index, i, full));
                }
            }
        }
        int start = out.size();
        int length = write(shown);
        if (length > room) {
            out.truncate(start);
            if (index > 0) {
                return false;
            }
            shown = shown == values ? values.clone() : shown;
            cuts = new ArrayList<>(); // shrink lists the row's cuts anew
            shrink(shown, room, fullBytes, values, cuts);
            length = write(shown);
        }
        truncated.addAll(cuts);
        rows.add(new String(out.bytes(), start, length, StandardCharsets.UTF_8));
        pageBytes += length + (index == 0 ? 0 : 1);
        return true;
    }

    /** Writes a row after the rows so far: its length in bytes. */
    private int write(Object[] values) {
        int start = out.size();
        try {
            if (json == null) {
                json = ResultFiles.ROW_JSON.createGenerator(out);
                json.setRootValueSeparator(null); // rows are cut from the buffer, never joined by the generator
            }
            json.writeStartArray();
            for (Object v : values) {
                StoredValues.writeJson(json, v);
            }
            json.writeEndArray();
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.size() - start;
    }

    ResultPage build(List<Column> columns, long offset, long totalRows) {
        if (json != null) {
            try {
                json.close(); // gives its buffers back
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
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

    /** One value list as JSON on its own, for measuring (the first row's rare shrinking only). */
    private static byte[] json(Object[] values) {
        ByteArrayOutputStream row = new ByteArrayOutputStream(256);
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

    /** A byte buffer that can drop what was written after a point (a row that did not fit). */
    private static final class Output extends ByteArrayOutputStream {
        Output() {
            super(16 * 1024);
        }

        void truncate(int size) {
            count = size;
        }

        byte[] bytes() {
            return buf;
        }
    }
}
