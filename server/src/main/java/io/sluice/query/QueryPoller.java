package io.sluice.query;

import io.sluice.engine.Engine;
import io.sluice.engine.EngineException;
import io.sluice.engine.EngineQuery;
import io.sluice.engine.Engines;
import io.sluice.engine.QueryContext;
import io.sluice.engine.RemoteEngine;
import io.sluice.engine.RemoteStatus;
import io.sluice.store.QueryStore;
import io.sluice.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The one poller of all running remote queries this instance owns. Each round asks every remote
 * engine about its active queries at once (Athena: 50 ids a call), then moves each query on:
 * live statistics, RUNNING ↔ QUEUED, success (the result is ingested by a worker), failure, a
 * cancel by the engine, the maximum runtime, the scan guardrail.
 *
 * <p>Rounds start at a fixed rate: one every {@link RemoteEngine#roundInterval(int, int)} (the poll
 * interval, stretched to keep this instance's share of the engine's call budget: the budget is
 * split evenly among the live instances), a successful round's own time counted
 * against it but never leaving less than a quarter of it between rounds. A round that fails
 * (after the SDK's own retries) backs off instead: the full delay, doubling up to
 * {@link #MAX_BACKOFF}, after the failed round, until a round succeeds.
 *
 * <p>Which queries an instance polls is decided through the store: those it claimed when it
 * started them ({@code claimedBy}), so a restart of the same instance resumes them and several
 * instances never poll the same query.
 */
public final class QueryPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryPoller.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Rounds in a row an engine may not know a query before it is given up as lost. */
    static final int MISSING_ROUNDS = 5;
    private static final int MAX_ACTIVE = 100_000;

    private final QueryStore store;
    private final QueryTransitions transitions;
    private final QueryRunner runner;
    private final Engines engines;
    private final Clock clock;
    private final String instanceId;
    private final java.util.function.IntSupplier liveInstances;
    private final ScheduledExecutorService scheduler;
    /** What the poller remembers per remote engine; touched by the one poller thread only. */
    private final Map<String, Tracking> tracking = new ConcurrentHashMap<>();

    /**
     * Per query id: when running statistics were last written, rounds in a row it was missing. Per
     * engine id of a stopped run: when this process last asked the engine to stop it.
     */
    private static final class Tracking {
        final Map<String, Instant> statisticsWritten = new HashMap<>();
        final Map<String, Integer> missing = new HashMap<>();
        final Map<String, Instant> stopSent = new HashMap<>();
        Duration backoff;

        /** Forgets queries no longer active or stopping, however they ended (ingested, timed out, settled...). */
        void retain(Set<String> activeIds, Set<String> stoppingEngineIds) {
            statisticsWritten.keySet().retainAll(activeIds);
            missing.keySet().removeIf(key -> !activeIds.contains(key) && !stoppingEngineIds.contains(key));
            stopSent.keySet().retainAll(stoppingEngineIds);
        }
    }

    /** How long after a stop the engine may go on reporting the query as running before the stop is sent again. */
    static final Duration STOP_RESEND = Duration.ofSeconds(10);

    public QueryPoller(QueryStore store, QueryTransitions transitions, QueryRunner runner, Engines engines,
                       Clock clock, String instanceId) {
        this(store, transitions, runner, engines, clock, instanceId, () -> 1);
    }

    /** @param liveInstances how many instances (this one included) share each engine's call budget now */
    public QueryPoller(QueryStore store, QueryTransitions transitions, QueryRunner runner, Engines engines,
                       Clock clock, String instanceId, java.util.function.IntSupplier liveInstances) {
        this.liveInstances = liveInstances;
        this.store = store;
        this.transitions = transitions;
        this.runner = runner;
        this.engines = engines;
        this.clock = clock;
        this.instanceId = instanceId;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-poller");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts one polling loop per remote engine. */
    public void start() {
        for (Engine engine : engines.all()) {
            if (engine instanceof RemoteEngine remote) {
                scheduler.schedule(() -> loop(remote), 0, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop(RemoteEngine engine) {
        long started = System.nanoTime();
        Tracking t = tracking(engine);
        Duration next = engine.pollInterval();
        try {
            int active = round(engine);
            t.backoff = null;
            next = nextAfterSuccess(engine.roundInterval(active, Math.max(1, liveInstances.getAsInt())), Duration.ofNanos(System.nanoTime() - started));
        } catch (EngineException e) {
            // The whole delay, whatever the failed round took: the SDK's retries are in that time, and
            // subtracting them would undo the backoff while the service keeps refusing.
            next = nextAfterFailure(t.backoff, engine.pollInterval());
            t.backoff = next;
            LOG.warn("polling {} failed ({}); next round in {} ms", engine.name(), e.getMessage(), next.toMillis());
        } catch (StoreUnavailableException e) {
            // Nothing to do until the store is back (StoreHealth logs the outage once); the next
            // round after it picks up whatever ended meanwhile.
            LOG.debug("polling {} skipped: {}", engine.name(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("polling {} failed unexpectedly", engine.name(), e);
        } finally {
            if (!scheduler.isShutdown()) {
                scheduler.schedule(() -> loop(engine), next.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Fixed rate: the round's time counts against the interval, but a quarter of it always stays free. */
    static Duration nextAfterSuccess(Duration interval, Duration spent) {
        Duration left = interval.minus(spent);
        Duration minimum = interval.dividedBy(4);
        return left.compareTo(minimum) < 0 ? minimum : left;
    }

    /** Twice the last delay (twice the interval after a success), at most {@link #MAX_BACKOFF}. */
    static Duration nextAfterFailure(Duration lastBackoff, Duration interval) {
        Duration doubled = (lastBackoff == null ? interval : lastBackoff).multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    private Tracking tracking(RemoteEngine engine) {
        return tracking.computeIfAbsent(engine.name(), name -> new Tracking());
    }

    /** Queries the poller holds per-query state for (a test probe: it must not grow without bound). */
    int tracked(String engine) {
        Tracking t = tracking.get(engine);
        return t == null ? 0 : t.statisticsWritten.size() + t.missing.size();
    }

    /** One round for one engine, visible to tests; returns how many queries it polled. */
    int round(RemoteEngine engine) throws EngineException {
        Tracking t = tracking(engine);
        List<QueryRecord> active = new ArrayList<>();
        for (QueryRecord r : store.findByStates(QueryState.ACTIVE, List.of(engine.name()), MAX_ACTIVE)) {
            if (r.engineQueryId() != null && instanceId.equals(r.claimedBy())) {
                active.add(r);
            }
        }
        List<QueryRecord> stopping = new ArrayList<>();
        for (QueryRecord r : store.findStopsRequested(List.of(engine.name()), MAX_ACTIVE)) {
            if (instanceId.equals(r.claimedBy()) && r.state().isTerminal()) {
                stopping.add(r);
            }
        }
        t.retain(active.stream().map(QueryRecord::id).collect(Collectors.toSet()),
                stopping.stream().map(QueryRecord::engineQueryId).filter(Objects::nonNull).collect(Collectors.toSet()));
        List<QueryRecord> settling = deliverStops(engine, t, stopping);
        if (active.isEmpty() && settling.isEmpty()) {
            return 0;
        }
        Map<String, QueryRecord> byEngineId = new HashMap<>();
        active.forEach(r -> byEngineId.put(r.engineQueryId(), r));
        settling.forEach(r -> byEngineId.put(r.engineQueryId(), r));
        Map<String, RemoteStatus> statuses = engine.poll(byEngineId.keySet());
        Instant now = clock.instant();
        for (QueryRecord record : settling) {
            try {
                settle(engine, t, record, statuses.get(record.engineQueryId()), now);
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("settling the stop of query {} failed", record.id(), e);
            }
        }
        for (QueryRecord record : active) {
            RemoteStatus status = statuses.get(record.engineQueryId());
            try {
                if (status == null) {
                    lost(t, record);
                } else {
                    t.missing.remove(record.id());
                    apply(engine, t, record, status, now);
                }
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("applying the state of query {} failed", record.id(), e);
            }
        }
        return active.size() + settling.size();
    }

    /**
     * Sends the stops that runs ended by Sluice still need (after a failed attempt, or a crash
     * between storing the end and calling the engine), and again when the engine keeps reporting a
     * query as running for {@link #STOP_RESEND} after a stop. A run whose engine id was never stored
     * (the process died during the start call) learns it by starting the run again with the same
     * idempotency token, which gives the query already started, if any.
     *
     * @return the runs with an engine id, to poll for their final state and statistics
     */
    private List<QueryRecord> deliverStops(RemoteEngine engine, Tracking t, List<QueryRecord> stopping) {
        List<QueryRecord> settling = new ArrayList<>();
        Instant now = clock.instant();
        for (QueryRecord r : stopping) {
            String engineId = r.engineQueryId();
            if (engineId == null) {
                resolveEngineId(engine, r);
                continue; // stopped next round, with its id stored
            }
            Instant sent = t.stopSent.get(engineId);
            if (sent == null || !now.isBefore(sent.plus(STOP_RESEND))) {
                if (runner.stopRemote(engine, engineId)) {
                    t.stopSent.put(engineId, now);
                }
            }
            settling.add(r);
        }
        return settling;
    }

    private void resolveEngineId(RemoteEngine engine, QueryRecord r) {
        int run = r.run();
        String engineId;
        try {
            engineId = engine.start(new EngineQuery(r.id(), run, r.queryText(), new QueryContext(r.catalog(), r.database())));
        } catch (EngineException e) {
            // The engine refuses the query: it never ran, nothing to stop.
            LOG.info("query {}: no {} query to stop ({})", r.id(), engine.name(), e.getMessage());
            transitions.fire(r.id(), run, RunEvent.STOP_SETTLED, c -> c.withStopRequested(false));
            return;
        }
        transitions.fire(r.id(), run, RunEvent.ENGINE_ID_LEARNED, c -> c.withEngineQueryId(engineId));
    }

    /**
     * A stopped run's remote query has ended: its final statistics (what it scanned until the stop
     * is what it is billed for) replace those of the last poll, and the stop is done. A query the
     * engine no longer knows is given up after {@link #MISSING_ROUNDS}.
     */
    private void settle(RemoteEngine engine, Tracking t, QueryRecord record, RemoteStatus status, Instant now) {
        int run = record.run();
        String engineId = record.engineQueryId();
        if (status == null) {
            if (t.missing.merge(engineId, 1, Integer::sum) < MISSING_ROUNDS) {
                return;
            }
            t.missing.remove(engineId);
            transitions.fire(record.id(), run, RunEvent.STOP_SETTLED, r -> r.withStopRequested(false));
            return;
        }
        t.missing.remove(engineId);
        if (status.state() == RemoteStatus.RemoteState.QUEUED || status.state() == RemoteStatus.RemoteState.RUNNING) {
            return; // not stopped yet; the stop is sent again after STOP_RESEND
        }
        transitions.fire(record.id(), run, RunEvent.STOP_SETTLED, r -> engineId.equals(r.engineQueryId())
                        ? r.withStatistics(finalStatistics(r, status)).withStopRequested(false) : r)
                .filter(QueryTransitions.Outcome::changed)
                .ifPresent(o -> LOG.info("query {}: {} confirmed the stop; {} bytes scanned in all", record.id(),
                        engine.name(), status.scannedBytes()));
        t.stopSent.remove(engineId);
    }

    /** The engine's final numbers for a run Sluice stopped; Sluice's own times stand where the engine has none. */
    private static Statistics finalStatistics(QueryRecord r, RemoteStatus status) {
        Statistics s = r.statistics();
        Long queue = status.queueMillis() != null ? status.queueMillis() : s.queueMillis();
        Long execution = status.executionMillis() != null ? status.executionMillis() : s.executionMillis();
        Long scanned = status.scannedBytes() != null ? status.scannedBytes() : s.scannedBytes();
        Double cost = status.costUsd() != null ? status.costUsd() : s.costUsd();
        return s.withTimes(queue, execution).withScan(scanned, cost, status.resultReused());
    }

    private void apply(RemoteEngine engine, Tracking t, QueryRecord record, RemoteStatus status, Instant now) {
        if (record.startedAt() != null && now.isAfter(record.startedAt().plus(engine.maxRuntime()))) {
            runner.timeOut(record.id(), record.run(), engine.maxRuntime());
            return;
        }
        switch (status.state()) {
            case QUEUED, RUNNING -> {
                if (status.scannedBytes() != null && status.scannedBytes() > scanLimit(engine, record)) {
                    stopForScan(engine, record, status, now);
                } else {
                    progress(engine, t, record, status, now);
                }
            }
            case SUCCEEDED -> runner.ingest(record, status);
            case FAILED -> end(record, QueryState.FAILED, status, now, status.error() == null
                    ? QueryError.sluice("QUERY_FAILED", "the query failed", Map.of())
                    : new QueryError(status.error().code(), status.error().message(), status.error().details()));
            case CANCELLED -> end(record, QueryState.CANCELLED, status, now, status.error() == null ? null
                    : new QueryError(status.error().code(), status.error().message(), status.error().details()));
        }
    }

    /**
     * Live statistics and RUNNING ↔ QUEUED. A state change is written at once; statistics whose
     * scanned bytes changed are written every round, but not twice within half a poll interval
     * (rounds that follow each other closely after a slow one), so what status shows is at most
     * about one round old.
     */
    private void progress(RemoteEngine engine, Tracking t, QueryRecord record, RemoteStatus status, Instant now) {
        QueryState remote = status.state() == RemoteStatus.RemoteState.QUEUED ? QueryState.QUEUED : QueryState.RUNNING;
        Statistics stats = QueryRunner.remoteStatistics(record, status, now);
        boolean stateChanged = remote != record.state();
        Instant last = t.statisticsWritten.get(record.id());
        boolean statsDue = !Objects.equals(stats.scannedBytes(), record.statistics().scannedBytes())
                && (last == null || !now.isBefore(last.plus(engine.pollInterval().dividedBy(2))));
        if (!stateChanged && !statsDue) {
            return;
        }
        int run = record.run();
        RunEvent event = !stateChanged ? RunEvent.PROGRESS
                : remote == QueryState.QUEUED ? RunEvent.ENGINE_QUEUED : RunEvent.ENGINE_RUNNING;
        transitions.fire(record.id(), run, event, r -> r.withStatistics(QueryRunner.remoteStatistics(r, status, now)));
        t.statisticsWritten.put(record.id(), now);
    }

    /** The scan cap of a run: the engine's, or the query's own where that is lower. */
    static long scanLimit(RemoteEngine engine, QueryRecord record) {
        Long own = record.maxScanBytes();
        return own == null ? engine.maxScannedBytes() : Math.min(own, engine.maxScannedBytes());
    }

    private void stopForScan(RemoteEngine engine, QueryRecord record, RemoteStatus status, Instant now) {
        int run = record.run();
        long limit = scanLimit(engine, record);
        // Which cap stopped it: the query's own (maxScanGb on submit) or the engine's.
        String cap = limit < engine.maxScannedBytes() ? "query" : "engine";
        QueryError error = QueryError.sluice("SCAN_LIMIT_EXCEEDED", "the query scanned " + status.scannedBytes()
                + " bytes, more than the " + cap + " limit of " + limit, Map.of("scannedBytes", status.scannedBytes(),
                "maxScannedBytes", limit, "engine", engine.name(), "scanCap", cap));
        transitions.fire(record.id(), run, RunEvent.CANCEL, r -> runner.stopping(r.withEnd(now,
                                QueryRunner.remoteStatistics(r, status, now), error)))
                .filter(QueryTransitions.Outcome::changed)
                .ifPresent(o -> {
                    LOG.info("query {} stopped by the scan guardrail at {} bytes", record.id(), status.scannedBytes());
                    runner.stopRemote(engine, record.engineQueryId());
                });
    }

    private void end(QueryRecord record, QueryState state, RemoteStatus status, Instant now, QueryError error) {
        int run = record.run();
        Instant end = status.completedAt() != null ? status.completedAt() : now;
        RunEvent event = state == QueryState.CANCELLED ? RunEvent.ENGINE_CANCELLED : RunEvent.FAIL;
        transitions.fire(record.id(), run, event, r -> r.withEnd(end, QueryRunner.remoteStatistics(r, status, end), error));
    }

    private void lost(Tracking t, QueryRecord record) {
        int rounds = t.missing.merge(record.id(), 1, Integer::sum);
        if (rounds < MISSING_ROUNDS) {
            return;
        }
        t.missing.remove(record.id());
        Instant now = clock.instant();
        int run = record.run();
        transitions.fire(record.id(), run, RunEvent.FAIL, r -> r.withEnd(now, QueryRunner.times(r, now), QueryError.sluice(
                "ENGINE_UNAVAILABLE", "the engine no longer knows query " + record.engineQueryId(),
                Map.of("engineQueryId", record.engineQueryId()))));
    }
}
