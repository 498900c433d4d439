package io.sluice.engine.duckdb;

import io.sluice.arrow.ArrowMemory;
import io.sluice.arrow.BatchFilter;
import io.sluice.engine.ArrowSink;
import io.sluice.engine.Cancellation;
import io.sluice.engine.Column;
import io.sluice.engine.EngineException;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * Hands a DuckDB result to an {@link ArrowSink} as Arrow batches: DuckDB exports them, the sink's
 * own DuckDB writes them to Parquet, and no row passes through Java objects. Only results whose
 * every column survives the trip exactly (the same text in pages as the row path shows) go this
 * way; the others are streamed row by row ({@link #canCarry}).
 *
 * <p>Server paths in string values are masked here as on the row path ({@link PathMask}): a batch
 * whose strings hold no {@code /} passes untouched, one that does has its strings rewritten.
 */
final class ArrowResults {

    /** How the Arrow C interface reports an error of the stream's producer: {@code [errno -1] CDataJniException{errno=-1, message=...}}. */
    private static final java.util.regex.Pattern C_ERROR =
            java.util.regex.Pattern.compile("(?s).*CDataJniException\\{errno=-?\\d+, message=(.*)}\\s*");

    /** Rows per Arrow batch: large enough to amortize the hand-over, small enough to keep memory flat. */
    static final int BATCH_ROWS = 32_768;

    private ArrowResults() {
    }

    /**
     * Whether Arrow carries columns of these DuckDB types (as JDBC names them) exactly: not
     * TIME WITH TIME ZONE (its offset is lost), BIT (becomes a blob), UNION (becomes a struct), ENUM
     * (a dictionary), BLOB (its bytes might hold a server path that must be masked), nor a nested type
     * holding strings (masked on the row path only).
     */
    static boolean canCarry(List<String> duckTypes) {
        if (!ArrowMemory.available()) {
            return false;
        }
        for (String type : duckTypes) {
            String t = type.toUpperCase(Locale.ROOT);
            if (t.contains("TIME WITH TIME ZONE") || t.contains("BIT") || t.contains("UNION") || t.contains("ENUM")
                    || t.contains("BLOB")) {
                return false;
            }
            boolean nested = t.contains("[") || t.startsWith("STRUCT") || t.startsWith("MAP");
            if (nested && (t.contains("VARCHAR") || t.contains("UUID") || t.contains("BIGNUM"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Streams the rows of {@code rows} into {@code sink}.
     *
     * @throws EngineException when the query failed while producing rows, or was cancelled
     */
    static void transfer(ResultSet rows, List<Column> columns, ArrowSink sink, PathMask paths,
                         Cancellation cancellation) throws SQLException, EngineException {
        try (BufferAllocator allocator = ArrowMemory.child("duckdb-result");
             ArrowReader source = (ArrowReader) ((DuckDBResultSet) rows).arrowExportStream(allocator, BATCH_ROWS);
             MaskingReader masked = new MaskingReader(allocator, source, paths, cancellation);
             ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            Data.exportArrayStream(allocator, masked, stream);
            try {
                sink.arrowStream(columns, stream.memoryAddress());
            } catch (IOException e) {
                if (masked.failure != null) {
                    throw masked.failure;
                }
                throw new UncheckedIOException(e); // the result could not be stored
            }
            if (masked.failure != null) {
                throw masked.failure;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The engine's batches with server paths masked; remembers why the engine stopped producing. */
    private static final class MaskingReader extends BatchFilter {
        private final PathMask paths;
        private final Cancellation cancellation;
        EngineException failure;

        MaskingReader(BufferAllocator allocator, ArrowReader source, PathMask paths, Cancellation cancellation) {
            super(allocator, source);
            this.paths = paths;
            this.cancellation = cancellation;
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            if (cancellation.isCancelled()) {
                failure = new EngineException("QUERY_CANCELLED", EngineException.Kind.USER, "cancelled");
                throw new IOException("cancelled");
            }
            boolean more;
            try {
                more = source.loadNextBatch();
            } catch (IOException | RuntimeException e) {
                failure = cancellation.isCancelled()
                        ? new EngineException("QUERY_CANCELLED", EngineException.Kind.USER, "cancelled")
                        : DuckDbErrors.engine(engineMessage(e), paths, e);
                throw e;
            }
            if (more) {
                VectorSchemaRoot root = source.getVectorSchemaRoot();
                for (FieldVector vector : root.getFieldVectors()) {
                    if (vector instanceof VarCharVector strings) {
                        mask(strings, root.getRowCount());
                    }
                }
            }
            return more;
        }

        /** DuckDB's own message, from inside the Arrow C interface's wrapping of it. */
        private static String engineMessage(Exception e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            java.util.regex.Matcher m = C_ERROR.matcher(message);
            return m.matches() ? m.group(1) : message;
        }

        /** Rewrites the strings of a batch when any of them shows a server path. */
        private void mask(VarCharVector strings, int rowCount) {
            if (rowCount == 0 || !holdsSlash(strings, rowCount)) {
                return;
            }
            byte[][] values = new byte[rowCount][];
            boolean changed = false;
            for (int i = 0; i < rowCount; i++) {
                if (strings.isNull(i)) {
                    continue;
                }
                byte[] bytes = strings.get(i);
                String text = new String(bytes, StandardCharsets.UTF_8);
                String shown = paths.apply(text);
                if (!shown.equals(text)) {
                    changed = true;
                    bytes = shown.getBytes(StandardCharsets.UTF_8);
                }
                values[i] = bytes;
            }
            if (!changed) {
                return;
            }
            strings.reset();
            for (int i = 0; i < rowCount; i++) {
                if (values[i] == null) {
                    strings.setNull(i);
                } else {
                    strings.setSafe(i, values[i]);
                }
            }
            strings.setValueCount(rowCount);
        }

        private static boolean holdsSlash(VarCharVector strings, int rowCount) {
            long end = strings.getEndOffset(rowCount - 1);
            var data = strings.getDataBuffer();
            for (long i = 0; i < end; i++) {
                if (data.getByte(i) == '/') {
                    return true;
                }
            }
            return false;
        }

        @Override
        public long bytesRead() {
            return source.bytesRead();
        }

    }
}
