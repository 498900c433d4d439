package io.sluice.result;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Athena's CSV into Parquet parts ({@link ParquetLayout}), converted while the copy goes on: the
 * copy ({@link CsvCopy}) writes {@code rows-<k>.csv} files of {@value #PART_RECORDS}
 * records (half the parts of other results: the smaller the parts, the less is left to convert once
 * the last byte has arrived), and each complete file is read by DuckDB's CSV reader into its Parquet part on one of
 * {@value #CONVERTERS} background threads (each with a connection of its own: a part's file is
 * small enough for DuckDB to read on one thread, so two parts at once use two cores), so the
 * conversion overlaps the download from S3.
 *
 * <p>Columns arrive as text and are stored as their storage types (integers as BIGINT, floating
 * types as DOUBLE, booleans as BOOLEAN, everything else Athena's exact text; a NULL, an empty
 * unquoted field, stays NULL and {@code ""} stays an empty string). A part holding a value that does
 * not convert to its column's type makes that column text: once the copy has ended, the columns
 * holding such values in any part become text and every part is converted again, so that all parts
 * have the same types and no value is lost.
 *
 * <p>{@link #csvForm} parts convert nothing while the copy goes on: they are the rows of a result
 * published as Athena's CSV first ({@link CsvPartsReader}) and converted after, so that the copy
 * has the cores to itself. They also write {@value ResultFiles#CSV_INDEX_FILE}: the
 * {@link RowIndex} header, then for every {@value #INDEX_STRIDE}th data record its byte offset in
 * its part ({@value #PART_RECORDS} is a multiple of the stride, so record {@code j * stride} is in
 * part {@code j * stride / PART_RECORDS}).
 */
final class CsvParquetParts implements CsvCopy.Parts, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CsvParquetParts.class);
    /** Records per part: eight row groups. */
    static final long PART_RECORDS = 8L * ParquetLayout.ROW_GROUP_ROWS;
    /** Parts converted at once. */
    static final int CONVERTERS = 2;
    /** Data records per entry of a CSV form's row index. */
    static final int INDEX_STRIDE = 1024;

    /** A connection of its own for one conversion. */
    @FunctionalInterface
    interface Connections {
        Connection open() throws SQLException;
    }

    private final Path dir;
    private final Connections connections;
    private final String[] storage;
    private final IntFunction<Path> parquetPart;
    private final String parquetOptions;
    private final ExecutorService converter = Executors.newFixedThreadPool(CONVERTERS, r -> {
        Thread t = new Thread(r, "csv-parquet");
        t.setDaemon(true);
        return t;
    });
    private final List<Future<?>> conversions = new ArrayList<>();
    private final List<Long> rows = new ArrayList<>();
    private final List<Long> longest = new ArrayList<>();
    /** A part held a value that is not of its column's type. */
    private volatile boolean retype;
    private int opened = -1;
    /** Parts handed to the converters so far. */
    private int submitted;
    private final boolean convertWhileCopying;
    /** The generation a CSV form's row index carries; null when no index is written. */
    private final UUID indexGeneration;
    private DataOutputStream index;

    /**
     * @param storage the storage type of each column; columns that turn out to hold other values
     *                are changed to {@code VARCHAR} in place
     */
    CsvParquetParts(Path dir, Connections connections, String[] storage, IntFunction<Path> parquetPart, String parquetOptions) {
        this(dir, connections, storage, parquetPart, parquetOptions, true, null);
    }

    private CsvParquetParts(Path dir, Connections connections, String[] storage, IntFunction<Path> parquetPart,
                            String parquetOptions, boolean convertWhileCopying, UUID indexGeneration) {
        this.dir = dir;
        this.connections = connections;
        this.storage = storage;
        this.parquetPart = parquetPart;
        this.parquetOptions = parquetOptions;
        this.convertWhileCopying = convertWhileCopying;
        this.indexGeneration = indexGeneration;
    }

    /**
     * Parts that may be published as a CSV form: nothing is converted before {@link #finish}, and
     * the row index is written with {@code generation}.
     */
    static CsvParquetParts csvForm(Path dir, Connections connections, String[] storage, IntFunction<Path> parquetPart,
                                   String parquetOptions, UUID generation) {
        return new CsvParquetParts(dir, connections, storage, parquetPart, parquetOptions, false, generation);
    }

    @Override
    public int indexStride() {
        return indexGeneration == null ? 0 : INDEX_STRIDE;
    }

    @Override
    public void recordStart(long record, long offsetInPart) throws IOException {
        if (index == null) {
            index = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(ResultFiles.CSV_INDEX_FILE)), 1 << 13));
            RowIndex.writeHeader(index, INDEX_STRIDE, indexGeneration);
        }
        index.writeLong(offsetInPart);
    }

    @Override
    public OutputStream open(int k) throws IOException {
        opened = k;
        return new BufferedOutputStream(Files.newOutputStream(csvPart(k)), 1 << 16);
    }

    @Override
    public void complete(int k, long partRows, long length, long longestRecord) throws IOException {
        add(k, partRows, length, longestRecord);
    }

    /**
     * After the copy: converts the last part, waits for every conversion and converts again with
     * text columns where a part needed them. Answers the rows of each part (none when the copy
     * wrote nothing).
     *
     * @throws SQLException the first conversion that failed for another reason than a value's type
     */
    List<Long> finish(CsvCopy.Copied copied) throws IOException, SQLException {
        finishCopy(copied);
        for (int k = submitted; k < rows.size(); k++) {
            submit(k);
        }
        awaitConversions();
        if (retype) {
            retype();
            for (int k = 0; k < rows.size(); k++) {
                convert(k);
            }
        }
        return List.copyOf(rows);
    }

    /**
     * After the copy: cuts the last part to its whole records and the row index (if any) to the
     * records kept, and answers the rows of each part (none when the copy wrote nothing). Converts
     * nothing more: the parts are a complete CSV form.
     */
    List<Long> finishCopy(CsvCopy.Copied copied) throws IOException {
        int last = rows.size();
        if (opened == last) {
            long lastRows = copied.rows() - rows.stream().mapToLong(Long::longValue).sum();
            if (lastRows > 0 || last == 0) {
                add(last, lastRows, copied.fileLength(), copied.longestRecord());
            } else {
                Files.deleteIfExists(csvPart(last)); // only the refused record's beginning
            }
        }
        if (index != null) {
            index.close();
            index = null;
            try (FileChannel channel = FileChannel.open(dir.resolve(ResultFiles.CSV_INDEX_FILE), StandardOpenOption.WRITE)) {
                channel.truncate(RowIndex.size(copied.rows(), INDEX_STRIDE));
            }
        }
        return List.copyOf(rows);
    }

    /** The size of the CSV parts in bytes; with {@code fsync}, the parts and the row index are synced to the disk first. */
    long csvBytes(boolean fsync) throws IOException {
        long bytes = 0;
        for (int k = 0; k < rows.size(); k++) {
            Path part = csvPart(k);
            if (fsync) {
                try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            bytes += Files.size(part);
        }
        if (fsync && indexGeneration != null) {
            try (FileChannel channel = FileChannel.open(dir.resolve(ResultFiles.CSV_INDEX_FILE), StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
        return bytes;
    }

    private void add(int k, long partRows, long length, long longestRecord) throws IOException {
        try (FileChannel channel = FileChannel.open(csvPart(k), StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
        rows.add(partRows);
        longest.add(longestRecord);
        if (convertWhileCopying) {
            submit(k);
        }
    }

    private void submit(int k) {
        submitted = k + 1;
        conversions.add(converter.submit(() -> {
            try {
                convert(k);
            } catch (SQLException e) {
                if (e.getMessage() == null || !e.getMessage().contains("Conversion Error")) {
                    throw e;
                }
                retype = true;
            }
            return null;
        }));
    }

    private void awaitConversions() throws IOException, SQLException {
        converter.shutdown();
        for (Future<?> conversion : conversions) {
            try {
                conversion.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while storing a result");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw new IOException("storing the result failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private void convert(int k) throws SQLException {
        List<String> select = new ArrayList<>();
        for (int i = 0; i < storage.length; i++) {
            String value = storage[i].equals("VARCHAR") ? "c" + i : "CAST(c" + i + " AS " + storage[i] + ")";
            select.add(value + " AS " + ParquetLayout.physicalName(i));
        }
        try (Connection c = connections.open(); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT " + String.join(", ", select) + " FROM " + csv(k) + ") TO "
                    + ResultDuck.literal(parquetPart.apply(k)) + parquetOptions);
        }
    }

    /** The columns holding a value of another type in any part become text. */
    private void retype() throws SQLException {
        boolean[] text = new boolean[storage.length];
        for (int k = 0; k < rows.size(); k++) {
            List<String> counts = new ArrayList<>();
            List<Integer> typed = new ArrayList<>();
            for (int i = 0; i < storage.length; i++) {
                if (!storage[i].equals("VARCHAR") && !text[i]) {
                    counts.add("count(*) FILTER (WHERE c" + i + " IS NOT NULL AND TRY_CAST(c" + i + " AS " + storage[i] + ") IS NULL)");
                    typed.add(i);
                }
            }
            if (typed.isEmpty()) {
                break;
            }
            try (Connection c = connections.open(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT " + String.join(", ", counts) + " FROM " + csv(k))) {
                rs.next();
                for (int j = 0; j < typed.size(); j++) {
                    text[typed.get(j)] |= rs.getLong(j + 1) > 0;
                }
            }
        }
        for (int i = 0; i < storage.length; i++) {
            if (text[i]) {
                LOG.info("column {} holds values that are not {}: stored as text", i, storage[i]);
                storage[i] = "VARCHAR";
            }
        }
    }

    /** Part {@code k} read by DuckDB's CSV reader, every column as text named {@code c0}, {@code c1}, …; only part 0 has the header. */
    private String csv(int k) {
        long maxLine = Math.max(2L << 20, longest.get(k) + 16);
        return "read_csv(" + ResultDuck.literal(csvPart(k)) + ", header = " + (k == 0) + ", auto_detect = false, columns = {"
                + IntStream.range(0, storage.length).mapToObj(i -> "'c" + i + "': 'VARCHAR'").collect(Collectors.joining(", "))
                + "}, delim = ',', quote = '\"', escape = '\"', new_line = '\\n', allow_quoted_nulls = false,"
                + " strict_mode = true, max_line_size = " + maxLine + ", buffer_size = " + Math.max(32L << 20, 2 * maxLine) + ")";
    }

    private Path csvPart(int k) {
        return dir.resolve(csvPartName(k));
    }

    /** The file name of CSV part {@code k} (part 0 starts with the header record). */
    static String csvPartName(int k) {
        return "rows-" + k + ".csv";
    }

    /** Stops converting (a conversion under way ends first) and deletes the CSV files. */
    @Override
    public void close() throws IOException {
        if (index != null) {
            index.close();
        }
        converter.shutdownNow();
        try {
            if (!converter.awaitTermination(5, TimeUnit.MINUTES)) {
                LOG.warn("a result conversion did not stop in time; its staging folder is swept later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int k = 0; k <= Math.max(opened, rows.size() - 1); k++) {
            Files.deleteIfExists(csvPart(k));
        }
    }
}
