package io.sluice.lint;

import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.Statement;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parses one SQL statement with Trino's parser (Athena's dialect) on a small pool of its own, giving
 * up after a time limit: empty for text that does not parse, takes too long, or when the pool is
 * full. The parser does not stop on interrupt, so a slow parse finishes in the background; the pool
 * is bounded so such parses cannot pile up.
 */
final class BoundedParser implements AutoCloseable {

    private static final SqlParser PARSER = new SqlParser();
    private static final long STACK_BYTES = 16L << 20;

    /** How long a parse waits for the parser's one-time start (loading its grammar) before its own limit starts. */
    private static final long WARM_UP_SECONDS = 60;

    private final Duration limit;
    private final ThreadPoolExecutor pool;
    private final Future<?> warmUp;

    BoundedParser(Duration limit) {
        this.limit = limit;
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(32), r -> {
            Thread t = new Thread(null, r, "sluice-lint-parse-" + count.incrementAndGet(), STACK_BYTES);
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        // The first parse in a JVM loads and deserializes the grammar, which takes seconds on a busy
        // machine: done once at start, outside any request's limit.
        this.warmUp = pool.submit(() -> PARSER.createStatement("SELECT a FROM t WHERE b = 1 LIMIT 1"));
    }

    Optional<Statement> parse(String sql) {
        String text = withoutTrailingSemicolons(sql);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            warmUp.get(WARM_UP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
            // Parsing itself will tell.
        }
        Future<Statement> future;
        try {
            future = pool.submit(() -> {
                try {
                    return PARSER.createStatement(text);
                } catch (StackOverflowError e) {
                    return null;
                }
            });
        } catch (RejectedExecutionException e) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(future.get(limit.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Trino parses one statement without its terminator; editors often leave one. */
    static String withoutTrailingSemicolons(String sql) {
        int end = sql.length();
        while (end > 0 && (Character.isWhitespace(sql.charAt(end - 1)) || sql.charAt(end - 1) == ';')) {
            end--;
        }
        return sql.substring(0, end);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
