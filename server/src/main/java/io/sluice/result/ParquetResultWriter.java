package io.sluice.result;

import io.sluice.arrow.ArrowMemory;
import io.sluice.engine.ArrowSink;
import io.sluice.engine.Column;
import io.sluice.engine.CsvSink;
import io.sluice.engine.ResultLimits;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Writes one run's result as Parquet parts ({@link ParquetLayout}, then {@code summary.json}) into
 * a staging directory, and hands the complete files to its store's {@link ResultStaging}.
 *
 * <p>Two ways in, one file out. An engine that produces Arrow (DuckDB) hands over its whole result
 * with {@link #arrowStream}: the result store's DuckDB ({@link ResultDuck}) copies the batches
 * straight into Parquet, a part at a time, at the engine's speed, keeping every type. Rows given one by one
 * ({@link #row}: Athena, or DuckDB types Arrow cannot carry exactly) are appended to a temporary
 * table of the writer's connection (integers as BIGINT, floating types as DOUBLE, booleans as
 * BOOLEAN, everything else as its exact text; see {@link StoredColumns#rowStorageType}) and copied
 * into Parquet at {@link #publish}. Neither way holds rows in the Java heap: Arrow batches live off
 * the heap one at a time, and DuckDB spills a large temporary table to disk.
 *
 * <p>Limits: a row past {@code maxRows}, or one that would take the stored row data past
 * {@code maxBytes}, is refused and the result marked truncated. Row data is measured as the engine
 * hands it over (the Arrow buffers of a batch; a row's values as UTF-8 text and 8-byte numbers), not
 * as the compressed file, so the limit is the same whatever the compression. An Arrow batch that
 * would pass a limit is cut to the rows that fit.
 */
final class ParquetResultWriter implements ResultWriter, ArrowSink, CsvSink {

    private static final Logger LOG = LoggerFactory.getLogger(ParquetResultWriter.class);
    private static final String PARQUET_OPTIONS = " (FORMAT parquet, ROW_GROUP_SIZE " + ParquetLayout.ROW_GROUP_ROWS + ")";

    private enum State { OPEN, PUBLISHED, ABORTED }

    private final ResultStaging staging;
    private final Path dir;
    private final ResultDuck duck;
    private final boolean fsync;
    private final ResultLimits limits;
    private final UUID generation;
    private final String table;

    private State state = State.OPEN;
    private List<Column> columns;
    private String[] storage;
    private volatile long rowCount;
    private long byteCount;
    private ResultTruncation truncation;
    private IOException failure;
    private Connection connection;
    private DuckDBAppender appender;
    private boolean written;
    private boolean tableCreated;
    private final List<Long> partRows = new java.util.ArrayList<>();
    /** Whether Athena's CSV of more than one part is published as CSV first and converted after. */
    private final boolean csvFirst;
    /** The CSV parts to publish as they are, when {@link #csvFirst} applied; converted later. */
    private CsvParquetParts csvForm;

    ParquetResultWriter(ResultStaging staging, Path dir, ResultDuck duck, boolean fsync, ResultLimits limits) {
        this(staging, dir, duck, fsync, limits, false, UUID.randomUUID());
    }

    /**
     * @param csvFirst publish Athena's CSV of more than one part ({@link CsvParquetParts#PART_RECORDS}
     *                 rows) as it was copied, then have the store convert it ({@link ResultStaging#convertLater})
     * @param generation the result's generation: a new one, or, for the conversion of a result published
     *                   as CSV, that result's (it is the same result in another form)
     */
    ParquetResultWriter(ResultStaging staging, Path dir, ResultDuck duck, boolean fsync, ResultLimits limits, boolean csvFirst,
                        UUID generation) {
        this.generation = generation;
        this.table = "rows_" + generation.toString().replace("-", "");
        this.staging = staging;
        this.dir = dir;
        this.duck = duck;
        this.fsync = fsync;
        this.limits = limits;
        this.csvFirst = csvFirst;
    }

    @Override
    public void columns(List<Column> columns) {
        if (this.columns != null) {
            throw new IllegalStateException("columns were already given");
        }
        this.columns = List.copyOf(columns);
        this.storage = columns.stream().map(StoredColumns::rowStorageType).toArray(String[]::new);
    }

    @Override
    public boolean row(Object[] values) {
        if (columns == null) {
            throw new IllegalStateException("columns must come before the first row");
        }
        if (state != State.OPEN || written) {
            throw new IllegalStateException("writer is " + state);
        }
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row has " + values.length + " values for " + columns.size() + " columns");
        }
        long size = 0;
        for (int i = 0; i < values.length; i++) { // check all before writing any, so a bad row leaves nothing
            if (!fits(values[i], storage[i])) {
                storeAsText(i);
            }
            size += size(values[i]);
        }
        if (truncation != null) {
            return false;
        }
        if (rowCount >= limits.maxRows()) {
            return truncate(ResultTruncation.Reason.MAX_RESULT_ROWS, limits.maxRows());
        }
        if (byteCount + size > limits.maxBytes()) {
            return truncate(ResultTruncation.Reason.MAX_RESULT_BYTES, limits.maxBytes());
        }
        try {
            DuckDBAppender rows = appender();
            rows.beginRow();
            for (int i = 0; i < values.length; i++) {
                append(rows, values[i], storage[i]);
            }
            rows.endRow();
        } catch (SQLException e) {
            failure = new IOException("storing a row failed: " + e.getMessage(), e);
            throw new UncheckedIOException(failure);
        }
        byteCount += size;
        rowCount++;
        return true;
    }

    @Override
    public void arrowStream(List<Column> columns, long arrowArrayStreamAddress) throws IOException {
        if (state != State.OPEN || written || appender != null) {
            throw new IllegalStateException("writer is " + state + " or already has rows");
        }
        columns(columns);
        try (BufferAllocator allocator = ArrowMemory.child("result-writer");
             ArrowArrayStream source = ArrowArrayStream.wrap(arrowArrayStreamAddress);
             ArrowReader engine = Data.importArrayStream(allocator, source);
             ArrowLimits limited = new ArrowLimits(allocator, engine, limits, this::truncate);
             ArrowParts parts = new ArrowParts(allocator, limited, ParquetLayout.PART_ROWS)) {
            DuckDBConnection c = (DuckDBConnection) connection();
            do {
                int k = partRows.size();
                try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
                    Data.exportArrayStream(allocator, parts, stream);
                    c.registerArrowStream(table + "_" + k, stream);
                    try (Statement copy = c.createStatement()) {
                        copy.execute("COPY (SELECT * FROM " + table + "_" + k + " AS t(" + physicalNames() + ")) TO "
                                + ResultDuck.literal(part(k)) + PARQUET_OPTIONS);
                    }
                }
                partRows.add(parts.rowsInPart());
            } while (parts.nextPart());
            rowCount = limited.rows();
            byteCount = limited.bytes();
            written = true;
        } catch (SQLException e) {
            failure = new IOException("storing the result failed: " + e.getMessage(), e);
            throw failure;
        }
    }

    /**
     * Athena's CSV, copied to the staging folder as it streams in (records counted and the limits
     * kept on the way, no value parsed) in parts that DuckDB's CSV reader converts to Parquet
     * ({@link CsvParquetParts}): while the copy goes on; or, for a {@link #csvFirst} writer, once the
     * copy has ended if it made one part, and otherwise by the store after the parts are published
     * as they are ({@link #publishCsvForm}).
     */
    @Override
    public void athenaCsv(List<Column> columns, InputStream csv) throws IOException {
        if (state != State.OPEN || written || appender != null) {
            throw new IllegalStateException("writer is " + state + " or already has rows");
        }
        columns(columns);
        try {
            CsvCopy.Copied copied;
            List<Long> parts = List.of();
            if (columns.isEmpty()) {
                copied = CsvCopy.copy(csv, OutputStream.nullOutputStream(), limits);
            } else if (csvFirst) {
                CsvParquetParts converting = CsvParquetParts.csvForm(dir, duck::connection, storage, this::part, PARQUET_OPTIONS, generation);
                try {
                    copied = CsvCopy.copy(csv, converting, limits, CsvParquetParts.PART_RECORDS);
                    parts = converting.finishCopy(copied);
                    if (parts.size() > 1) {
                        csvForm = converting; // published as it is: see publishCsvForm
                    } else {
                        parts = converting.finish(copied); // one part: converted now, as small results always were
                        Files.deleteIfExists(dir.resolve(ResultFiles.CSV_INDEX_FILE));
                    }
                } finally {
                    if (csvForm == null) {
                        converting.close();
                    }
                }
            } else {
                try (CsvParquetParts converting = new CsvParquetParts(dir, duck::connection, storage, this::part, PARQUET_OPTIONS)) {
                    copied = CsvCopy.copy(csv, converting, limits, CsvParquetParts.PART_RECORDS);
                    parts = converting.finish(copied);
                }
            }
            if (copied.truncation() != null) {
                truncate(copied.truncation().reason(), copied.truncation().limit());
            }
            rowCount = copied.rows();
            byteCount = copied.dataBytes();
            if (parts.isEmpty()) {
                copyRowsToParquet(); // no header even: an empty result
            } else {
                partRows.clear();
                partRows.addAll(parts);
            }
            written = true;
        } catch (SQLException e) {
            failure = e.getMessage() != null && e.getMessage().contains("CSV Error")
                    ? new CsvSink.MalformedCsv(e.getMessage(), e)
                    : new IOException("storing the result failed: " + e.getMessage(), e);
            throw failure;
        }
    }

    @Override
    public long rowCount() {
        return rowCount;
    }

    @Override
    public ResultTruncation truncation() {
        return truncation;
    }

    @Override
    public synchronized ResultSummary publish() throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException("writer is " + state);
        }
        if (failure != null) {
            abort();
            throw new IOException("writing the result failed", failure);
        }
        if (csvForm != null) {
            return publishCsvForm();
        }
        try {
            if (columns == null) {
                columns(List.of());
            }
            if (!written) {
                copyRowsToParquet();
            }
            List<Path> files = new java.util.ArrayList<>();
            for (int k = 0; k < partRows.size(); k++) {
                files.add(part(k));
                if (fsync) {
                    force(part(k));
                }
            }
            SummaryFile summary = new SummaryFile(ResultFiles.FORMAT_PARQUET_PARTS, generation, columns, rowCount,
                    ParquetLayout.size(files), truncation, storedTypes(part(0)), partRows);
            publishWith(summary);
            return summary.summary();
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        } catch (SQLException e) {
            abort();
            throw new IOException("storing the result failed: " + e.getMessage(), e);
        }
    }

    /**
     * Publishes the CSV parts as they were copied ({@link ResultFiles#FORMAT_CSV_PARTS}: pages, values
     * and the CSV download read them at once), then asks the store to convert them to Parquet parts.
     */
    private ResultSummary publishCsvForm() throws IOException {
        try {
            SummaryFile summary = new SummaryFile(ResultFiles.FORMAT_CSV_PARTS, generation, columns, rowCount,
                    csvForm.csvBytes(fsync), truncation, List.of(storage), partRows);
            publishWith(summary);
            csvForm.close(); // its files went with the directory: stops its converters only
            csvForm = null;
            staging.convertLater(summary);
            return summary.summary();
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    /** Writes {@code summary} beside the written files and publishes them all. */
    private void publishWith(SummaryFile summary) throws IOException {
        try (FileOutputStream out = new FileOutputStream(dir.resolve(ResultFiles.SUMMARY_FILE).toFile())) {
            out.write(ResultFiles.summaryBytes(summary));
            if (fsync) {
                out.getChannel().force(true);
            }
        }
        closeConnection();
        staging.publish(dir, summary);
        state = State.PUBLISHED;
    }

    /** The truncation of the result this writer converts (its rows were cut when first stored). */
    void truncated(ResultTruncation truncation) {
        this.truncation = truncation;
    }

    @Override
    public synchronized void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        closeConnection();
        if (csvForm != null) {
            try {
                csvForm.close();
            } catch (IOException e) {
                LOG.debug("closing the CSV parts of an aborted result: {}", e.getMessage());
            }
            csvForm = null;
        }
        staging.discard(dir);
    }

    @Override
    public void close() {
        abort();
    }

    // ---- rows

    private DuckDBAppender appender() throws SQLException {
        if (appender == null) {
            if (!tableCreated) {
                createTable();
            }
            appender = ((DuckDBConnection) connection()).createAppender("temp", "main", table);
        }
        return appender;
    }

    private void createTable() throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TEMP TABLE ").append(table).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            ddl.append(i == 0 ? "" : ", ").append(ParquetLayout.physicalName(i)).append(' ').append(storage[i]);
        }
        try (Statement s = connection().createStatement()) {
            s.execute(ddl.append(')').toString());
        }
        tableCreated = true;
    }

    /** The appended rows (or none) as parts: the temporary table keeps them in order of insertion, by {@code rowid}. */
    private void copyRowsToParquet() throws SQLException {
        partRows.clear();
        if (columns.isEmpty()) {
            // A result without columns (nothing to show): an empty file all the same.
            try (Statement s = connection().createStatement()) {
                s.execute("COPY (SELECT NULL AS c0 WHERE false) TO " + ResultDuck.literal(part(0)) + " (FORMAT parquet)");
            }
            partRows.add(0L);
            return;
        }
        if (!tableCreated) {
            createTable();
        }
        if (appender != null) {
            appender.close();
            appender = null;
        }
        try (Statement s = connection().createStatement()) {
            long k = 0;
            do {
                long from = k * ParquetLayout.PART_ROWS;
                long to = Math.min(rowCount, from + ParquetLayout.PART_ROWS);
                s.execute("COPY (SELECT * FROM " + table + " WHERE rowid >= " + from + " AND rowid < " + to
                        + " ORDER BY rowid) TO " + ResultDuck.literal(part((int) k)) + PARQUET_OPTIONS);
                partRows.add(to - from);
                k++;
            } while (k * ParquetLayout.PART_ROWS < rowCount);
            s.execute("DROP TABLE " + table);
        }
    }

    /** The DuckDB types of the file's columns, as DuckDB reads them back. */
    private List<String> storedTypes(Path data) throws SQLException {
        List<String> types = new java.util.ArrayList<>();
        try (Statement s = connection().createStatement();
             java.sql.ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + ResultDuck.literal(data) + ")")) {
            while (rs.next()) {
                types.add(rs.getString("column_type"));
            }
        }
        return columns.isEmpty() ? List.of() : types;
    }

    /** Whether a value can be stored in a column of this storage type. */
    private static boolean fits(Object v, String storage) {
        if (v != null && !(v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean)) {
            throw new IllegalArgumentException("unsupported value type " + v.getClass().getName());
        }
        return v == null || switch (storage) {
            case "BIGINT" -> v instanceof Long;
            case "DOUBLE" -> v instanceof Double;
            case "BOOLEAN" -> v instanceof Boolean;
            default -> true;
        };
    }

    /**
     * A value of another kind came for a typed column (an engine keeps text it could not parse as
     * the column's type): the column becomes text from here on, its earlier values too, so that no
     * value is lost.
     */
    private void storeAsText(int column) {
        LOG.info("column {} holds a value that is not a {}: it is stored as text", column, storage[column]);
        storage[column] = "VARCHAR";
        if (appender == null) {
            return; // no table yet: it is created with the column as text
        }
        try {
            appender.close();
            appender = null;
            try (Statement s = connection().createStatement()) {
                s.execute("ALTER TABLE " + table + " ALTER COLUMN " + ParquetLayout.physicalName(column) + " TYPE VARCHAR");
            }
            appender();
        } catch (SQLException e) {
            failure = new IOException("storing a row failed: " + e.getMessage(), e);
            throw new UncheckedIOException(failure);
        }
    }

    /** A value's size as row data: UTF-8 text, 8-byte numbers, 1-byte booleans. */
    private static long size(Object v) {
        return v == null ? 0 : v instanceof String s ? utf8Length(s) : v instanceof Boolean ? 1 : Long.BYTES;
    }

    private static void append(DuckDBAppender rows, Object v, String storage) throws SQLException {
        if (v == null) {
            rows.appendNull();
        } else if (storage.equals("VARCHAR")) {
            rows.append(v.toString());
        } else if (v instanceof Long l) {
            rows.append(l.longValue());
        } else if (v instanceof Double d) {
            rows.append(d.doubleValue());
        } else {
            rows.append(((Boolean) v).booleanValue());
        }
    }

    private static long utf8Length(String s) {
        long n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                n += c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1; // a surrogate pair: 4 bytes for 2 chars
            }
        }
        return n;
    }

    // ---- helpers

    private boolean truncate(ResultTruncation.Reason reason, long limit) {
        truncation = new ResultTruncation(reason, limit);
        LOG.info("result truncated after {} rows: {} is {}", rowCount, reason, limit);
        return false;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = duck.connection();
        }
        return connection;
    }

    private void closeConnection() {
        try {
            if (appender != null) {
                appender.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing an appender: {}", e.getMessage());
        }
        appender = null;
        try {
            if (connection != null) {
                connection.close(); // drops the temporary table
            }
        } catch (SQLException e) {
            LOG.debug("closing a result connection: {}", e.getMessage());
        }
        connection = null;
    }

    private String physicalNames() {
        return java.util.stream.IntStream.range(0, columns.size()).mapToObj(ParquetLayout::physicalName)
                .collect(Collectors.joining(", "));
    }

    private Path part(int k) {
        return dir.resolve(ParquetLayout.partFile(generation, k));
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
