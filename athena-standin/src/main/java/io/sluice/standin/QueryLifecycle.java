package io.sluice.standin;

import io.sluice.standin.QueryExecution.Phase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves queries through their life: QUEUED, RUNNING, then SUCCEEDED, FAILED or CANCELLED.
 *
 * <p>SQL runs on a bounded pool of workers; a query waiting for one is QUEUED. Everything a fault
 * adds (queue delays, flaps, completion delays, holds) and the workgroup's scan cutoff are timed
 * on the stand-in clock and need no thread: a ticker, and every read of a query's status, applies
 * the transitions that are due. So a test with a manual clock sees a transition on the first read
 * after it advances the clock, and thousands of held queries cost only memory.
 */
final class QueryLifecycle implements AutoCloseable {
    static final String CANCELLED_BY_USER = "Query cancelled by user";
    static final String BYTES_LIMIT_EXCEEDED = "Bytes scanned limit was exceeded";
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(QueryLifecycle.class);

    private final Clock clock;
    private final DuckDbEngine engine;
    private final ResultStore store;
    private final ScanMeter scanMeter;
    private final StatementRunner runner;
    private final Faults faults;
    private final QueryRegistry registry;
    private final ExecutorService workers;
    private final ScheduledExecutorService ticker;
    private final Set<QueryExecution> timed = ConcurrentHashMap.newKeySet();

    QueryLifecycle(Clock clock, DuckDbEngine engine, ResultStore store, ScanMeter scanMeter, StatementRunner runner,
            Faults faults, QueryRegistry registry, int workerThreads) {
        this.clock = clock;
        this.engine = engine;
        this.store = store;
        this.scanMeter = scanMeter;
        this.runner = runner;
        this.faults = faults;
        this.registry = registry;
        this.workers = new ThreadPoolExecutor(workerThreads, workerThreads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("athena-standin-worker"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemonThreads("athena-standin-ticker"));
    }

    void start() {
        ticker.scheduleWithFixedDelay(this::tick, 10, 10, TimeUnit.MILLISECONDS);
    }

    /** Takes a newly accepted query on. */
    void submit(QueryExecution query) {
        if (query.phase() == Phase.WAITING) {
            timed.add(query);
            refresh(query);
        } else {
            workers.execute(() -> run(query));
        }
    }

    /** Applies whatever timed transitions are due for this query; called before its status is read. */
    void refresh(QueryExecution query) {
        // A due transition another thread is carrying out is shown once it is complete, so a
        // reader never sees the state from before a transition whose time has passed.
        query.awaitSettled(STOP_WAIT);
        if (!timed.contains(query)) {
            return;
        }
        // Each step moves the query at most one phase; stop when nothing more is due.
        for (int step = 0; step < 8; step++) {
            Runnable action = dueAction(query, clock.instant());
            if (action == null) {
                return;
            }
            action.run();
        }
    }

    /**
     * StopQueryExecution: idempotent. A waiting query ends at once; a running one is interrupted
     * and ends once its worker has kept the rows written so far.
     */
    void stop(QueryExecution query) throws InterruptedException {
        Instant now = clock.instant();
        Runnable action = null;
        boolean running = false;
        synchronized (query) {
            switch (query.phase()) {
                case WAITING:
                case IN_POOL:
                    query.finish(QueryState.CANCELLED, now, CANCELLED_BY_USER, null, 0);
                    timed.remove(query);
                    break;
                case EXECUTING:
                    running = true;
                    break;
                case FLAPPED:
                case DELAYED:
                case HELD:
                    action = cancelKeepingHalf(query, CANCELLED_BY_USER, now, query.dataScanned(now));
                    break;
                default:
                    break;
            }
        }
        if (running) {
            query.requestCancel(CANCELLED_BY_USER, now);
            query.awaitWorker(STOP_WAIT);
        }
        if (action != null) {
            action.run();
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- the worker --------------------------------------------------------------------------------

    private void run(QueryExecution query) {
        if (!query.advance(Phase.IN_POOL, Phase.EXECUTING, clock.instant())) {
            query.workerFinished();
            return;
        }
        try {
            execute(query);
            if (query.cancelRequested()) {
                cancelledWhileExecuting(query);
            } else {
                afterExecution(query);
            }
        } catch (SQLException e) {
            if (query.cancelRequested()) {
                cancelledWhileExecuting(query);
            } else {
                fail(query, ErrorTranslator.translate(e, query.database));
            }
        } catch (QueryFailure failure) {
            fail(query, failure);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Query {} failed inside the stand-in", query.id, e);
            fail(query, new QueryFailure(QueryFailure.SYSTEM, 200, "GENERIC_INTERNAL_ERROR: " + e));
        } finally {
            query.workerFinished();
        }
    }

    private void execute(QueryExecution query) throws SQLException, IOException, QueryFailure {
        String bucket = query.outputFolder.bucket();
        if (!store.bucketExists(bucket)) {
            throw QueryFailure.user("Unable to verify/create output bucket " + bucket);
        }
        String catalog = query.request.catalog();
        if (catalog != null && !catalog.equalsIgnoreCase(DuckDbEngine.CATALOG)) {
            throw QueryFailure.notFound("CATALOG_NOT_FOUND: Catalog '" + catalog.toLowerCase(java.util.Locale.ROOT)
                    + "' does not exist");
        }
        boolean needsDatabase = query.statement.utility() == null && !query.statement.kind().isDdl();
        String database = query.database;
        Connection connection;
        try {
            connection = engine.connect(database);
        } catch (SQLException e) {
            // SHOW, DESCRIBE and DDL name their own database; they run from default when the query's is missing.
            if (needsDatabase) {
                throw QueryFailure.notFound("SCHEMA_NOT_FOUND: Schema '" + database + "' does not exist");
            }
            database = DuckDbEngine.DEFAULT_DATABASE;
            connection = engine.connect(database);
        }
        try {
            query.planned(scanMeter.bytesScanned(connection, query.statement, query.database, query.parsedSql()),
                    clock.instant());
            if (query.bytesScannedCutoff != null) {
                // The ticker cuts the query off when its growing scan passes the limit.
                timed.add(query);
            }
            StatementRunner.Output output = runner.run(query, connection);
            query.executed(output.file(), output.columns(), output.updateCount(), clock.instant());
        } finally {
            engine.release(database, connection, !query.cancelRequested());
        }
    }

    /** The SQL has run: finish now, or hand the query to the faults that keep it going. */
    private void afterExecution(QueryExecution query) {
        Instant now = clock.instant();
        Faults.QueryPlan plan = query.plan;
        Runnable action = null;
        synchronized (query) {
            if (query.phase() != Phase.EXECUTING) {
                return;
            }
            if (plan.failAfterRun()) {
                action = () -> failKeepingHalf(query);
            } else if (plan.hold()) {
                query.moveTo(Phase.HELD, now);
                timed.add(query);
            } else if (!plan.flapQueuedFor().isZero()) {
                query.moveTo(Phase.FLAPPED, now);
                query.setDueAt(now.plus(plan.flapQueuedFor()));
                timed.add(query);
            } else if (!plan.completionDelay().isZero()) {
                query.moveTo(Phase.DELAYED, now);
                query.setDueAt(now.plus(plan.completionDelay()));
                timed.add(query);
            } else if (query.cutoffCrossing() != null) {
                action = cancelKeepingHalf(query, BYTES_LIMIT_EXCEEDED, now, query.bytesScannedCutoff);
            } else {
                query.moveTo(Phase.PUBLISHING, now);
                action = () -> publish(query, null, query.scanTotal());
            }
        }
        if (action != null) {
            action.run();
        } else {
            refresh(query);
        }
    }

    private void cancelledWhileExecuting(QueryExecution query) {
        String reason = query.cancelReason();
        Instant at = query.cancelAt() != null ? query.cancelAt() : clock.instant();
        long scanned = BYTES_LIMIT_EXCEEDED.equals(reason) ? query.bytesScannedCutoff : query.dataScanned(at);
        Path file = query.resultFile();
        try {
            if (query.statement.kind().result() == StatementKind.ResultKind.CSV && file != null
                    && Files.exists(file) && Files.size(file) > 0) {
                store.putFile(query.resultLocation(), file);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not keep the partial result of query {}", query.id, e);
        }
        deleteQuietly(file);
        query.finish(QueryState.CANCELLED, at, reason, null, scanned);
        timed.remove(query);
    }

    // --- timed transitions ---------------------------------------------------------------------------

    private void tick() {
        for (QueryExecution query : timed) {
            try {
                if (query.state().isTerminal()) {
                    timed.remove(query);
                } else if (timed.contains(query)) {
                    refresh(query);
                }
            } catch (RuntimeException e) {
                LOG.warn("Timed transition of query {} failed", query.id, e);
            }
        }
    }

    /** The next due step of a query, decided under its lock and run by the caller without it. */
    private Runnable dueAction(QueryExecution query, Instant now) {
        synchronized (query) {
            switch (query.phase()) {
                case WAITING:
                    if (now.isBefore(query.dueAt())) {
                        return null;
                    }
                    query.advance(Phase.WAITING, Phase.IN_POOL, query.dueAt());
                    timed.remove(query);
                    return () -> workers.execute(() -> run(query));
                case EXECUTING: {
                    Instant crossing = query.cutoffCrossing();
                    if (crossing == null || now.isBefore(crossing) || query.cancelRequested()) {
                        return null;
                    }
                    return () -> query.requestCancel(BYTES_LIMIT_EXCEEDED, crossing);
                }
                case FLAPPED: {
                    if (now.isBefore(query.dueAt())) {
                        return null;
                    }
                    Instant resumed = query.dueAt();
                    query.moveTo(Phase.DELAYED, resumed);
                    query.setDueAt(resumed.plus(query.plan.completionDelay()));
                    return () -> { };
                }
                case DELAYED: {
                    Instant crossing = query.cutoffCrossing();
                    Instant due = query.dueAt();
                    if (crossing != null && !crossing.isAfter(now) && !crossing.isAfter(due)) {
                        return cancelKeepingHalf(query, BYTES_LIMIT_EXCEEDED, crossing, query.bytesScannedCutoff);
                    }
                    if (now.isBefore(due)) {
                        return null;
                    }
                    query.moveTo(Phase.PUBLISHING, due);
                    query.settling();
                    timed.remove(query);
                    long scanned = query.scanTotal();
                    return () -> publish(query, due, scanned);
                }
                case HELD: {
                    Instant crossing = query.cutoffCrossing();
                    Optional<Instant> released = faults.releaseTimeFor(query.plan.holdGeneration())
                            .map(at -> at.isBefore(query.executedAt()) ? query.executedAt() : at);
                    boolean cutFirst = crossing != null && !crossing.isAfter(now)
                            && (released.isEmpty() || crossing.isBefore(released.get()));
                    if (cutFirst) {
                        return cancelKeepingHalf(query, BYTES_LIMIT_EXCEEDED, crossing, query.bytesScannedCutoff);
                    }
                    if (released.isEmpty() || released.get().isAfter(now)) {
                        return null;
                    }
                    Instant at = released.get();
                    if (!query.plan.flapQueuedFor().isZero()) {
                        query.moveTo(Phase.FLAPPED, at);
                        query.setDueAt(at.plus(query.plan.flapQueuedFor()));
                        return () -> { };
                    }
                    long scanned = Math.max(query.scanTotal(), query.dataScanned(at));
                    query.moveTo(Phase.PUBLISHING, at);
                    query.settling();
                    timed.remove(query);
                    return () -> publish(query, at, scanned);
                }
                default:
                    return null;
            }
        }
    }

    /**
     * Claims a query whose SQL has run for cancellation (caller holds its lock) and returns the
     * work that keeps half its rows and ends it.
     */
    private Runnable cancelKeepingHalf(QueryExecution query, String reason, Instant at, long scanned) {
        query.moveTo(Phase.CANCELLING, at);
        query.settling();
        timed.remove(query);
        return () -> {
            keepHalf(query);
            deleteQuietly(query.resultFile());
            query.finish(QueryState.CANCELLED, at, reason, null, scanned);
        };
    }

    /** A query whose worker was lost after its SQL ran: half its rows stay in {@code <id>.csv}, no metadata. */
    private void failKeepingHalf(QueryExecution query) {
        keepHalf(query);
        fail(query, new QueryFailure(QueryFailure.SYSTEM, 200,
                "GENERIC_INTERNAL_ERROR: Encountered too many errors talking to a worker node"));
    }

    /** Puts the first half of a CSV result's rows at {@code <id>.csv}, as a query stopped midway leaves it. */
    private void keepHalf(QueryExecution query) {
        Path file = query.resultFile();
        try {
            if (query.statement.kind().result() == StatementKind.ResultKind.CSV && file != null) {
                Path partial = PartialResult.firstHalf(file);
                store.putFile(query.resultLocation(), partial);
                deleteQuietly(partial);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not keep the partial result of query {}", query.id, e);
        }
    }

    // --- endings -------------------------------------------------------------------------------------

    /** Writes the result files and ends the query SUCCEEDED, at {@code completedAt} or, if null, when done. */
    private void publish(QueryExecution query, Instant completedAt, long scanned) {
        try {
            writeResultFiles(query);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not write the results of query {}", query.id, e);
            fail(query, new QueryFailure(QueryFailure.SYSTEM, 401, "Failed to write query results to S3: " + e));
            return;
        } finally {
            deleteQuietly(query.resultFile());
        }
        Instant end = completedAt != null ? completedAt : clock.instant();
        if (completedAt == null && query.executedAt() != null) {
            query.recordServiceProcessing(query.executedAt(), end);
        }
        if (query.finish(QueryState.SUCCEEDED, end, null, null, scanned)) {
            registry.succeeded(query);
        }
    }

    private void writeResultFiles(QueryExecution query) throws IOException {
        StatementKind kind = query.statement.kind();
        S3Location location = query.resultLocation();
        List<ResultColumn> columns = query.columns();
        if (kind.result().hasBody) {
            store.putFile(location, query.resultFile());
            if (!columns.isEmpty()) {
                // SHOW and DESCRIBE answer from the metastore, which records the Athena query id.
                String queryId = kind.result() == StatementKind.ResultKind.TEXT && !kind.headerRow()
                        ? query.id : query.engineQueryId;
                store.putBytes(location.withSuffix(".metadata"),
                        ResultMetadataFile.encode(queryId, null, null, columns));
            }
        } else {
            store.putBytes(location.withSuffix(".metadata"), ResultMetadataFile.encode(query.engineQueryId,
                    kind.updateType(), query.updateCount(), columns));
        }
    }

    private void fail(QueryExecution query, QueryFailure failure) {
        if (query.state().isTerminal()) {
            return;
        }
        // Statements answered by Athena's Hive metastore (SHOW, DESCRIBE, DDL) leave the reason in <id>.txt.
        if (query.statement.kind().result() == StatementKind.ResultKind.TEXT
                && !query.statement.kind().headerRow()) {
            try {
                if (store.bucketExists(query.outputFolder.bucket())) {
                    String reason = failure.reason();
                    String body = reason.startsWith("FAILED: ") ? reason : "FAILED: " + reason;
                    store.putBytes(query.resultLocation(), body.getBytes(StandardCharsets.UTF_8));
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not write the failure of query {}", query.id, e);
            }
        }
        deleteQuietly(query.resultFile());
        query.finish(QueryState.FAILED, clock.instant(), failure.reason(), failure, 0);
        timed.remove(query);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Could not delete {}", file, e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
