package io.sluice.result;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * Reads one published result, in whatever store holds its files. Holds only the summary it was
 * opened with; every call opens what it needs through its {@link Files} and closes it before
 * returning.
 *
 * <p>Every call checks that the row index it reads carries the generation of the summary. A
 * store replaces or deletes a result only as a whole and a generation never comes back, so a
 * replaced or deleted result ends in {@link NoSuchFileException}, never in rows of another result.
 */
final class ResultFileReader implements ResultReader {

    /** What one read of row data fetches: a page reads at most this beyond its rows and the stride before them. */
    static final int PAGE_BUFFER_BYTES = 32 * 1024;
    /** Output buffer of a streamed value. */
    private static final int VALUE_BUFFER_BYTES = 8 * 1024;

    /** How a reader reaches the files of its result: opened once per call. */
    @FunctionalInterface
    interface Files {
        /**
         * The row data and the row index for one call.
         *
         * @throws NoSuchFileException if the result is gone
         */
        Access open() throws IOException;
    }

    /** One call's view of the row data and the row index; {@code release} ends it. */
    record Access(ByteSource data, ByteSource index, Closeable release) implements Closeable {
        @Override
        public void close() throws IOException {
            release.close();
        }
    }

    private final String name;
    private final SummaryFile file;
    private final ResultSummary summary;
    private final PageBudget budget;
    private final Files files;

    /** @param name where the result is, for error messages */
    ResultFileReader(String name, SummaryFile file, PageBudget budget, Files files) {
        this.name = name;
        this.file = file;
        this.summary = file.summary();
        this.budget = budget;
        this.files = files;
    }
    @Override
    public ResultSummary summary() {
        return summary;
    }

    @Override
    public ResultPage page(long offset, int limit) throws IOException {
        if (offset < 0 || offset > summary.rows()) {
            throw new IllegalArgumentException("offset must be in [0, " + summary.rows() + "], was " + offset);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        long count = Math.min(limit, summary.rows() - offset);
        try (Access access = files.open()) {
            if (count == 0) {
                checkGeneration(access.index());
                return new ResultPage(summary.columns(), List.of(), offset, summary.rows(), List.of());
            }
            PageBuilder page = new PageBuilder(scannerAt(access, offset), budget, summary.columns().size());
            for (long i = 0; i < count && page.add(); i++) {
                // add() is false once the next row would pass the page's budget
            }
            return page.build(summary.columns(), offset, summary.rows());
        }
    }

    @Override
    public ValueKind writeValue(long row, int column, ValueOutput output) throws IOException {
        if (row < 0 || row >= summary.rows()) {
            throw new IllegalArgumentException("row must be in [0, " + summary.rows() + "), was " + row);
        }
        if (column < 0 || column >= summary.columns().size()) {
            throw new IllegalArgumentException("column must be in [0, " + summary.columns().size() + "), was " + column);
        }
        try (Access access = files.open()) {
            RowScanner scanner = scannerAt(access, row);
            if (!scanner.nextRow()) {
                throw new IOException("result " + name + " has fewer rows than its summary says");
            }
            RowScanner.StringRead read = new RowScanner.StringRead();
            for (int c = 0; ; c++) {
                RowScanner.Token token = scanner.next();
                if (token == RowScanner.Token.END_OF_ROW) {
                    throw new IOException("row " + row + " of result " + name + " has only " + c + " values");
                }
                if (c < column) {
                    scanner.skipValue(token, read);
                    continue;
                }
                ValueKind kind = kind(token);
                OutputStream target = output.open(kind);
                if (target == null) {
                    return kind;
                }
                BufferedOutputStream out = new BufferedOutputStream(target, VALUE_BUFFER_BYTES);
                if (token == RowScanner.Token.STRING) {
                    scanner.string(RowScanner.Encoding.TEXT, out, Long.MAX_VALUE, Long.MAX_VALUE, read);
                } else if (token != RowScanner.Token.NULL) {
                    scanner.literal(out);
                }
                out.flush();
                return kind;
            }
        }
    }

    @Override
    public void writeCsv(OutputStream out) throws IOException {
        try (Access access = files.open()) {
            checkGeneration(access.index());
            long rows = AthenaCsv.write(summary.columns(), new RowScanner(access.data(), 0, PAGE_BUFFER_BYTES), out);
            if (rows != summary.rows()) {
                throw new IOException("result " + name + " has " + rows + " rows, its summary says " + summary.rows());
            }
        }
    }

    /** A scanner at the start of row {@code row}: the index entry before it, then at most a stride of rows skipped. */
    private RowScanner scannerAt(Access access, long row) throws IOException {
        int stride = checkGeneration(access.index()).stride();
        long entry = row / stride;
        RowScanner scanner = new RowScanner(access.data(), RowIndex.offset(access.index(), entry), PAGE_BUFFER_BYTES);
        scanner.skipRows(row - entry * stride);
        return scanner;
    }

    private static ValueKind kind(RowScanner.Token token) {
        return switch (token) {
            case STRING -> ValueKind.STRING;
            case NUMBER -> ValueKind.NUMBER;
            case TRUE, FALSE -> ValueKind.BOOLEAN;
            case NULL, END_OF_ROW -> ValueKind.NULL;
        };
    }

    private RowIndex.Header checkGeneration(ByteSource index) throws IOException {
        RowIndex.Header header = RowIndex.readHeader(index);
        if (!header.generation().equals(file.generation())) {
            throw new NoSuchFileException(name, null, "the result was replaced after it was opened");
        }
        return header;
    }
}
