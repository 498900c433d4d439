package io.sluice.result;

import io.sluice.engine.ResultLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A folder store's conversions of results published as Athena's CSV ({@link ResultFiles#FORMAT_CSV_PARTS})
 * into Parquet parts, one at a time on a background thread (a conversion uses
 * {@link CsvParquetParts#CONVERTERS} threads of its own). A result is converted at most once at a
 * time: asking again while it is converted waits for that conversion. The Parquet parts carry the CSV
 * form's generation (it is the same result in another form) and are put in its place only if it is
 * still there ({@link FolderResultStore#publishIfCurrent}): a conversion never brings back a result
 * deleted or replaced while it ran. A conversion interrupted (the store closed, the process killed)
 * leaves the result published as CSV, converted again when next opened.
 */
final class CsvConversions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CsvConversions.class);

    private final FolderResultStore store;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "result-conversion");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Future<?>> running = new ConcurrentHashMap<>();
    /**
     * The generation whose conversion failed, per result: not tried again by this process (every
     * page of such a result would otherwise start another conversion that fails the same way).
     */
    private final Map<String, UUID> failed = new ConcurrentHashMap<>();
    /** Conversions started so far (tests). */
    private final AtomicInteger started = new AtomicInteger();
    /** Whether a result is converted as soon as it is published or opened (tests turn it off to read the CSV form). */
    private volatile boolean convertAfterPublish = true;
    /** How long a request someone waits on waits for a conversion ({@link CsvPartsReader.Conversion#convertedSoon}). */
    private volatile Duration wait = Duration.ofSeconds(30);

    CsvConversions(FolderResultStore store) {
        this.store = store;
    }

    void convertAfterPublish(boolean on) {
        convertAfterPublish = on;
    }

    void conversionWait(Duration wait) {
        this.wait = wait;
    }

    /** Starts converting run {@code run}'s CSV of generation {@code generation}, unless under way (or turned off). */
    void start(String queryId, int run, UUID generation) {
        if (convertAfterPublish) {
            submit(queryId, run, generation);
        }
    }

    /**
     * Run {@code run}'s result once converted from the CSV of generation {@code generation}:
     * converts it now unless a conversion is under way, or waits for that one.
     *
     * @throws ResultOperationUnsupported when it could not be converted (it stays readable as CSV)
     * @throws NoSuchFileException        when the result is gone, or was replaced by another
     */
    ResultReader converted(String queryId, int run, UUID generation) throws IOException {
        return converted(queryId, run, generation, null);
    }

    /**
     * As {@link #converted(String, int, UUID)}, waiting at most {@code wait} (null: as long as it
     * takes) for a conversion under way.
     *
     * @throws ResultConverting when the conversion goes on longer
     */
    ResultReader converted(String queryId, int run, UUID generation, Duration wait) throws IOException {
        try {
            Future<?> conversion = submit(queryId, run, generation);
            if (wait == null) {
                conversion.get();
            } else {
                conversion.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            throw new ResultConverting(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a result was converted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException io ? io.getCause() : e.getCause();
            if (cause instanceof NoSuchFileException gone) {
                throw gone;
            }
            throw new ResultOperationUnsupported("this operation (the result could not be converted: " + cause.getMessage() + ")");
        }
        Path dir = store.runDir(queryId, run);
        SummaryFile now = store.summaryOf(dir);
        if (now == null || !now.generation().equals(generation)) {
            // deleted, or replaced by another result: never answer with another result's rows
            throw new NoSuchFileException(dir.toString(), null, "the result was replaced or deleted");
        }
        if (!now.parquet()) {
            throw new ResultOperationUnsupported("this operation (the result was not converted)");
        }
        return store.open(queryId, run).orElseThrow(() -> new NoSuchFileException(dir.toString()));
    }

    /** Run {@code run}'s conversion from the CSV of generation {@code generation}, as its reader sees it. */
    CsvPartsReader.Conversion of(String queryId, int run, UUID generation) {
        return new CsvPartsReader.Conversion() {
            @Override
            public ResultReader converted() throws IOException {
                return CsvConversions.this.converted(queryId, run, generation);
            }

            @Override
            public ResultReader convertedSoon() throws IOException {
                return CsvConversions.this.converted(queryId, run, generation, wait);
            }

            @Override
            public boolean failed() {
                return generation.equals(failed.get(key(queryId, run)));
            }
        };
    }

    private static String key(String queryId, int run) {
        return queryId + "/" + run;
    }

    private Future<?> submit(String queryId, int run, UUID generation) {
        String key = key(queryId, run);
        if (generation.equals(failed.get(key))) {
            return CompletableFuture.failedFuture(new IOException("its conversion failed before"));
        }
        try {
            return running.computeIfAbsent(key, k -> executor.submit(() -> {
                started.incrementAndGet();
                try {
                    convert(queryId, run, generation);
                    return null;
                } catch (IOException | RuntimeException e) {
                    if (!(e instanceof NoSuchFileException) && !Thread.currentThread().isInterrupted()) {
                        failed.put(k, generation);
                    }
                    LOG.warn("converting result {} to Parquet failed; it stays readable as CSV: {}", k, e.toString());
                    throw e;
                } finally {
                    running.remove(k);
                }
            }));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException("the result store is closed", e)); // stays CSV
        }
    }

    /**
     * Converts the result, unless it is no longer the CSV of {@code generation}. Its parts are read
     * again as the download was (records counted, no value parsed in Java) by the writer that
     * converts a download, all opened first so that a deletion meanwhile cannot cut the read short.
     */
    private void convert(String queryId, int run, UUID generation) throws IOException {
        Path target = store.runDir(queryId, run);
        SummaryFile csv = store.summaryOf(target);
        if (csv == null || !csv.csvParts() || !csv.generation().equals(generation)) {
            return; // converted, replaced or deleted already
        }
        ResultStaging ifCurrent = new ResultStaging() {
            @Override
            public void publish(Path written, SummaryFile summary) throws IOException {
                store.publishIfCurrent(written, queryId, run, generation);
            }

            @Override
            public void discard(Path written) {
                store.discard(written);
            }
        };
        long started = System.nanoTime();
        List<FileChannel> parts = new ArrayList<>();
        Path dir = store.newConversionDir(queryId, run);
        try (ParquetResultWriter writer = new ParquetResultWriter(ifCurrent, dir, store.duck(), store.fsync(),
                ResultLimits.NONE, false, generation)) {
            for (int k = 0; k < csv.partRows().size(); k++) {
                parts.add(FileChannel.open(target.resolve(CsvParquetParts.csvPartName(k)), StandardOpenOption.READ));
            }
            List<InputStream> streams = parts.stream().map(Channels::newInputStream).toList();
            writer.athenaCsv(csv.columns(), new SequenceInputStream(Collections.enumeration(streams)));
            writer.truncated(csv.truncation());
            writer.publish();
        } finally {
            for (FileChannel part : parts) {
                part.close();
            }
        }
        LOG.info("result {} run {} converted to Parquet: {} rows in {} ms", queryId, run, csv.rows(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Conversions started so far (tests). */
    int started() {
        return started.get();
    }

    /** Stops: a conversion under way is interrupted; its result stays published as CSV. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
