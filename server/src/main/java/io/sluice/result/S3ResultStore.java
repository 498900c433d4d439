package io.sluice.result;

import io.sluice.aws.S3Location;
import io.sluice.engine.ResultLimits;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Results in S3 (or an S3-compatible server), shared by every Sluice instance that names the same
 * location: a result written by one is read by all. The same files as {@link FolderResultStore},
 * byte for byte, as objects:
 *
 * <pre>
 * &lt;prefix&gt;&lt;queryId&gt;/&lt;run&gt;/summary.json                 the published result: columns, rows, size, generation
 * &lt;prefix&gt;&lt;queryId&gt;/&lt;run&gt;/&lt;generation&gt;/rows-&lt;generation&gt;-00000.parquet, …   the rows as Parquet parts (the default)
 * &lt;prefix&gt;&lt;queryId&gt;/&lt;run&gt;/&lt;generation&gt;/rows.jsonl      or the rows in the row format,
 * &lt;prefix&gt;&lt;queryId&gt;/&lt;run&gt;/&lt;generation&gt;/rows.idx        with its row index
 * </pre>
 *
 * <h2>Writing and publishing</h2>
 * A writer ({@link ParquetResultWriter}, or {@link ResultFileWriter} for the row format) writes to a
 * staging folder on this instance's local disk (never into memory). {@code publish()} uploads the
 * data files under the result's generation (a multipart upload for large files, see
 * {@link S3Upload}) and puts {@code summary.json} last: a result is visible exactly when its summary
 * exists, and a PUT is atomic, so a reader sees it whole or not at all. A failed publish deletes
 * what it uploaded; a crash leaves at most objects no summary names (invisible; {@link #delete}
 * removes them with the run). Publishing a run again writes a new generation, replaces the summary,
 * then deletes the old generation's objects: a reader opened on the replaced result fails with
 * {@link NoSuchFileException} and never mixes the two.
 *
 * <h2>Reading</h2>
 * {@link #open} reads the summary. Parquet parts are read by the store's own DuckDB from local
 * copies ({@link S3PartCache}): the uploaded parts stay on the instance that wrote them, and another
 * instance downloads a part the first time a read needs it. A reader of the row format reads the row
 * index object once (32 bytes plus 8 per {@code stride} rows) and then each page, value or download
 * from ranged GETs of the data object ({@link S3RangeSource}). Either way a page's cost does not
 * depend on its position.
 *
 * <h2>Deleting</h2>
 * {@link #delete} deletes the summary first (the result disappears at once), then this instance's
 * local copies, then every object under the run's prefix, leftovers of crashed publishes included.
 *
 * <p>The staging folder may be shared by several instances on one machine: {@link #sweepTemporary}
 * removes only this instance's leftovers (its local copies of results among them).
 */
public final class S3ResultStore implements ResultStore {

    /** Part size of multipart uploads; files up to it go up in one PUT. */
    public static final long DEFAULT_PART_BYTES = 16L * 1024 * 1024;
    /** Local copies of Parquet parts kept at most, unless configured ({@code results.s3CacheMb}). */
    public static final long DEFAULT_CACHE_BYTES = 4L * 1024 * 1024 * 1024;
    /** The largest object S3 copies in one CopyObject call (5 GB). */
    static final long MAX_SINGLE_COPY_BYTES = 5L * 1024 * 1024 * 1024;

    private static final Pattern QUERY_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final StagingArea staging;
    private final int indexStride;
    private final PageBudget pageBudget;
    private final long partBytes;
    private final ResultFormat format;
    private final ResultDuck.Settings duckSettings;
    private final S3PartCache cache;
    private ResultDuck duck;

    /**
     * @param location  {@code s3://bucket/prefix/} (the prefix may be empty)
     * @param stagingDir local folder where writers stream results before uploading them
     * @param instanceId this instance, which names its staging files
     * @param partBytes  multipart part size, at least {@link S3Upload#MIN_PART_BYTES}
     */
    public S3ResultStore(S3Client s3, S3Location location, Path stagingDir, String instanceId, int indexStride,
                         PageBudget pageBudget, long partBytes) throws IOException {
        this(s3, location, stagingDir, instanceId, indexStride, pageBudget, partBytes, ResultFormat.ROWS,
                ResultDuck.Settings.DEFAULT, DEFAULT_CACHE_BYTES);
    }

    /**
     * A store writing {@code format}; Parquet results are read by a DuckDB of {@code duckSettings}
     * from local copies of at most {@code cacheBytes} ({@link S3PartCache}) in the staging folder.
     */
    S3ResultStore(S3Client s3, S3Location location, Path stagingDir, String instanceId, int indexStride,
                  PageBudget pageBudget, long partBytes, ResultFormat format,
                  ResultDuck.Settings duckSettings, long cacheBytes) throws IOException {
        if (indexStride < 1) {
            throw new IllegalArgumentException("indexStride must be >= 1");
        }
        if (partBytes < S3Upload.MIN_PART_BYTES) {
            throw new IllegalArgumentException("partBytes must be >= " + S3Upload.MIN_PART_BYTES);
        }
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = location.bucket();
        this.prefix = location.key().isEmpty() || location.key().endsWith("/") ? location.key() : location.key() + "/";
        this.staging = new StagingArea(stagingDir.toAbsolutePath().normalize(), instanceId);
        this.indexStride = indexStride;
        this.pageBudget = Objects.requireNonNull(pageBudget, "pageBudget");
        this.partBytes = partBytes;
        this.format = Objects.requireNonNull(format, "format");
        this.duckSettings = Objects.requireNonNull(duckSettings, "duckSettings");
        this.cache = new S3PartCache(s3, bucket, staging.scratch("s3-cache"), cacheBytes);
    }

    /** The store's DuckDB, opened at its first use, reading and writing in the staging folder only. */
    private synchronized ResultDuck duck() {
        if (duck == null) {
            duck = ResultDuck.open(staging.dir(), staging.scratch("duckdb"), duckSettings);
        }
        return duck;
    }

    @Override
    public ResultWriter create(String queryId, int run, ResultLimits limits) throws IOException {
        String runPrefix = runPrefix(queryId, run);
        Objects.requireNonNull(limits);
        Path dir = staging.newWrite(queryId, run);
        ResultStaging publishing = new ResultStaging() {
            @Override
            public void publish(Path written, SummaryFile summary) throws IOException {
                upload(written, queryId, run, summary);
            }

            @Override
            public void discard(Path written) {
                staging.discard(written);
            }
        };
        try {
            if (format == ResultFormat.PARQUET) {
                return new ParquetResultWriter(publishing, dir, duck(), false, limits);
            }
            return new ResultFileWriter(publishing, dir, false, indexStride, limits);
        } catch (IOException | RuntimeException e) {
            staging.discard(dir);
            throw e;
        }
    }

    @Override
    public Optional<ResultReader> open(String queryId, int run) throws IOException {
        String runPrefix = runPrefix(queryId, run);
        Optional<SummaryFile> file = summary(runPrefix);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String generationPrefix = runPrefix + file.get().generation() + "/";
        if (file.get().parquet()) {
            Path dir = cache.dir(queryId, run, file.get().generation());
            return Optional.of(new ParquetResultReader(uri(runPrefix), dir, file.get(), pageBudget, duck(),
                    cache.files(dir, generationPrefix)));
        }
        S3ResultFiles files = new S3ResultFiles(s3, bucket, generationPrefix + ResultFiles.DATA_FILE,
                generationPrefix + ResultFiles.INDEX_FILE, file.get().bytes());
        return Optional.of(new ResultFileReader(uri(runPrefix), file.get(), pageBudget, files));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Server-side copies (CopyObject; no bytes pass through Sluice) of the data and the index
     * under a new generation, then the summary, last, as a publish does. Objects larger than
     * {@link #MAX_SINGLE_COPY_BYTES} are copied in parts (UploadPartCopy).
     */
    @Override
    public boolean copy(String fromQueryId, int fromRun, String toQueryId, int toRun) throws IOException {
        String from = runPrefix(fromQueryId, fromRun);
        String to = runPrefix(toQueryId, toRun);
        Optional<SummaryFile> source = summary(from);
        if (source.isEmpty()) {
            return false;
        }
        UUID generation = source.get().generation();
        String fromGeneration = from + generation + "/";
        String toGeneration = to + generation + "/";
        try {
            Optional<UUID> replaced = summary(to).map(SummaryFile::generation);
            for (String file : dataFiles(source.get())) {
                S3Upload.copy(s3, bucket, fromGeneration + file, toGeneration + file, MAX_SINGLE_COPY_BYTES, partBytes);
            }
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from + ResultFiles.SUMMARY_FILE)
                    .destinationBucket(bucket).destinationKey(to + ResultFiles.SUMMARY_FILE));
            replaced.filter(old -> !old.equals(generation)).ifPresent(old -> {
                cache.drop(toQueryId, toRun, old);
                deleteQuietly(to + old + "/");
            });
            return true;
        } catch (SdkException e) {
            deleteQuietly(toGeneration);
            if (e instanceof S3Exception s && s.statusCode() == 404) {
                return false; // the source was deleted while being copied
            }
            throw new IOException("copying " + uri(from) + " to " + uri(to) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String queryId, int run) throws IOException {
        String runPrefix = runPrefix(queryId, run);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(runPrefix + ResultFiles.SUMMARY_FILE));
            cache.drop(queryId, run);
            deleteUnder(runPrefix);
        } catch (SdkException e) {
            throw new IOException("deleting " + uri(runPrefix) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int sweepTemporary() throws IOException {
        return staging.sweep();
    }

    /**
     * Checks at start-up that the location can be listed (what {@link #delete} needs besides
     * {@code s3:GetObject}, {@code s3:PutObject} and {@code s3:DeleteObject}).
     *
     * @throws IllegalStateException naming the location and what S3 answered
     */
    public void check() {
        try {
            s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1));
        } catch (SdkException e) {
            throw new IllegalStateException("results.s3Location " + uri(prefix) + " is not usable: " + e.getMessage(), e);
        }
    }

    public PageBudget pageBudget() {
        return pageBudget;
    }

    @Override
    public synchronized void close() {
        if (duck != null) {
            duck.close();
        }
        s3.close();
    }

    /** The objects of a result besides its summary, in upload order: the rows and the index, or the Parquet parts. */
    private static List<String> dataFiles(SummaryFile summary) {
        return summary.parquet() ? ParquetLayout.fileNames(summary) : List.of(ResultFiles.DATA_FILE, ResultFiles.INDEX_FILE);
    }

    /**
     * The data first, the summary last; then the replaced generation, if any, goes. Parquet parts
     * stay on this instance as the result's local copy.
     */
    private void upload(Path dir, String queryId, int run, SummaryFile summary) throws IOException {
        String runPrefix = runPrefix(queryId, run);
        String generationPrefix = runPrefix + summary.generation() + "/";
        Optional<UUID> replaced;
        List<String> files = dataFiles(summary);
        try {
            replaced = summary(runPrefix).map(SummaryFile::generation);
            for (String file : files) {
                S3Upload.upload(s3, bucket, generationPrefix + file, dir.resolve(file), partBytes);
            }
            byte[] summaryBytes = Files.readAllBytes(dir.resolve(ResultFiles.SUMMARY_FILE));
            s3.putObject(b -> b.bucket(bucket).key(runPrefix + ResultFiles.SUMMARY_FILE)
                    .contentType("application/json"), RequestBody.fromBytes(summaryBytes));
        } catch (SdkException | IOException e) {
            deleteQuietly(generationPrefix);
            throw e instanceof IOException io ? io
                    : new IOException("publishing " + uri(runPrefix) + " failed: " + e.getMessage(), e);
        }
        if (summary.parquet()) {
            cache.adopt(dir, files, cache.dir(queryId, run, summary.generation()));
        }
        staging.discard(dir);
        replaced.filter(old -> !old.equals(summary.generation())).ifPresent(old -> {
            cache.drop(queryId, run, old);
            deleteQuietly(runPrefix + old + "/");
        });
    }

    private Optional<SummaryFile> summary(String runPrefix) throws IOException {
        byte[] bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(runPrefix + ResultFiles.SUMMARY_FILE))
                    .asByteArray();
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("reading " + uri(runPrefix) + ResultFiles.SUMMARY_FILE + " failed: "
                    + e.getMessage(), e);
        }
        return Optional.of(ResultFiles.readSummary(bytes, uri(runPrefix)));
    }

    private void deleteUnder(String keyPrefix) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(keyPrefix)).contents().stream()
                .map(S3Object::key).forEach(keys::add);
        for (String key : keys) {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        }
    }

    private void deleteQuietly(String keyPrefix) {
        try {
            deleteUnder(keyPrefix);
        } catch (SdkException e) {
            // invisible without a summary naming it; removed with the run by delete()
        }
    }

    private String runPrefix(String queryId, int run) {
        if (run < 1) {
            throw new IllegalArgumentException("run must be >= 1, was " + run);
        }
        if (queryId == null || !QUERY_ID.matcher(queryId).matches()) {
            throw new IllegalArgumentException("queryId must be a lower-case UUID");
        }
        return prefix + queryId + "/" + run + "/";
    }

    private String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
