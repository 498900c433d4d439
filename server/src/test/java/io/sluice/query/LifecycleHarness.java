package io.sluice.query;

import io.sluice.engine.duckdb.DuckDbSettings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.Json;
import io.sluice.access.Caller;
import io.sluice.engine.Engine;
import io.sluice.engine.Engines;
import io.sluice.engine.duckdb.DuckDbEngine;
import io.sluice.result.FolderResultStore;
import io.sluice.retention.RemovedResults;
import io.sluice.store.Database;
import io.sluice.store.JdbcQueryStore;
import io.sluice.store.QueryStore;
import io.sluice.testing.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;

/**
 * The query lifecycle without HTTP — H2 store, results folder, engines, worker pool, service —
 * built from the same parts as {@code Sluice}, with hooks on the store's compare-and-set so a test
 * can put a cancel or a refresh exactly between two steps of a run.
 */
final class LifecycleHarness implements AutoCloseable {

    static final Caller CALLER = Caller.ANONYMOUS;

    final HookedStore store;
    final FolderResultStore results;
    final QueryRunner runner;
    final QueryService service;
    private final Database database;
    private final Engines engines;
    private final ScheduledExecutorService timers;

    LifecycleHarness(Path dir, int workers, List<? extends Engine> engineList) {
        database = Database.open("jdbc:h2:file:" + dir.resolve("store/sluice"), "sa", "", 10);
        store = new HookedStore(new JdbcQueryStore(database.jdbi(), Json.mapper()));
        try {
            results = new FolderResultStore(dir.resolve("results"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        engines = new Engines(engineList, engineList.get(0).name());
        timers = Executors.newScheduledThreadPool(1);
        Clock clock = Clock.systemUTC();
        QueryTransitions transitions = new QueryTransitions(store, new QueryEvents(store), Lifecycle.Actor.of("harness"));
        runner = new QueryRunner(transitions, engines, results, clock, workers, 1, timers);
        service = new QueryService(store, results, engines, transitions, runner, clock,
                new QueryService.Limits(262_144, 100, 1000, 50, 200), RemovedResults.untracked());
    }

    /** A new DuckDB engine in {@code dir}, without sample data (quick to open). */
    static DuckDbEngine duckDb(Path dir) {
        return DuckDbEngine.open("duckdb", TestServer.config(dir, c ->
                ((ObjectNode) c.path("engines").path("duckdb"))
                        .put("sampleData", false).put("readOnly", false)).engines().settings("duckdb", DuckDbSettings.class).orElseThrow());
    }

    String submit(String sql) {
        return service.submit(CALLER, new Submission(sql, null, null, null, null)).id();
    }

    QueryRecord record(String id) {
        return store.find(id).orElseThrow();
    }

    boolean hasResult(String id, int run) {
        try {
            return results.open(id, run).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        runner.close();
        timers.shutdownNow();
        engines.close();
        database.close();
    }

    /** A store whose compare-and-set calls hooks just before and just after a successful write. */
    static final class HookedStore implements QueryStore {
        private final QueryStore delegate;
        volatile BiConsumer<QueryRecord, QueryRecord> beforeUpdate = (expected, next) -> { };
        volatile BiConsumer<QueryRecord, QueryRecord> afterUpdate = (expected, stored) -> { };

        HookedStore(QueryStore delegate) {
            this.delegate = delegate;
        }

        void reset() {
            beforeUpdate = (expected, next) -> { };
            afterUpdate = (expected, stored) -> { };
        }

        @Override
        public void insert(QueryRecord query) {
            delegate.insert(query);
        }

        @Override
        public Optional<QueryRecord> find(String id) {
            return delegate.find(id);
        }

        @Override
        public Optional<QueryRecord> update(QueryRecord expected, QueryRecord next) {
            beforeUpdate.accept(expected, next);
            Optional<QueryRecord> stored = delegate.update(expected, next);
            stored.ifPresent(s -> afterUpdate.accept(expected, s));
            return stored;
        }

        @Override
        public List<QueryRecord> history(HistoryQuery query) {
            return delegate.history(query);
        }

        @Override
        public Optional<QueryRecord> findByRequestId(String owner, String requestId) {
            return delegate.findByRequestId(owner, requestId);
        }

        @Override
        public List<QueryRecord> findByStates(Collection<QueryState> states, Collection<String> engineNames,
                                              int limit) {
            return delegate.findByStates(states, engineNames, limit);
        }

        @Override
        public int count(String owner, QueryState state, int atMost) {
            return delegate.count(owner, state, atMost);
        }

        @Override
        public List<QueryRecord> findStopsRequested(Collection<String> engineNames, int limit) {
            return delegate.findStopsRequested(engineNames, limit);
        }

        @Override
        public Optional<QueryRecord> updateRun(QueryRecord expected, QueryRecord next) {
            return delegate.updateRun(expected, next);
        }

        @Override
        public Optional<QueryRecord> findRun(String id, int run) {
            return delegate.findRun(id, run);
        }

        @Override
        public List<QueryRecord> runs(String id, int beforeRun, int limit) {
            return delegate.runs(id, beforeRun, limit);
        }

        @Override
        public List<QueryRecord> findOwnedRuns(String instanceId, int limit) {
            return delegate.findOwnedRuns(instanceId, limit);
        }

        @Override
        public List<String> findOwners() {
            return delegate.findOwners();
        }

        @Override
        public List<QueryRecord> findAll(Collection<String> ids) {
            return delegate.findAll(ids);
        }
    }
}
