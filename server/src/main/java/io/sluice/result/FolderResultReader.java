package io.sluice.result;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads one published result of a {@link FolderResultStore}. Holds only the summary it was opened
 * with; every call opens the files it needs and closes them before returning.
 *
 * <p>Every call opens {@code rows.jsonl} first and {@code rows.idx} second, and checks that the
 * index carries the generation of the summary. A result moves away only as a whole directory and
 * a generation never comes back, so if the index (opened last) still belongs to our generation,
 * the data file opened before it does too. A replaced or deleted result therefore ends in
 * {@link NoSuchFileException}, never in rows of another result.
 */
final class FolderResultReader implements ResultReader {

    /** What one read of row data fetches: a page reads at most this beyond its rows and the stride before them. */
    static final int PAGE_BUFFER_BYTES = 32 * 1024;
    /** Output buffer of a streamed value. */
    private static final int VALUE_BUFFER_BYTES = 8 * 1024;

    private final Path dir;
    private final SummaryFile file;
    private final ResultSummary summary;
    private final PageBudget budget;
    private final FolderResultStore.ReadChannels channels;

    FolderResultReader(Path dir, SummaryFile file, PageBudget budget, FolderResultStore.ReadChannels channels) {
        this.dir = dir;
        this.file = file;
        this.summary = file.summary();
        this.budget = budget;
        this.channels = channels;
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
        try (FileChannel data = channels.open(dir.resolve(FolderResultStore.DATA_FILE));
             FileChannel index = channels.open(dir.resolve(FolderResultStore.INDEX_FILE))) {
            if (count == 0) {
                checkGeneration(index);
                return new ResultPage(summary.columns(), List.of(), offset, summary.rows(), List.of());
            }
            PageBuilder page = new PageBuilder(scannerAt(data, index, offset), budget, summary.columns().size());
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
        try (FileChannel data = channels.open(dir.resolve(FolderResultStore.DATA_FILE));
             FileChannel index = channels.open(dir.resolve(FolderResultStore.INDEX_FILE))) {
            RowScanner scanner = scannerAt(data, index, row);
            if (!scanner.nextRow()) {
                throw new IOException("result " + dir + " has fewer rows than its summary says");
            }
            RowScanner.StringRead read = new RowScanner.StringRead();
            for (int c = 0; ; c++) {
                RowScanner.Token token = scanner.next();
                if (token == RowScanner.Token.END_OF_ROW) {
                    throw new IOException("row " + row + " of result " + dir + " has only " + c + " values");
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
        try (FileChannel data = channels.open(dir.resolve(FolderResultStore.DATA_FILE))) {
            try (FileChannel index = channels.open(dir.resolve(FolderResultStore.INDEX_FILE))) {
                checkGeneration(index);
            }
            long rows = AthenaCsv.write(summary.columns(), new RowScanner(data, 0, PAGE_BUFFER_BYTES), out);
            if (rows != summary.rows()) {
                throw new IOException("result " + dir + " has " + rows + " rows, its summary says " + summary.rows());
            }
        }
    }

    /** A scanner at the start of row {@code row}: the index entry before it, then at most a stride of rows skipped. */
    private RowScanner scannerAt(FileChannel data, FileChannel index, long row) throws IOException {
        int stride = checkGeneration(index).stride();
        long entry = row / stride;
        RowScanner scanner = new RowScanner(data, RowIndex.offset(index, entry), PAGE_BUFFER_BYTES);
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

    private RowIndex.Header checkGeneration(FileChannel index) throws IOException {
        RowIndex.Header header = RowIndex.readHeader(index);
        if (!header.generation().equals(file.generation())) {
            throw new NoSuchFileException(dir.toString(), null, "the result was replaced after it was opened");
        }
        return header;
    }
}
