package io.sluice.query;

import io.sluice.Json;
import io.sluice.engine.CatalogBrowser;
import io.sluice.engine.EngineCapabilities;
import io.sluice.engine.EngineException;
import io.sluice.engine.EngineQuery;
import io.sluice.engine.Engines;
import io.sluice.engine.QueryContext;
import io.sluice.engine.RemoteEngine;
import io.sluice.engine.RemoteStatus;
import io.sluice.engine.RowSink;
import io.sluice.result.FolderResultStore;
import io.sluice.store.Database;
import io.sluice.store.JdbcQueryStore;
import io.sluice.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The poller's own rules, against a scripted remote engine and a real H2 store: fixed-rate rounds,
 * backoff after failed rounds, running statistics written every round, per-query state pruned.
 */
class QueryPollerTest {

    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final String INSTANCE = "poller-test";

    @TempDir
    Path dir;
    private Database database;
    private JdbcQueryStore store;
    private QueryTransitions transitions;
    private QueryRunner runner;
    private ScheduledExecutorService timers;
    private final ScriptedEngine engine = new ScriptedEngine();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        database = Database.open("jdbc:h2:file:" + dir.resolve("store"), "sa", "", 4);
        store = new JdbcQueryStore(database.jdbi(), Json.mapper());
        transitions = new QueryTransitions(store, new QueryEvents(store), Lifecycle.Actor.of(INSTANCE));
        timers = Executors.newSingleThreadScheduledExecutor();
        runner = new QueryRunner(transitions, new Engines(List.of(engine), engine.name()),
                new FolderResultStore(dir.resolve("results")), clock, 1, 1, timers);
    }

    @AfterEach
    void stop() {
        runner.close();
        timers.shutdownNow();
        database.close();
    }

    private QueryPoller poller(Clock pollerClock) {
        return new QueryPoller(store, transitions, runner, new Engines(List.of(engine), engine.name()), pollerClock,
                INSTANCE);
    }

    /** A query this instance started on the engine, RUNNING there as {@code engineId}. */
    private String running(String engineId) {
        Instant now = clock.instant();
        QueryRecord queued = QueryRecord.queued(UUID.randomUUID().toString(), "someone", engine.name(),
                "SELECT 1", null, null, null, now);
        store.insert(queued);
        store.update(queued, queued.withStarted(now, INSTANCE).withEngineQueryId(engineId)).orElseThrow();
        return queued.id();
    }

    private Long scanned(String id) {
        return store.find(id).orElseThrow().statistics().scannedBytes();
    }

    @Test
    void fixedRateKeepsAQuarterOfTheIntervalFreeAndBackoffDoublesFromTheInterval() {
        assertThat(QueryPoller.nextAfterSuccess(Duration.ofSeconds(1), Duration.ofMillis(200)))
                .isEqualTo(Duration.ofMillis(800));
        assertThat(QueryPoller.nextAfterSuccess(Duration.ofSeconds(1), Duration.ofMillis(1500)))
                .isEqualTo(Duration.ofMillis(250));
        assertThat(QueryPoller.nextAfterFailure(null, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(2));
        assertThat(QueryPoller.nextAfterFailure(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(QueryPoller.nextAfterFailure(Duration.ofSeconds(20), Duration.ofSeconds(1)))
                .isEqualTo(QueryPoller.MAX_BACKOFF);
    }

    @Test
    void failedRoundsBackOffByTheWholeDelayEvenWhenEachTookLongerThanIt() {
        running("e-1");
        // Each failing round takes 300 ms, as SDK retries of a throttled call do: longer than the backoff.
        engine.failing = true;
        engine.callTime = Duration.ofMillis(300);
        try (QueryPoller poller = poller(Clock.systemUTC())) {
            poller.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.calls().size() >= 4);
            List<ScriptedEngine.Call> failed = engine.calls();
            for (int k = 1; k <= 3; k++) {
                long gapMillis = (failed.get(k).startNanos() - failed.get(k - 1).endNanos()) / 1_000_000;
                // 200, 400, 800 ms after each failed round ended (timers never fire early; 5 ms for clock grain)
                assertThat(gapMillis).as("gap after failed round %d", k).isGreaterThanOrEqualTo((100L << k) - 5);
            }

            engine.callTime = Duration.ZERO;
            engine.failing = false;
            int before = engine.calls().size();
            // Recovered: rounds come every interval again, not every 30 s of a stuck backoff.
            await().atMost(Duration.ofSeconds(15)).until(() -> engine.calls().size() >= before + 10);
        }
    }

    @Test
    void slowRoundsLeaveAQuarterIntervalBetweenThemAndFastOnesRunAtTheInterval() {
        running("e-1");
        engine.callTime = Duration.ofMillis(150);
        try (QueryPoller poller = poller(Clock.systemUTC())) {
            poller.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.calls().size() >= 4);
            engine.callTime = Duration.ZERO;
            int fastFrom = engine.calls().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.calls().size() >= fastFrom + 4);
            List<ScriptedEngine.Call> calls = engine.calls();
            for (int k = 1; k < 4; k++) {
                long gapMillis = (calls.get(k).startNanos() - calls.get(k - 1).endNanos()) / 1_000_000;
                assertThat(gapMillis).as("gap after slow round %d", k).isGreaterThanOrEqualTo(25 - 5);
            }
            for (int k = fastFrom + 1; k < fastFrom + 4; k++) {
                long periodMillis = (calls.get(k).startNanos() - calls.get(k - 1).startNanos()) / 1_000_000;
                assertThat(periodMillis).as("period of fast round %d", k).isGreaterThanOrEqualTo(100 - 5);
            }
        }
    }

    @Test
    void runningStatisticsAreWrittenEveryRoundTheyChangeButNotTwiceInHalfAnInterval() throws EngineException {
        String id = running("e-1");
        QueryPoller poller = poller(clock);
        engine.scanned.put("e-1", 1_000L);
        poller.round(engine);
        assertThat(scanned(id)).isEqualTo(1_000L);

        clock.advance(INTERVAL);
        engine.scanned.put("e-1", 2_000L);
        poller.round(engine);
        assertThat(scanned(id)).isEqualTo(2_000L);

        // Rounds that follow each other closely (after a slow one) do not write twice.
        clock.advance(INTERVAL.dividedBy(5));
        engine.scanned.put("e-1", 3_000L);
        poller.round(engine);
        assertThat(scanned(id)).isEqualTo(2_000L);

        clock.advance(INTERVAL.dividedBy(2));
        poller.round(engine);
        assertThat(scanned(id)).isEqualTo(3_000L);
    }

    @Test
    void perQueryStateIsForgottenHoweverTheQueriesEnd() throws EngineException {
        String watched = running("e-1");
        String cancelled = running("e-2");
        String lost = running("e-3"); // the engine does not know it: counted as missing
        engine.scanned.put("e-1", 1L);
        engine.scanned.put("e-2", 1L);
        engine.unknown.add("e-3");
        QueryPoller poller = poller(clock);
        poller.round(engine);
        assertThat(poller.tracked(engine.name())).isEqualTo(3);

        // Ended elsewhere, not through the poller: a cancel, a timeout.
        Instant now = clock.instant();
        for (String id : List.of(cancelled, lost)) {
            transitions.fire(id, 1, RunEvent.CANCEL, r -> r.withEnd(now, r.statistics(), null));
        }
        poller.round(engine);
        assertThat(poller.tracked(engine.name())).isEqualTo(1);

        transitions.fire(watched, 1, RunEvent.TIME_OUT, r -> r.withEnd(now, r.statistics(), null));
        poller.round(engine);
        assertThat(poller.tracked(engine.name())).isZero();
    }

    /** A remote engine whose answers and timing the test sets; it records every poll call. */
    static final class ScriptedEngine implements RemoteEngine {
        record Call(long startNanos, long endNanos) {
        }

        volatile boolean failing;
        volatile Duration callTime = Duration.ZERO;
        final Map<String, Long> scanned = new ConcurrentHashMap<>();
        final Set<String> unknown = ConcurrentHashMap.newKeySet();
        private final List<Call> calls = new ArrayList<>();
        private final AtomicLong counter = new AtomicLong();

        synchronized List<Call> calls() {
            return List.copyOf(calls);
        }

        @Override
        public Map<String, RemoteStatus> poll(Collection<String> ids) throws EngineException {
            long start = System.nanoTime();
            if (!callTime.isZero()) {
                LockSupport.parkNanos(callTime.toNanos()); // the remote call's own latency
            }
            try {
                if (failing) {
                    throw new EngineException("ENGINE_UNAVAILABLE", EngineException.Kind.EXTERNAL, "Rate exceeded");
                }
                Map<String, RemoteStatus> answer = new HashMap<>();
                for (String id : ids) {
                    if (!unknown.contains(id)) {
                        answer.put(id, new RemoteStatus(RemoteStatus.RemoteState.RUNNING, 0L, counter.incrementAndGet(),
                                scanned.getOrDefault(id, 0L), 0.0, false, null, null));
                    }
                }
                return answer;
            } finally {
                synchronized (this) {
                    calls.add(new Call(start, System.nanoTime()));
                }
            }
        }

        @Override
        public Duration pollInterval() {
            return INTERVAL;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public String type() {
            return "scripted";
        }

        @Override
        public EngineCapabilities capabilities() {
            return new EngineCapabilities(true, false, false, false, "trino", false, false, false);
        }

        @Override
        public CatalogBrowser catalog() {
            return null;
        }

        @Override
        public QueryContext defaultContext() {
            return new QueryContext(null, null);
        }

        /** Longer than any gap between the test's fixed clock and the real one. */
        @Override
        public Duration maxRuntime() {
            return Duration.ofDays(365L * 100);
        }

        @Override
        public String start(EngineQuery query) {
            return "e-" + query.queryId();
        }

        @Override
        public void stop(String engineQueryId) {
        }

        @Override
        public void readResult(String engineQueryId, RowSink sink) {
            sink.columns(List.of());
        }

        @Override
        public void close() {
        }
    }
}
