package io.sluice.query;

import io.sluice.engine.Engine;
import io.sluice.engine.EngineException;
import io.sluice.engine.EngineQuery;
import io.sluice.engine.Engines;
import io.sluice.engine.LocalEngine;
import io.sluice.engine.QueryContext;
import io.sluice.engine.RemoteEngine;
import io.sluice.engine.RemoteStatus;
import io.sluice.result.ResultStore;
import io.sluice.result.ResultSummary;
import io.sluice.result.ResultWriter;
import io.sluice.result.firstpart.FirstPartSettings;
import io.sluice.result.firstpart.FirstPartWriter;
import io.sluice.result.firstpart.FirstParts;
import io.sluice.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs queued queries on a bounded worker pool: a local engine's run from start to stored result,
 * a remote engine's start (the poller follows it from there). Runs beyond the pool's size wait
 * QUEUED. Every state change goes through {@link QueryTransitions}, so a cancel, a timeout and the
 * worker's own completion can race and exactly one wins; the loser changes nothing.
 */
public final class QueryRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryRunner.class);
    /** How soon a timer's store change is tried again while the store is unavailable. */
    static final Duration STORE_RETRY = Duration.ofSeconds(1);

    private final QueryTransitions transitions;
    private final Engines engines;
    private final ResultStore results;
    private final Clock clock;
    private final QueryWorkers workers;
    private final Set<String> ingesting = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers;
    private final Map<String, RunCancellation> running = new ConcurrentHashMap<>();
    private volatile FirstPartSettings firstParts = FirstPartSettings.DEFAULT;

    /**
     * @param workerCount       threads for local runs
     * @param maxRunningPerUser how many local runs of one user may hold a worker at once (the rest
     *                          wait QUEUED while other users' runs go first)
     * @param remoteWorkerCount threads for remote starts and result ingestion
     */
    public QueryRunner(QueryTransitions transitions, Engines engines, ResultStore results, Clock clock,
                       int workerCount, int maxRunningPerUser, int remoteWorkerCount,
                       ScheduledExecutorService timers) {
        this.transitions = transitions;
        this.engines = engines;
        this.results = results;
        this.clock = clock;
        this.timers = timers;
        this.workers = new QueryWorkers(workerCount, maxRunningPerUser, remoteWorkerCount, (id, run) ->
                fail(id, run, QueryError.sluice("INTERNAL_ERROR", "internal error", Map.of())));
    }

    /** As above, with every user allowed all workers. */
    public QueryRunner(QueryTransitions transitions, Engines engines, ResultStore results, Clock clock,
                       int workerCount, int remoteWorkerCount, ScheduledExecutorService timers) {
        this(transitions, engines, results, clock, workerCount, workerCount, remoteWorkerCount, timers);
    }

    /** When a remote result's first part is served while the rest is stored ({@link FirstPartSettings#OFF}: never). */
    public QueryRunner firstParts(FirstPartSettings settings) {
        this.firstParts = settings;
        return this;
    }

    /** Starts the local workers (once; dispatching starts them too). */
    public QueryRunner start() {
        workers.start();
        return this;
    }

    /**
     * Queues a run; it starts when a worker is free, unless it was cancelled meanwhile. Local
     * runs use the local pool; remote starts (short calls) use the remote pool.
     */
    public void dispatch(QueryRecord queued) {
        if (engines.get(queued.engine()) instanceof LocalEngine) {
            workers.local(queued.id(), queued.run(), queued.owner(), () -> start(queued));
        } else {
            workers.remote(queued.id(), queued.run(), () -> start(queued));
        }
    }

    /** Local runs waiting for a worker (a test and metrics probe). */
    public int waitingLocalRuns() {
        return workers.waitingLocal();
    }

    /**
     * Streams a remote query's result into the result store and records its success. At most one
     * ingestion of a run at a time on this instance.
     */
    public void ingest(QueryRecord running, RemoteStatus status) {
        String key = key(running.id(), running.run());
        if (!ingesting.add(key)) {
            return;
        }
        workers.remote(running.id(), running.run(), () -> {
            try {
                ingestNow(running, status);
            } finally {
                ingesting.remove(key);
            }
        });
    }

    /** Whether this instance is ingesting the run's result right now. */
    public boolean isIngesting(String id, int run) {
        return ingesting.contains(key(id, run));
    }

    /**
     * Stops what a cancelled or timed-out run is doing: interrupts a local statement, or asks the
     * remote engine to stop. Called after the state change was stored (for a remote run, with
     * {@link #stopping} marking the stop, so that the poller delivers it if this first attempt
     * fails or the process dies before it).
     */
    public void stop(QueryRecord ended) {
        RunCancellation local = running.get(key(ended.id(), ended.run()));
        if (local != null) {
            local.cancel(timers);
        }
        Engine engine = engines.get(ended.engine());
        if (engine instanceof RemoteEngine remote && ended.engineQueryId() != null) {
            stopRemote(remote, ended.engineQueryId());
        }
    }

    /**
     * {@code ended} (a run Sluice ends: cancel, time limit, scan limit; as read before the end),
     * marked as needing its remote query stopped when it has or may have one (a worker took it).
     * Store the result in the same change as the end: the stop is then durable before anyone is
     * told the run ended.
     */
    public QueryRecord stopping(QueryRecord ended) {
        boolean remote = engines.get(ended.engine()) instanceof RemoteEngine;
        boolean mayRunRemotely = ended.engineQueryId() != null || ended.status() != RunStatus.WAITING;
        return remote && mayRunRemotely ? ended.withStopRequested(true) : ended;
    }

    /**
     * Asks a remote engine to stop a query.
     *
     * @return whether the engine accepted the stop; a failed stop is tried again by the poller while
     *         the run's stop is marked in the store
     */
    public boolean stopRemote(RemoteEngine engine, String engineQueryId) {
        try {
            engine.stop(engineQueryId);
            return true;
        } catch (EngineException e) {
            LOG.warn("stopping {} query {} failed, will retry: {}", engine.name(), engineQueryId, e.getMessage());
            return false;
        }
    }

    /**
     * A graceful stop: no new run starts here; runs already going (local statements, result
     * ingestion) may finish for up to {@code grace}.
     *
     * @return whether everything finished within it
     */
    public boolean drain(Duration grace) {
        workers.drain();
        long deadline = System.nanoTime() + grace.toNanos();
        while (workers.busy() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return workers.busy() == 0;
    }

    /** Workers busy right now (a test and benchmark probe). */
    public int busyWorkers() {
        return workers.busy();
    }

    @Override
    public void close() {
        running.values().forEach(c -> c.cancel(timers));
        workers.close();
    }

    private void start(QueryRecord queued) {
        String id = queued.id();
        int run = queued.run();
        Engine engine = engines.get(queued.engine());
        // The cancel switch exists before the run is RUNNING: a cancel stored right after the
        // claim below must find something to interrupt.
        RunCancellation cancellation = engine instanceof LocalEngine ? new RunCancellation() : null;
        if (cancellation != null && running.putIfAbsent(key(id, run), cancellation) != null) {
            return; // the same run dispatched twice: the other worker has it
        }
        Optional<QueryTransitions.Outcome> claimed;
        try {
            // A local engine executes on this worker at once; a remote one must accept the run first.
            Instant now = clock.instant();
            claimed = engine instanceof LocalEngine
                    ? transitions.fire(queued, RunEvent.START_LOCAL, r -> r.withStartedAt(now))
                    : transitions.fire(queued, RunEvent.CLAIM, r -> r);
        } catch (RuntimeException e) {
            leave(id, run, cancellation);
            throw e;
        }
        if (claimed.isEmpty() || !claimed.get().changed()) {
            leave(id, run, cancellation);
            return; // cancelled while queued, replaced by a refresh, or taken over by another instance
        }
        QueryRecord record = claimed.get().record();
        EngineQuery query = new EngineQuery(id, run, record.queryText(),
                new QueryContext(record.catalog(), record.database())).withOwner(record.owner());
        LOG.debug("run {} started on {}", run, engine.name());
        if (engine instanceof LocalEngine local) {
            runLocal(local, query, record, cancellation);
        } else if (engine instanceof RemoteEngine remote) {
            startRemote(remote, query);
        }
    }

    /**
     * Interrupts local runs whose end was stored elsewhere: a cancel answered by another instance
     * (this one learns it from the store), or a run that another instance took over. Called
     * periodically; never throws.
     */
    public void stopRunsEndedElsewhere() {
        if (running.isEmpty()) {
            return;
        }
        Map<String, Integer> runs = new HashMap<>();
        running.keySet().forEach(key -> runs.put(key.substring(0, key.lastIndexOf('#')),
                Integer.parseInt(key.substring(key.lastIndexOf('#') + 1))));
        try {
            for (QueryRecord r : transitions.currentAll(runs.keySet())) {
                Integer run = runs.get(r.id());
                boolean over = run != null && (r.run() != run || r.state().isTerminal()
                        || !transitions.instanceId().equals(r.claimedBy()));
                RunCancellation cancellation = run == null ? null : running.get(key(r.id(), run));
                if (over && cancellation != null) {
                    LOG.info("run {} of query {} ended elsewhere ({}); stopping it here", run, r.id(), r.state());
                    cancellation.cancel(timers);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("checking for runs ended elsewhere failed: {}", e.getMessage());
        }
    }

    /** The worker is done with a local run: its cancel switch goes away. */
    private void leave(String id, int run, RunCancellation cancellation) {
        if (cancellation != null) {
            cancellation.ended();
            running.remove(key(id, run), cancellation);
        }
    }

    private void runLocal(LocalEngine engine, EngineQuery query, QueryRecord record, RunCancellation cancellation) {
        String id = query.queryId();
        int run = query.run();
        ScheduledFuture<?> timeout = scheduleTimeout(id, run, engine.maxRuntime());
        try (ResultWriter writer = results.create(id, run, engine.resultLimits())) {
            engine.execute(query, writer, cancellation);
            if (cancellation.isCancelled()) {
                return; // the cancel or timeout already stored the end
            }
            ResultSummary summary = writer.publish();
            Instant end = clock.instant();
            Optional<QueryTransitions.Outcome> done = transitions.fireDurably(id, run, RunEvent.SUCCEED,
                    r -> r.withEnd(end, times(r, end).withResult(summary), null));
            if (succeeded(done, run)) {
                LOG.info("run {} succeeded: {} rows", run, summary.rows());
            } else {
                results.delete(id, run); // a cancel or timeout won the race: its result must not appear
            }
        } catch (EngineException e) {
            if (!cancellation.isCancelled()) {
                LOG.info("run {} failed: {} {}", run, e.code(), e.getMessage());
                fail(id, run, new QueryError(e.code(), e.getMessage(), e.details()));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.error("run {} could not store its result", run, e);
            fail(id, run, QueryError.sluice("RESULT_WRITE_FAILED", "the result could not be stored", Map.of()));
        } finally {
            leave(id, run, cancellation);
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
    }

    private void ingestNow(QueryRecord running, RemoteStatus status) {
        String id = running.id();
        int run = running.run();
        RemoteEngine engine = (RemoteEngine) engines.get(running.engine());
        long seen = System.nanoTime();
        // The engine finished: the run shows STORING_RESULT while its result is stored. A run already in
        // that phase (taken over from an instance that died while storing it) is stored again.
        Optional<QueryTransitions.Outcome> storing = transitions.fireDurably(id, run, RunEvent.STORE_RESULT, r -> r);
        if (storing.isEmpty() || storing.get().record().run() != run
                || storing.get().record().status() != RunStatus.STORING_RESULT
                || !transitions.instanceId().equals(storing.get().record().claimedBy())) {
            return; // a poller round that saw the run before its end: already ingested, or cancelled
        }
        try (ResultWriter writer = FirstPartWriter.wrap(results.create(id, run, engine.resultLimits()), results, id, run,
                engine.resultLimits(), firstParts, rows -> LOG.info("run {}: first part readable {} ms after the engine's success",
                        run, (System.nanoTime() - seen) / 1_000_000))) {
            engine.readResult(running.engineQueryId(), status, writer);
            ResultSummary summary = writer.publish();
            Instant end = status.completedAt() != null ? status.completedAt() : clock.instant();
            Optional<QueryTransitions.Outcome> done = transitions.fireDurably(id, run, RunEvent.SUCCEED,
                    r -> r.withEnd(end, remoteStatistics(r, status, end).withResult(summary), null));
            if (succeeded(done, run)) {
                LOG.info("run {} succeeded on {}: {} rows ingested", run, engine.name(), summary.rows());
            } else if (!storedAs(done, run, QueryState.SUCCEEDED)) {
                results.delete(id, run); // cancelled or timed out meanwhile: no result may appear
            }
        } catch (EngineException e) {
            LOG.warn("run {}: reading the {} result failed: {}", run, engine.name(), e.getMessage());
            fail(id, run, new QueryError(e.code(), e.getMessage(), e.details()));
        } catch (IOException | java.io.UncheckedIOException e) {
            if (interrupted(e)) {
                // This instance is stopping (a cancel or a timeout was stored before its interrupt): the
                // run stays STORING_RESULT, and the instance that takes it over stores the result again,
                // as after a crash. Failing it here would lose a query Athena finished.
                LOG.info("run {}: storing its result was interrupted; the instance that takes the run over stores it", run);
                return;
            }
            LOG.error("run {} could not store its result", run, e);
            fail(id, run, QueryError.sluice("RESULT_WRITE_FAILED", "the result could not be stored", Map.of()));
        } finally {
            deleteFirstPart(id, run);
        }
    }

    /**
     * Removes a run's first part: once its whole result is stored, or it failed or was cancelled,
     * pages come from the whole result or not at all. Also when the write was interrupted: the
     * instance that takes the run over stores the first part again.
     */
    void deleteFirstPart(String id, int run) {
        try {
            FirstParts.delete(results, id, run);
        } catch (IOException | RuntimeException e) {
            LOG.warn("run {}: could not remove the first part of its result: {}", run, e.getMessage());
        }
    }

    /** Whether a failure is this thread's interrupt (the service stopping, a cancel, a timeout), not a storage fault. */
    static boolean interrupted(Throwable failure) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    || t instanceof java.nio.channels.ClosedByInterruptException
                    || t.getClass().getName().equals("software.amazon.awssdk.core.exception.AbortedException")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether run {@code run} is stored as SUCCEEDED after a success transition: by this change, or by
     * an earlier attempt of it whose commit the store confirmed only after a failure.
     */
    private static boolean succeeded(Optional<QueryTransitions.Outcome> outcome, int run) {
        return storedAs(outcome, run, QueryState.SUCCEEDED);
    }

    /** Whether run {@code run} is stored in {@code state} after an event, whoever stored it. */
    private static boolean storedAs(Optional<QueryTransitions.Outcome> outcome, int run, QueryState state) {
        return outcome.map(QueryTransitions.Outcome::record)
                .filter(r -> r.run() == run && r.state() == state)
                .isPresent();
    }

    /** A remote run's statistics: the engine's own times, scan and cost when it reports them. */
    static Statistics remoteStatistics(QueryRecord r, RemoteStatus status, Instant now) {
        Statistics times = times(r, now);
        Long queue = status.queueMillis() != null ? status.queueMillis() : times.queueMillis();
        Long execution = status.executionMillis() != null ? status.executionMillis() : times.executionMillis();
        return r.statistics().withTimes(queue, execution)
                .withScan(status.scannedBytes(), status.costUsd(), status.resultReused());
    }

    private void startRemote(RemoteEngine engine, EngineQuery query) {
        String id = query.queryId();
        int run = query.run();
        String engineId;
        try {
            engineId = engine.start(query);
        } catch (EngineException e) {
            LOG.info("run {} refused by {}: {} {}", run, engine.name(), e.code(), e.getMessage());
            fail(id, run, new QueryError(e.code(), e.getMessage(), e.details()));
            return;
        }
        Instant accepted = clock.instant();
        Optional<QueryTransitions.Outcome> saved = transitions.fireDurably(id, run, RunEvent.ENGINE_ACCEPTED,
                r -> r.withEngineQueryId(engineId).withStartedAt(accepted));
        if (saved.isPresent() && !saved.get().changed()) {
            // Ended meanwhile (a cancel during the start): the id is stored all the same, since its
            // marked stop needs it, also if this process dies before the stop below.
            saved = transitions.fireDurably(id, run, RunEvent.ENGINE_ID_LEARNED, r -> r.withEngineQueryId(engineId));
            QueryRecord now = saved.map(QueryTransitions.Outcome::record).orElse(null);
            if (now != null && now.run() == run && now.state().isTerminal()) {
                stopRemote(engine, engineId);
            }
            // Otherwise another instance took the run over and starts it itself: with the same
            // idempotency token, the engine gives it this very query, which must go on running.
        }
    }

    private ScheduledFuture<?> scheduleTimeout(String id, int run, Duration limit) {
        return timers.schedule(() -> timeOut(id, run, limit), limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Ends a run that passed its engine's maximum runtime. Called from the timer thread and the
     * poller, which must not block: while the store is unavailable it tries again a little later.
     */
    public void timeOut(String id, int run, Duration limit) {
        Instant now = clock.instant();
        try {
            transitions.fire(id, run, RunEvent.TIME_OUT, r -> stopping(r.withEnd(now, times(r, now),
                            QueryError.sluice("QUERY_TIMED_OUT", "the query ran longer than " + limit.toSeconds() + " s",
                                    Map.of("maxRuntimeSeconds", limit.toSeconds())))))
                    .filter(QueryTransitions.Outcome::changed)
                    .ifPresent(o -> {
                        LOG.info("run {} of query {} timed out after {}", run, id, limit);
                        stop(o.record());
                    });
        } catch (StoreUnavailableException e) {
            if (!timers.isShutdown()) {
                timers.schedule(() -> timeOut(id, run, limit), STORE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void fail(String id, int run, QueryError error) {
        Instant now = clock.instant();
        transitions.fireDurably(id, run, RunEvent.FAIL, r -> r.withEnd(now, times(r, now), error));
    }

    /** Queue and execution time of a run ending at {@code end}. */
    static Statistics times(QueryRecord r, Instant end) {
        Instant started = r.startedAt();
        long queue = Duration.between(r.submittedAt(), started == null ? end : started).toMillis();
        Long execution = started == null ? null : Duration.between(started, end).toMillis();
        return r.statistics().withTimes(Math.max(0, queue), execution == null ? null : Math.max(0, execution));
    }

    private static String key(String id, int run) {
        return id + "#" + run;
    }
}
