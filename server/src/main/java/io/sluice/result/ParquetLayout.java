package io.sluice.result;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Where the rows of a result stored as Parquet are, and under which column names. Two layouts:
 *
 * <ul>
 *   <li><b>Parts</b> (format {@value ResultFiles#FORMAT_PARQUET_PARTS}, written today): the rows in
 *   order, cut into files of about {@value #PART_ROWS} rows, {@code rows-<generation>-00000.parquet},
 *   {@code -00001}, …; the summary keeps each part's row count. Columns are named {@code c0},
 *   {@code c1}, … in the files (the names a user sees are the summary's), so no user name is ever
 *   SQL text and none can hide DuckDB's {@code file_row_number} and {@code file_index}.</li>
 *   <li><b>One file</b> (format {@value ResultFiles#FORMAT_PARQUET}, written by the previous
 *   version): {@code rows-<generation>.parquet}, columns named as {@link StoredColumns#names}.</li>
 * </ul>
 *
 * <p>Why parts: DuckDB skips the row groups a page does not need by their statistics, but checks
 * every row group of a file to do so (about 40 µs each). A page of a 5,000,000-row single file
 * thus paid for 305 row groups; a page of a part pays for the sixteen of one part, whatever the
 * offset. Each part is one {@code COPY}, with a fixed cost of its own: parts of eight row groups
 * stored the 5,000,000-row benchmark result measurably slower than parts of sixteen, and paged no
 * faster. Parts are cut by Sluice as rows arrive (never by DuckDB's own file splitting, which does
 * not keep the rows' order across files).
 */
final class ParquetLayout {

    /**
     * Makes a stored file present on local disk before DuckDB reads it: nothing to do for the folder
     * store, a download into the local cache for the S3 store ({@link S3PartCache}).
     */
    @FunctionalInterface
    interface LocalFiles {
        LocalFiles PRESENT = file -> { };

        /** @throws java.nio.file.NoSuchFileException if the stored result no longer has the file */
        void ensure(Path file) throws java.io.IOException;
    }

    /** Rows per Parquet row group: one page decodes a group or two. */
    static final int ROW_GROUP_ROWS = 16_384;
    /** Rows per part, at least (an Arrow batch is never split): sixteen row groups. */
    static final long PART_ROWS = 16L * ROW_GROUP_ROWS;

    private final boolean parts;
    private final List<Path> files;
    private final long[] starts;
    private final List<String> names;
    private final LocalFiles local;

    private ParquetLayout(boolean parts, List<Path> files, long[] starts, List<String> names, LocalFiles local) {
        this.parts = parts;
        this.files = files;
        this.starts = starts;
        this.names = names;
        this.local = local;
    }

    /** The layout of the stored result {@code file} in {@code dir}, whose files are all there. */
    static ParquetLayout of(Path dir, SummaryFile file) {
        return of(dir, file, LocalFiles.PRESENT);
    }

    /** The layout of the stored result {@code file} in {@code dir}, whose files {@code local} brings there as they are read. */
    static ParquetLayout of(Path dir, SummaryFile file, LocalFiles local) {
        List<Path> files = fileNames(file).stream().map(dir::resolve).toList();
        if (file.format() == ResultFiles.FORMAT_PARQUET_PARTS) {
            List<Long> partRows = file.partRows() == null ? List.of() : file.partRows();
            long[] starts = new long[partRows.size() + 1];
            for (int k = 0; k < partRows.size(); k++) {
                starts[k + 1] = starts[k] + partRows.get(k);
            }
            if (files.isEmpty() || starts[files.size()] != file.rows()) {
                throw new IllegalStateException("result " + dir + " has parts of " + partRows + " rows for "
                        + file.rows() + " rows");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < file.columns().size(); i++) {
                names.add(physicalName(i));
            }
            return new ParquetLayout(true, files, starts, names, local);
        }
        return new ParquetLayout(false, files, new long[] {0, file.rows()}, StoredColumns.names(file.columns()), local);
    }

    /** The names of the data files of the Parquet result {@code file}, in row order. */
    static List<String> fileNames(SummaryFile file) {
        if (file.format() != ResultFiles.FORMAT_PARQUET_PARTS) {
            return List.of(singleFile(file.generation()));
        }
        int parts = file.partRows() == null ? 0 : file.partRows().size();
        List<String> names = new ArrayList<>(parts);
        for (int k = 0; k < parts; k++) {
            names.add(partFile(file.generation(), k));
        }
        return names;
    }

    /** The one file of a result of the previous version. */
    static String singleFile(UUID generation) {
        return "rows-" + generation + ".parquet";
    }

    /** Part {@code k} of a result: a replaced result never shares a file name with the one it replaced. */
    static String partFile(UUID generation, int k) {
        // as String.format("rows-%s-%05d.parquet"), without a format's parsing on every page's open
        String number = Integer.toString(k);
        return "rows-" + generation + "-" + "00000".substring(Math.min(5, number.length())) + number + ".parquet";
    }

    /** The name of column {@code i} in a part. */
    static String physicalName(int i) {
        return "c" + i;
    }

    /** The files' local paths, whether or not they are there yet (names for keys). */
    List<Path> files() {
        return files;
    }

    /** File {@code k}, made present locally. */
    Path file(int k) throws java.io.IOException {
        local.ensure(files.get(k));
        return files.get(k);
    }

    /** Every file, made present locally. */
    private void all() throws java.io.IOException {
        for (Path f : files) {
            local.ensure(f);
        }
    }

    /** The part holding row {@code row} (0 ≤ row &lt; rows). */
    int partOf(long row) {
        int k = Arrays.binarySearch(starts, 0, files.size(), row);
        return k >= 0 ? k : -k - 2;
    }

    /** The first row of part {@code k}. */
    long start(int k) {
        return starts[k];
    }

    /** The rows of part {@code k}. */
    long rows(int k) {
        return starts[k + 1] - starts[k];
    }

    /** Column {@code i} as SQL. */
    String column(int i) {
        return ResultDuck.identifier(names.get(i));
    }

    /** Part {@code k} as a table with {@code file_row_number}, the row's place in the part. */
    String part(int k) throws java.io.IOException {
        return "read_parquet(" + ResultDuck.literal(file(k)) + (parts ? ")" : ", file_row_number = true)");
    }

    /** The whole result as one table, its rows in stored order; {@code rowNumbers}: with {@link #rowOrder()}. */
    String source(boolean rowNumbers) throws java.io.IOException {
        all();
        if (!parts) {
            return rowNumbers ? part(0) : "read_parquet(" + ResultDuck.literal(files.get(0)) + ")";
        }
        StringBuilder list = new StringBuilder("read_parquet([");
        for (int k = 0; k < files.size(); k++) {
            list.append(k == 0 ? "" : ", ").append(ResultDuck.literal(files.get(k)));
        }
        return list.append("])").toString();
    }

    /** The columns of {@link #source(boolean) source(true)} that order its rows as stored. */
    String rowOrder() {
        return parts ? "file_index, file_row_number" : "file_row_number";
    }

    /** The total size of the files, in bytes. */
    static long size(List<Path> files) throws java.io.IOException {
        long bytes = 0;
        for (Path f : files) {
            bytes += java.nio.file.Files.size(f);
        }
        return bytes;
    }
}
