package io.sluice.result;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * A store's conversions of results published as CSV into Parquet, one at a time on a background
 * thread (a conversion uses {@link CsvParquetParts#CONVERTERS} threads of its own). A result is
 * converted at most once at a time: asking again while it is converted waits for that conversion.
 */
final class ResultConversions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultConversions.class);

    /** One conversion. */
    @FunctionalInterface
    interface Job {
        void run() throws IOException;
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "result-conversion");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Future<?>> running = new ConcurrentHashMap<>();

    /** Starts converting {@code key} with {@code job} unless it is being converted already. */
    Future<?> start(String key, Job job) {
        try {
            return submit(key, job);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException("the result store is closed", e)); // stays CSV
        }
    }

    private Future<?> submit(String key, Job job) {
        return running.computeIfAbsent(key, k -> executor.submit(() -> {
            try {
                job.run();
                return null;
            } catch (IOException | RuntimeException e) {
                LOG.warn("converting result {} to Parquet failed: {}", k, e.toString());
                throw e;
            } finally {
                running.remove(k);
            }
        }));
    }

    /** Converts {@code key} (or waits for its conversion under way) and returns when it has ended. */
    void await(String key, Job job) throws IOException {
        try {
            start(key, job).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a result was converted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IOException("converting the result failed: " + e.getCause(), e.getCause());
        }
    }

    /** Stops: a conversion under way is interrupted; its result stays published as CSV. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
