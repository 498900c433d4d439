package io.sluice.result;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a result published as Athena's CSV in parts ({@link ResultFiles#FORMAT_CSV_PARTS}), which
 * the store converts to Parquet parts after publishing it. Pages and single values parse only the
 * records they need: the row index ({@value ResultFiles#CSV_INDEX_FILE}) gives the offset of every
 * {@value CsvParquetParts#INDEX_STRIDE}th record in its part, so a page skips at most that many
 * records, whatever its offset. Values are shown as the converted result shows them (integers,
 * floating numbers and booleans by their stored type, everything else Athena's exact text), and the
 * CSV download is the parts as Athena wrote them.
 *
 * <p>Sorting, filtering, aggregating and the Parquet and JSON lines downloads wait for the
 * conversion ({@link Conversion}; a sort, filter or aggregate at most the store's conversion wait,
 * then {@link ResultConverting}) and are answered by the converted result. Once the conversion has
 * replaced this result its files are gone; a call that finds them gone is answered by the converted
 * result too, so a reader opened just before the switch never fails because of it.
 */
final class CsvPartsReader implements ResultReader {

    /** The store's conversion of this result. */
    interface Conversion {
        /**
         * The converted result of this one, once the store has converted it (waiting for it, or
         * starting it).
         *
         * @throws ResultOperationUnsupported when the result cannot be converted
         * @throws NoSuchFileException        when the result is gone
         */
        ResultReader converted() throws IOException;

        /**
         * As {@link #converted()}, for a request someone waits on (a sort, a filter, an aggregate):
         * waits at most the store's conversion wait.
         *
         * @throws ResultConverting when the conversion goes on longer
         */
        ResultReader convertedSoon() throws IOException;

        /** Whether this result's conversion is known to have failed (it is not tried again). */
        boolean failed();
    }

    private final Path dir;
    private final SummaryFile file;
    private final PageBudget budget;
    private final Conversion conversion;
    private final StoredColumns.Rendering[] renderings;
    /** The number of the first row of each part, and the row count after the last. */
    private final long[] starts;

    CsvPartsReader(Path dir, SummaryFile file, PageBudget budget, Conversion conversion) {
        this.dir = dir;
        this.file = file;
        this.budget = budget;
        this.conversion = conversion;
        this.renderings = file.storedTypes().stream().map(StoredColumns::rendering).toArray(StoredColumns.Rendering[]::new);
        this.starts = new long[file.partRows().size() + 1];
        for (int k = 0; k < file.partRows().size(); k++) {
            starts[k + 1] = starts[k] + file.partRows().get(k);
        }
    }

    @Override
    public ResultSummary summary() {
        return file.summary();
    }

    /** It can do all a columnar result can, through its conversion, unless that is known to have failed. */
    @Override
    public boolean columnar() {
        return !conversion.failed();
    }

    @Override
    public void awaitColumnar() throws IOException {
        conversion.converted();
    }

    @Override
    public ResultPage page(long offset, int limit) throws IOException {
        ParquetPages.checkPage(offset, limit, file.rows());
        try {
            PageRows page = new PageRows(budget, renderings.length);
            if (offset < file.rows()) {
                readRows(offset, limit, page);
            }
            return page.build(file.columns(), offset, file.rows());
        } catch (NoSuchFileException e) {
            return conversion.converted().page(offset, limit);
        }
    }

    @Override
    public ResultPage page(ResultView view, long offset, int limit) throws IOException {
        return view.plain() ? page(offset, limit) : conversion.convertedSoon().page(view, offset, limit);
    }

    @Override
    public Aggregation.Result aggregate(Aggregation aggregation) throws IOException {
        return conversion.convertedSoon().aggregate(aggregation);
    }

    @Override
    public void write(DownloadFormat format, OutputStream out) throws IOException {
        if (format == DownloadFormat.CSV) {
            writeCsv(out);
        } else {
            conversion.converted().write(format, out);
        }
    }

    @Override
    public ValueKind writeValue(long row, int column, ValueOutput output) throws IOException {
        if (row < 0 || row >= file.rows() || column < 0 || column >= renderings.length) {
            throw new IllegalArgumentException("no value at row " + row + ", column " + column);
        }
        Object value;
        try (FileChannel index = FileChannel.open(dir.resolve(ResultFiles.CSV_INDEX_FILE), StandardOpenOption.READ)) {
            int k = partOf(row);
            try (FileChannel part = FileChannel.open(dir.resolve(CsvParquetParts.csvPartName(k)), StandardOpenOption.READ)) {
                CsvRecords records = seek(index, stride(index), part, k, row);
                CsvRecords.Field[] fields = fields(Integer.MAX_VALUE - 8);
                if (!records.read(fields)) {
                    throw new NoSuchFileException(dir.toString(), null, "row " + row + " is missing");
                }
                value = value(fields[column], column);
            }
        } catch (NoSuchFileException e) {
            return conversion.converted().writeValue(row, column, output);
        }
        return StoredValues.writeValue(value, output);
    }

    /** The parts as Athena wrote them (the header is part 0's first record): every part is opened before a byte is written. */
    @Override
    public void writeCsv(OutputStream out) throws IOException {
        List<FileChannel> parts = new ArrayList<>();
        try {
            try {
                for (int k = 0; k < file.partRows().size(); k++) {
                    parts.add(FileChannel.open(dir.resolve(CsvParquetParts.csvPartName(k)), StandardOpenOption.READ));
                }
            } catch (NoSuchFileException e) {
                conversion.converted().writeCsv(out);
                return;
            }
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            for (FileChannel part : parts) {
                buffer.clear();
                while (part.read(buffer) > 0) {
                    out.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                if (buffer.position() > 0) {
                    out.write(buffer.array(), 0, buffer.position());
                }
            }
            out.flush();
        } finally {
            for (FileChannel part : parts) {
                part.close();
            }
        }
    }

    /** Adds rows from {@code offset} on to {@code page}, across parts, until {@code limit} rows or the budget. */
    private void readRows(long offset, int limit, PageRows page) throws IOException {
        CsvRecords.Field[] fields = fields(budget.maxValueBytes() + 3); // + 3: at least the bytes shown, in whole characters
        Object[] values = new Object[renderings.length];
        long[] fullBytes = new long[renderings.length];
        long end = Math.min(file.rows(), offset + limit);
        try (FileChannel index = FileChannel.open(dir.resolve(ResultFiles.CSV_INDEX_FILE), StandardOpenOption.READ)) {
            int stride = stride(index);
            long row = offset;
            for (int k = partOf(row); row < end; k++) {
                try (FileChannel part = FileChannel.open(dir.resolve(CsvParquetParts.csvPartName(k)), StandardOpenOption.READ)) {
                    CsvRecords records = seek(index, stride, part, k, row);
                    for (; row < Math.min(end, starts[k + 1]); row++) {
                        if (!records.read(fields)) {
                            throw new NoSuchFileException(dir.toString(), null, "row " + row + " is missing");
                        }
                        for (int i = 0; i < values.length; i++) {
                            values[i] = value(fields[i], i);
                            fullBytes[i] = fields[i].cut() ? fields[i].size() : -1;
                        }
                        if (!page.add(values, fullBytes)) {
                            return;
                        }
                    }
                }
            }
        }
    }

    /**
     * The stride of the row index, once it is checked to be this result's (a replaced result's files
     * are never read as this one's). Read once per call.
     */
    private int stride(FileChannel index) throws IOException {
        RowIndex.Header header = RowIndex.readHeader(index::read);
        if (!header.generation().equals(file.generation())) {
            throw new NoSuchFileException(dir.toString(), null, "the result was replaced");
        }
        return header.stride();
    }

    /** Part {@code k}'s records from row {@code row} on: the index entry at or before it, then the records in between skipped. */
    private CsvRecords seek(FileChannel index, int stride, FileChannel part, int k, long row) throws IOException {
        long entry = row / stride;
        long first = Math.max(entry * stride, starts[k]);
        long at = first == entry * stride ? RowIndex.offset(index::read, entry) : 0;
        CsvRecords records = new CsvRecords(part, at);
        for (long r = first; r < row; r++) {
            records.skip();
        }
        return records;
    }

    private int partOf(long row) {
        int k = 0;
        while (k + 1 < starts.length - 1 && starts[k + 1] <= row) {
            k++;
        }
        return k;
    }

    private CsvRecords.Field[] fields(int keep) {
        CsvRecords.Field[] fields = new CsvRecords.Field[renderings.length];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = new CsvRecords.Field(keep);
        }
        return fields;
    }

    /** A field as the converted result shows it: by its column's stored type, or as text when it is not of that type. */
    private Object value(CsvRecords.Field field, int column) {
        if (field.isNull()) {
            return null;
        }
        String text = field.text();
        if (field.cut()) {
            return text;
        }
        try {
            return switch (renderings[column]) {
                case INTEGER -> Long.parseLong(text);
                case FLOATING -> Double.parseDouble(text);
                case BOOLEAN -> text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : text;
                case TEXT -> text;
            };
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
