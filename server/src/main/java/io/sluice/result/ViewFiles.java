package io.sluice.result;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sorted and filtered views of large results, kept as Parquet files in the store's scratch folder,
 * so that a page deep into a view costs what a plain page costs instead of a sort of the whole
 * result.
 *
 * <p>The first page asked of a view of a result of at least {@value #MIN_ROWS} rows starts writing
 * the whole view, in its order, to a file, on one background thread. Until the file is written, a
 * page among the view's first {@value #TOP_N_ROWS} rows is answered by a query over the result
 * (DuckDB's top-N makes it cheap), and a deeper page waits for the file (up to
 * {@link #DEEP_PAGE_WAIT}; then, or if the write fails, it too queries the result). Pages asked once
 * the file is written read it by row number. A view file is the rows of one stored result (its data
 * files never change: a replaced result has new file names), so it never goes stale; the files of a
 * deleted or replaced result are deleted with it, the least recently used beyond {@value #MAX_VIEWS}
 * are deleted, and all of them when the store closes (or at the next start, with the scratch folder).
 */
final class ViewFiles implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ViewFiles.class);

    /** Results smaller than this are sorted per page: a few tens of milliseconds at most. */
    static final long MIN_ROWS = 100_000;
    /** View files kept at once. */
    static final int MAX_VIEWS = 8;

    /**
     * A page that ends within this many rows of a view's start is answered by a query over the
     * result while the view is written (DuckDB's top-N: tens of milliseconds); a deeper page, which
     * the result could only answer by sorting all its rows, the very work of the write, waits for
     * the view's file instead of doing that work a second time on the same cores.
     */
    static final long TOP_N_ROWS = 10_000;
    /** How long a deep page waits for its view's file before it sorts the result itself. */
    static final Duration DEEP_PAGE_WAIT = Duration.ofSeconds(30);

    /** A written view: its file (columns {@code c0}, {@code c1}, …) and its rows. */
    record Ready(Path file, long rows) {
    }

    /** Writes a view into {@code target} and answers its row count. */
    @FunctionalInterface
    interface Writer {
        long write(Path target) throws Exception;
    }

    private record Entry(String result, Path file, CompletableFuture<Ready> written) {
    }

    private final Path dir;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "result-views");
        t.setDaemon(true);
        return t;
    });
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    ViewFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * The written file of view {@code key} of the result in {@code result}, or null when it is not
     * written yet, in which case its writing starts (once).
     */
    synchronized Ready readyOrStart(String key, String result, Writer write) {
        Entry entry = entryOrStart(key, result, write);
        return entry == null ? null : entry.written().getNow(null);
    }

    /**
     * As {@link #readyOrStart}, but waits up to {@code wait} for the file to be written (see
     * {@link #TOP_N_ROWS}): null when the write failed or takes longer.
     */
    Ready awaitOrStart(String key, String result, Writer write, Duration wait) throws InterruptedIOException {
        Entry entry;
        synchronized (this) {
            entry = entryOrStart(key, result, write);
        }
        if (entry == null) {
            return null;
        }
        try {
            return entry.written().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null; // a failed write is forgotten, and tried again, at the view's next page
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a view of " + result);
        }
    }

    /** View {@code key}'s entry, its writing started if there was none; null (and forgotten) if its writing failed. */
    private Entry entryOrStart(String key, String result, Writer write) {
        Entry entry = entries.get(key);
        if (entry == null) {
            Path file = dir.resolve(UUID.randomUUID() + ".parquet");
            CompletableFuture<Ready> written = CompletableFuture.supplyAsync(() -> {
                try {
                    Files.createDirectories(dir);
                    long started = System.nanoTime();
                    long rows = write.write(file);
                    LOG.debug("view of {} written: {} rows in {} ms", result, rows, (System.nanoTime() - started) / 1_000_000);
                    return new Ready(file, rows);
                } catch (Exception e) {
                    LOG.info("writing a view of {} failed: {}", result, e.getMessage());
                    deleteQuietly(file);
                    throw new IllegalStateException(e);
                }
            }, writer);
            entry = new Entry(result, file, written);
            entries.put(key, entry);
            evict();
            return entry;
        }
        if (entry.written().isCompletedExceptionally()) {
            entries.remove(key); // tried again at the next page
            return null;
        }
        return entry;
    }

    /** The written file of view {@code key}, if any, without starting it. */
    synchronized Ready written(String key) {
        Entry entry = entries.get(key);
        return entry == null || entry.written().isCompletedExceptionally() ? null : entry.written().getNow(null);
    }

    /** Deletes the view files of the results whose folder is {@code result} or under it. */
    synchronized void forget(String result) {
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Entry e = it.next().getValue();
            if (e.result().equals(result) || e.result().startsWith(result + java.io.File.separator)) {
                it.remove();
                discard(e);
            }
        }
    }

    private void evict() {
        List<String> written = new ArrayList<>();
        entries.forEach((key, e) -> {
            if (e.written().isDone()) {
                written.add(key); // least recently used first
            }
        });
        for (int i = 0; entries.size() > MAX_VIEWS && i < written.size(); i++) {
            discard(entries.remove(written.get(i)));
        }
    }

    /** A view being written is deleted once written; a page reading a deleted file falls back to the result. */
    private static void discard(Entry e) {
        e.written().whenComplete((ready, failure) -> deleteQuietly(e.file()));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("deleting view file {}: {}", file, e.getMessage());
        }
    }

    /**
     * Stops the writer. Writes not yet done end as failed, so that a page waiting on one
     * ({@link #awaitOrStart}) goes on at once instead of waiting its time out.
     */
    @Override
    public synchronized void close() {
        writer.shutdownNow();
        for (Entry e : entries.values()) {
            e.written().completeExceptionally(new IllegalStateException("the result store closed"));
            discard(e);
        }
        entries.clear();
    }
}
