package io.sluice.result;
import io.sluice.engine.ResultLimits;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Results in a folder on local disk: the default store of a single Sluice instance.
 *
 * <h2>Layout</h2>
 * <pre>
 * &lt;root&gt;/
 *   .tmp/                       writes and deletions in progress, named {@code <instanceId>@...}; see {@link #sweepTemporary}
 *   &lt;queryId&gt;/&lt;run&gt;/            one published result (queryId: a lower-case UUID; run: 1, 2, ...)
 *     rows.jsonl                the rows (the row format, {@code results.format: "rows"})
 *     rows.idx                  the row index
 *     rows-&lt;generation&gt;-00000.parquet, -00001, ...   or the rows as Parquet parts (the default;
 *                               see {@link ParquetLayout}: format 3; format 2 had one file)
 *     rows-&lt;k&gt;.csv, rows-csv.idx  or Athena's CSV in parts and its row index, until converted to
 *                               Parquet parts (format 4; see {@link CsvPartsReader} and "Converting" below)
 *     summary.json              columns, row count, size
 * </pre>
 * The sections below describe the row format; the Parquet layout is {@link ParquetLayout}'s.
 *
 * <h2>{@code rows.jsonl}</h2>
 * One JSON array per row, each followed by {@code \n} (also the last), UTF-8. Values are
 * {@code null}, {@code true}/{@code false}, integers (Long), decimals (Double, as
 * {@link Double#toString}) and strings; NaN and the infinities are the strings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"}. Control characters in strings are escaped, so a raw
 * {@code \n} byte only ever ends a row (UTF-8 never uses byte 0x0A inside a multi-byte character).
 *
 * <h2>{@code rows.idx}</h2>
 * Big-endian. A 32-byte header: the 8 ASCII bytes {@code SLUICEIX}, int format version (1), int
 * stride K, then the 16-byte generation (a random UUID, most significant half first) that also
 * appears in {@code summary.json}. Then one long per K rows: the byte offset in {@code rows.jsonl}
 * of row 0, K, 2K, ... ({@code ceil(rows / K)} entries). A page at offset {@code o} reads entry
 * {@code o / K}, seeks there and skips {@code o % K} rows, so its cost does not depend on {@code o}.
 * K is {@link #DEFAULT_INDEX_STRIDE} (128) unless configured. Measured on 5,000,000 rows of 77
 * bytes ({@code io.sluice.bench.ResultPagingBenchmark}): the index is 312 KB (40 MB at K = 1), and
 * a 100-row page that must skip 127 rows takes 0.02 ms at p50, the same as K = 1; at K = 512 the
 * skip starts to show (0.04 ms). A skip is at most K - 1 rows, so even 4 KB rows cost well under
 * a millisecond.
 *
 * <h2>{@code summary.json}</h2>
 * {@code {"format":1,"generation":"<uuid>","columns":[{"name":..,"type":..}],"rows":N,"bytes":B,
 * "truncation":null}}, where {@code bytes} is the size of {@code rows.jsonl} and {@code truncation}
 * is {@code {"reason":"MAX_RESULT_ROWS"|"MAX_RESULT_BYTES","limit":L}} when the writer's
 * {@link ResultLimits} cut the result short. Files written before results had limits have no
 * {@code truncation}; they read as complete.
 *
 * <h2>Reading</h2>
 * Pages, single values and the CSV download scan {@code rows.jsonl} with {@link RowScanner}, which
 * copies at most the shown prefix of a long string and skips the rest: what a read holds in memory
 * is bounded by the {@link PageBudget} and a few buffers, whatever the size of a stored value.
 *
 * <h2>Writing and publishing</h2>
 * A writer ({@link ResultFileWriter}) streams into {@code .tmp/<instanceId>@<queryId>.<run>.<random>/}.
 * {@code publish()} (with fsync on) fsyncs the three files and the directory, then renames the directory to {@code <queryId>/<run>} atomically, then
 * fsyncs the parent: a result is visible whole or not at all, also after a crash.
 * <b>Publishing a run that already has a result replaces it</b> (a retried publish of the same run,
 * e.g. after a crash between publish and recording the query's end, must succeed): the old
 * directory is first renamed into {@code .tmp} (atomically invisible), the new one renamed into
 * place, then the old one deleted (in between, {@link #open} finds no result for an instant). A
 * reader opened on the replaced result fails with
 * {@link NoSuchFileException} on its next call, because each reader checks that the index it reads
 * carries the generation of the summary it was opened with; it never mixes the two results.
 *
 * <h2>Converting</h2>
 * An Athena result of more than one part is published as its CSV parts (format 4) the moment the
 * copy ends, then converted to Parquet parts on a background thread ({@link CsvConversions}) and
 * published in its place with the same generation, only if the result in place is still the CSV
 * form of that generation (checked and moved while holding the lock that deletes and other
 * publishes hold too): a conversion never brings back a deleted or replaced result. An operation
 * that needs Parquet waits for the conversion, or starts it for a result an earlier process left as
 * CSV; opening such a result starts it as well.
 *
 * <h2>Deleting</h2>
 * {@link #delete} renames the run's directory into {@code .tmp} (so it disappears at once) and
 * then deletes it; a reader racing it gets {@link NoSuchFileException}. Readers open files per call
 * and hold no handles in between.
 *
 * <p>Several Sluice instances may share the folder (on a shared filesystem): every name in
 * {@code .tmp} carries the instance id of its writer, and {@link #sweepTemporary} deletes only
 * this instance's leftovers (see {@link StagingArea}).
 */
public final class FolderResultStore implements ResultStore {

    /** Rows per index entry; see the class comment for the measurements behind it. */
    public static final int DEFAULT_INDEX_STRIDE = 128;

    static final String TEMP_DIR = ".tmp";

    /** Lower-case UUIDs only, so an id can never name a path outside its folder, nor two folders. */
    private static final Pattern QUERY_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int MOVE_ATTEMPTS = 5;

    private final Path root;
    private final StagingArea staging;
    private final int indexStride;
    private final boolean fsync;
    private final ReadChannels readChannels;
    private final PageBudget pageBudget;
    private final ResultFormat format;
    private final ResultDuck.Settings duckSettings;
    private ResultDuck duck;
    private final CsvConversions conversions = new CsvConversions(this);
    /** Held while a published result is put in place or removed: a conversion publishes only over the result it converted. */
    private final Object placing = new Object();

    /** Opens a result file for reading. */
    @FunctionalInterface
    interface ReadChannels {
        FileChannel open(Path file) throws IOException;
    }

    /** A store of its own instance (a fresh instance id) writing Parquet: tools and tests. */
    public FolderResultStore(Path root) throws IOException {
        this(root, newInstanceId(), ResultFormat.PARQUET, DEFAULT_INDEX_STRIDE, true, PageBudget.DEFAULT, ResultDuck.Settings.DEFAULT);
    }

    /**
     * The store of Sluice instance {@code instanceId} writing new results in {@code format}.
     *
     * @param indexStride rows per index entry (K) of the row format
     */
    public FolderResultStore(Path root, String instanceId, ResultFormat format, int indexStride, boolean fsync,
                             PageBudget pageBudget, int duckThreads, String duckMemoryLimit) throws IOException {
        this(root, instanceId, format, indexStride, fsync, pageBudget, new ResultDuck.Settings(duckThreads, duckMemoryLimit));
    }

    private FolderResultStore(Path root, String instanceId, ResultFormat format, int indexStride, boolean fsync,
                              PageBudget pageBudget, ResultDuck.Settings duckSettings) throws IOException {
        this(root, instanceId, format, indexStride, fsync, pageBudget, duckSettings,
                file -> FileChannel.open(file, StandardOpenOption.READ));
    }

    /** A store writing the row format. @param indexStride rows per index entry (K); tests and the benchmark vary it */
    public FolderResultStore(Path root, int indexStride) throws IOException {
        this(root, indexStride, true);
    }

    /**
     * @param indexStride rows per index entry (K)
     * @param fsync       sync files and directories to the disk before and after publishing. The
     *                    atomic rename alone keeps results whole through a crash of the process;
     *                    fsync also keeps them through a crash of the machine, for a few ms a query
     */
    public FolderResultStore(Path root, int indexStride, boolean fsync) throws IOException {
        this(root, indexStride, fsync, PageBudget.DEFAULT);
    }

    /** As above, with what one page may cost. */
    public FolderResultStore(Path root, int indexStride, boolean fsync, PageBudget pageBudget) throws IOException {
        this(root, newInstanceId(), indexStride, fsync, pageBudget);
    }

    /**
     * The store of Sluice instance {@code instanceId}, which names its temporary files (several
     * instances may share the folder).
     */
    public FolderResultStore(Path root, String instanceId, int indexStride, boolean fsync, PageBudget pageBudget)
            throws IOException {
        this(root, instanceId, indexStride, fsync, pageBudget, file -> FileChannel.open(file, StandardOpenOption.READ));
    }

    /** As above, with the way readers open files for reading (a test counts what a page reads). */
    FolderResultStore(Path root, int indexStride, boolean fsync, ReadChannels readChannels) throws IOException {
        this(root, newInstanceId(), indexStride, fsync, PageBudget.DEFAULT, readChannels);
    }

    FolderResultStore(Path root, String instanceId, int indexStride, boolean fsync, PageBudget pageBudget,
                      ReadChannels readChannels) throws IOException {
        this(root, instanceId, ResultFormat.ROWS, indexStride, fsync, pageBudget, ResultDuck.Settings.DEFAULT, readChannels);
    }

    private FolderResultStore(Path root, String instanceId, ResultFormat format, int indexStride, boolean fsync,
                              PageBudget pageBudget, ResultDuck.Settings duckSettings, ReadChannels readChannels)
            throws IOException {
        if (indexStride < 1) {
            throw new IllegalArgumentException("indexStride must be >= 1");
        }
        this.root = root.toAbsolutePath().normalize();
        this.indexStride = indexStride;
        this.fsync = fsync;
        this.readChannels = readChannels;
        this.pageBudget = Objects.requireNonNull(pageBudget, "pageBudget");
        this.staging = new StagingArea(this.root.resolve(TEMP_DIR), instanceId);
        this.format = Objects.requireNonNull(format, "format");
        this.duckSettings = duckSettings;
    }

    /** The store's DuckDB, opened at its first use (a store that only reads the row format never needs it). */
    synchronized ResultDuck duck() {
        if (duck == null) {
            duck = ResultDuck.open(root, staging.scratch("duckdb"), duckSettings);
        }
        return duck;
    }

    public ResultFormat format() {
        return format;
    }

    /** Off: results published as CSV are converted only when an operation needs it (tests read the CSV form). */
    void convertAfterPublish(boolean on) {
        conversions.convertAfterPublish(on);
    }

    /**
     * How long a sort, filter or aggregate of a result published as CSV waits for its conversion
     * before it is refused with {@link ResultConverting} ({@code results.conversionWaitSeconds}).
     */
    void conversionWait(Duration wait) {
        conversions.conversionWait(wait);
    }

    /** Conversions of results published as CSV started so far (tests). */
    int conversionsStarted() {
        return conversions.started();
    }

    /** An instance id for a store made without one: its own, so that it sweeps only its own files. */
    static String newInstanceId() {
        return "store-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public Path root() {
        return root;
    }

    public int indexStride() {
        return indexStride;
    }

    public PageBudget pageBudget() {
        return pageBudget;
    }

    @Override
    public ResultWriter create(String queryId, int run, ResultLimits limits) throws IOException {
        Path target = runDir(queryId, run);
        Objects.requireNonNull(limits);
        Path dir = staging.newWrite(queryId, run);
        ResultStaging publishing = new ResultStaging() {
            @Override
            public void publish(Path written, SummaryFile summary) throws IOException {
                moveIntoPlace(written, target);
                forgetViews(target); // of the result this one replaced
            }

            @Override
            public void discard(Path written) {
                staging.discard(written);
            }

            @Override
            public void convertLater(SummaryFile summary) {
                conversions.start(queryId, run, summary.generation());
            }
        };
        try {
            if (format == ResultFormat.PARQUET) {
                return new ParquetResultWriter(publishing, dir, duck(), fsync, limits, true, UUID.randomUUID());
            }
            return new ResultFileWriter(publishing, dir, fsync, indexStride, limits);
        } catch (IOException | RuntimeException e) {
            staging.discard(dir);
            throw e;
        }
    }

    @Override
    public Optional<ResultReader> open(String queryId, int run) throws IOException {
        Path dir = runDir(queryId, run);
        SummaryFile file = summaryOf(dir);
        if (file == null) {
            return Optional.empty();
        }
        if (file.csvParts()) {
            // left as CSV by an earlier process (a crash before its conversion): converted now; a no-op when under way
            conversions.start(queryId, run, file.generation());
            return Optional.of(new CsvPartsReader(dir, file, pageBudget, conversions.of(queryId, run, file.generation())));
        }
        if (file.parquet()) {
            return Optional.of(new ParquetResultReader(dir.toString(), dir, file, pageBudget, duck()));
        }
        return Optional.of(new ResultFileReader(dir.toString(), file, pageBudget, () -> openFiles(dir)));
    }

    /**
     * Returns once run {@code run}'s result, if it was published as Athena's CSV, is converted to
     * Parquet (waiting for the conversion under way, or converting it now).
     *
     * @throws ResultOperationUnsupported when it could not be converted
     */
    public void awaitConverted(String queryId, int run) throws IOException {
        SummaryFile file = summaryOf(runDir(queryId, run));
        if (file != null && file.csvParts()) {
            conversions.converted(queryId, run, file.generation());
        }
    }

    /** A staging directory for a conversion's write of run {@code run}. */
    Path newConversionDir(String queryId, int run) throws IOException {
        return staging.newWrite(queryId, run);
    }

    /**
     * Puts the written directory {@code written} in place of run {@code run}'s result if that is
     * still the result of generation {@code generation}; otherwise (replaced or deleted meanwhile)
     * discards it.
     */
    void publishIfCurrent(Path written, String queryId, int run, UUID generation) throws IOException {
        Path target = runDir(queryId, run);
        synchronized (placing) {
            SummaryFile now = summaryOf(target);
            if (now == null || !now.generation().equals(generation)) {
                staging.discard(written);
                return;
            }
            moveIntoPlace(written, target);
        }
        forgetViews(target);
    }

    void discard(Path dir) {
        staging.discard(dir);
    }

    boolean fsync() {
        return fsync;
    }

    /**
     * The summary of the result in {@code dir}, or null when there is none. A result being replaced
     * by this instance is missing for an instant (see "Publishing" above): a missing summary is read
     * again once that is over, so that a result converted from CSV never seems gone to a reader.
     */
    SummaryFile summaryOf(Path dir) throws IOException {
        try {
            return ResultFiles.readSummary(Files.readAllBytes(dir.resolve(ResultFiles.SUMMARY_FILE)), dir.toString());
        } catch (NoSuchFileException e) {
            synchronized (placing) {
                try {
                    return ResultFiles.readSummary(Files.readAllBytes(dir.resolve(ResultFiles.SUMMARY_FILE)), dir.toString());
                } catch (NoSuchFileException gone) {
                    return null;
                }
            }
        }
    }

    /** The data file first, the index second: see {@link ResultFileReader} for why that order is safe. */
    private ResultFileReader.Access openFiles(Path dir) throws IOException {
        FileChannel data = readChannels.open(dir.resolve(ResultFiles.DATA_FILE));
        try {
            FileChannel index = readChannels.open(dir.resolve(ResultFiles.INDEX_FILE));
            return new ResultFileReader.Access(data::read, index::read, () -> {
                try (data; index) {
                    // both closed, index first
                }
            });
        } catch (IOException | RuntimeException e) {
            data.close();
            throw e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The source's files are hard-linked into a staging directory (copied where the filesystem
     * cannot link), which is then published like a written result. Published files are never
     * changed in place, so a link is as good as a copy, and deleting the source only drops its links.
     */
    @Override
    public boolean copy(String fromQueryId, int fromRun, String toQueryId, int toRun) throws IOException {
        Path source = runDir(fromQueryId, fromRun);
        Path target = runDir(toQueryId, toRun);
        Path dir = staging.newWrite(toQueryId, toRun);
        try {
            if (!linkAll(source, dir)) {
                staging.discard(dir);
                return false;
            }
            moveIntoPlace(dir, target);
            forgetViews(target);
            return true;
        } catch (IOException | RuntimeException e) {
            staging.discard(dir);
            throw e;
        }
    }

    /**
     * Links (or copies) every file of the published result {@code source} into {@code dir}, the
     * summary last; false when there is no published result (or it went while being linked).
     */
    private boolean linkAll(Path source, Path dir) throws IOException {
        java.util.List<Path> files;
        try (java.util.stream.Stream<Path> listed = Files.list(source)) {
            files = listed.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals(ResultFiles.SUMMARY_FILE)).toList();
        } catch (NoSuchFileException e) {
            return false;
        }
        try {
            for (Path file : files) {
                link(file, dir.resolve(file.getFileName().toString()));
            }
            link(source.resolve(ResultFiles.SUMMARY_FILE), dir.resolve(ResultFiles.SUMMARY_FILE));
        } catch (NoSuchFileException e) {
            return false;
        }
        return true;
    }

    private static void link(Path existing, Path link) throws IOException {
        try {
            Files.createLink(link, existing);
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof NoSuchFileException missing) {
                throw missing;
            }
            Files.copy(existing, link, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    @Override
    public void delete(String queryId, int run) throws IOException {
        Path dir = runDir(queryId, run);
        synchronized (placing) {
            remove(dir);
        }
        forgetViews(dir);
        removeIfEmpty(dir.getParent());
    }

    /** Removes every run of a query. Idempotent. */
    public void deleteAll(String queryId) throws IOException {
        Path dir = root.resolve(checkQueryId(queryId));
        synchronized (placing) {
            remove(dir);
        }
        forgetViews(dir);
    }

    /** Deletes the written views ({@link ViewFiles}) of the results in {@code dir}. */
    private synchronized void forgetViews(Path dir) {
        if (duck != null) {
            duck.views().forget(dir.toString());
        }
    }

    @Override
    public int sweepTemporary() throws IOException {
        return staging.sweep();
    }

    @Override
    public synchronized void close() {
        conversions.close();
        if (duck != null) {
            duck.close();
            duck = null;
        }
    }

    /** Moves a fully written and synced directory to {@code target}, replacing what is there. */
    private void moveIntoPlace(Path dir, Path target) throws IOException {
        synchronized (placing) {
            moveIntoPlaceHeld(dir, target);
        }
    }

    private void moveIntoPlaceHeld(Path dir, Path target) throws IOException {
        Path parent = target.getParent();
        if (fsync) {
            fsyncDirectory(dir);
        }
        for (int attempt = 1; ; attempt++) {
            Files.createDirectories(parent);
            if (Files.exists(target)) {
                remove(target);
            }
            try {
                Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
                break;
            } catch (FileSystemException e) {
                // The parent was just removed by a delete, or a concurrent publish of the same run
                // got there first: try again, a bounded number of times.
                if (attempt >= MOVE_ATTEMPTS || !Files.isDirectory(dir)) {
                    throw e;
                }
            }
        }
        staging.published(dir);
        if (fsync) {
            fsyncDirectory(parent);
            fsyncDirectory(root);
        }
    }

    // ---- helpers

    Path runDir(String queryId, int run) {
        if (run < 1) {
            throw new IllegalArgumentException("run must be >= 1, was " + run);
        }
        Path dir = root.resolve(checkQueryId(queryId)).resolve(Integer.toString(run));
        if (!dir.startsWith(root) || dir.getNameCount() != root.getNameCount() + 2) {
            throw new IllegalArgumentException("result path escapes the results folder");
        }
        return dir;
    }

    private static String checkQueryId(String queryId) {
        if (queryId == null || queryId.length() != 36 || !QUERY_ID.matcher(queryId).matches()) {
            throw new IllegalArgumentException("queryId must be a lower-case UUID");
        }
        return queryId;
    }

    /** Renames {@code dir} into {@code .tmp} (it disappears at once), then deletes it. */
    private void remove(Path dir) throws IOException {
        Path trash = staging.newTrash();
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        }
        StagingArea.deleteTree(trash);
    }

    private static void removeIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty (another run is there or being published): keep it
        }
    }

    /** Makes a rename inside {@code dir} durable. Not every platform can sync a directory. */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // e.g. Windows: directories cannot be opened; the rename itself is still atomic
        }
    }
}
