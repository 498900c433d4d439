package io.sluice.query;

import io.sluice.api.ApiException;
import io.sluice.engine.Cancellation;
import io.sluice.engine.CatalogBrowser;
import io.sluice.engine.EngineCapabilities;
import io.sluice.engine.EngineException;
import io.sluice.engine.EngineQuery;
import io.sluice.engine.LocalEngine;
import io.sluice.engine.QueryContext;
import io.sluice.engine.RowSink;
import io.sluice.engine.duckdb.DuckDbEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A cancel or refresh placed exactly between two steps of a run (through hooks on the store's
 * compare-and-set and on the engine's cancel switch), one interleaving per test: whatever the
 * moment, the answer matches what is stored, a cancelled statement is really interrupted and the
 * worker is freed, and a completed query stays completed.
 */
class CancelInterleavingTest {

    /** A long DuckDB statement runs for minutes: a worker still busy after this was not interrupted. */
    private static final Duration WORKER_FREED = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    LifecycleHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aCancelStoredRightAfterTheRunStartsStillInterruptsTheStatement() {
        harness = new LifecycleHarness(dir, 1, List.of(LifecycleHarness.duckDb(dir)));
        AtomicReference<CancelOutcome> answer = new AtomicReference<>();
        harness.store.afterUpdate = (expected, stored) -> {
            if (expected.state() == QueryState.QUEUED && stored.state() == QueryState.RUNNING) {
                // On the worker, between its QUEUED→RUNNING write and the statement's start.
                answer.set(harness.service.cancel(LifecycleHarness.CALLER, stored.id()));
            }
        };
        String id = harness.submit(LONG_RUNNING);

        await().atMost(WORKER_FREED).until(() -> harness.runner.busyWorkers() == 0);
        assertThat(answer.get()).isEqualTo(CancelOutcome.CANCELLED);
        QueryRecord record = harness.record(id);
        assertThat(record.state()).isEqualTo(QueryState.CANCELLED);
        assertThat(record.startedAt()).isNotNull();
        assertThat(harness.hasResult(id, 1)).isFalse();
    }

    @Test
    void aCancelThatDuckDbDropsBeforeTheStatementStartsIsRepeatedUntilItTakes() {
        DuckDbEngine duck = LifecycleHarness.duckDb(dir);
        AtomicReference<LifecycleHarness> self = new AtomicReference<>();
        // DuckDB ignores Statement.cancel() on a statement that is not executing yet. This engine
        // cancels the query at the last moment before DuckDB starts it: after the engine's final
        // look at the switch (which still answers "not cancelled").
        LocalEngine cancelledAtTheLastMoment = new DelegatingEngine(duck) {
            @Override
            public void execute(EngineQuery query, RowSink sink, Cancellation cancellation) throws EngineException {
                AtomicBoolean looked = new AtomicBoolean();
                duck.execute(query, sink, new Cancellation() {
                    @Override
                    public boolean isCancelled() {
                        if (looked.compareAndSet(false, true)) {
                            self.get().service.cancel(LifecycleHarness.CALLER, query.queryId());
                            return false;
                        }
                        return cancellation.isCancelled();
                    }

                    @Override
                    public void onCancel(Runnable interrupt) {
                        cancellation.onCancel(interrupt);
                    }
                });
            }
        };
        harness = new LifecycleHarness(dir, 1, List.of(cancelledAtTheLastMoment));
        self.set(harness);
        String id = harness.submit(LONG_RUNNING);

        await().atMost(WORKER_FREED).until(() -> harness.runner.busyWorkers() == 0);
        assertThat(harness.record(id).state()).isEqualTo(QueryState.CANCELLED);
        assertThat(harness.hasResult(id, 1)).isFalse();
    }

    @Test
    void aCancelBetweenPublishingTheResultAndStoringSucceededWinsAndTheResultIsRemoved() {
        harness = new LifecycleHarness(dir, 1, List.of(new GatedEngine()));
        AtomicReference<CancelOutcome> answer = new AtomicReference<>();
        harness.store.beforeUpdate = (expected, next) -> {
            if (next.state() == QueryState.SUCCEEDED && answer.get() == null) {
                // The result is published; the worker is about to store SUCCEEDED.
                assertThat(harness.hasResult(next.id(), next.run())).isTrue();
                answer.set(harness.service.cancel(LifecycleHarness.CALLER, next.id()));
            }
        };
        String id = harness.submit("row:7");

        await().atMost(WORKER_FREED).until(() -> harness.runner.busyWorkers() == 0);
        assertThat(answer.get()).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(harness.record(id).state()).isEqualTo(QueryState.CANCELLED);
        assertThat(harness.hasResult(id, 1)).as("a result published by the loser of the race").isFalse();
        assertThatThrownBy(() -> harness.service.results(LifecycleHarness.CALLER, id, new PageRequest(null, null, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(410));
    }

    @Test
    void aCancelRightAfterSucceededIsStoredFindsItFinishedAndChangesNothing() {
        harness = new LifecycleHarness(dir, 1, List.of(new GatedEngine()));
        AtomicReference<Throwable> answer = new AtomicReference<>();
        harness.store.afterUpdate = (expected, stored) -> {
            if (stored.state() == QueryState.SUCCEEDED) {
                try {
                    harness.service.cancel(LifecycleHarness.CALLER, stored.id());
                } catch (RuntimeException e) {
                    answer.set(e);
                }
            }
        };
        String id = harness.submit("row:7");

        await().atMost(WORKER_FREED).until(() -> answer.get() != null && harness.runner.busyWorkers() == 0);
        assertThat(answer.get()).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code().name()).isEqualTo("QUERY_ALREADY_FINISHED"));
        assertThat(harness.record(id).state()).isEqualTo(QueryState.SUCCEEDED);
        assertThat(harness.service.results(LifecycleHarness.CALLER, id, new PageRequest(null, null, null))
                .page().rowsJson()).containsExactly("[7]");
    }

    @Test
    void aCancelRightAfterARefreshIsStoredCancelsTheNewRunBeforeItStarts() {
        harness = new LifecycleHarness(dir, 1, List.of(new GatedEngine()));
        String id = harness.submit("row:3");
        await().atMost(WORKER_FREED).until(() -> harness.record(id).state() == QueryState.SUCCEEDED);
        AtomicReference<CancelOutcome> answer = new AtomicReference<>();
        harness.store.afterUpdate = (expected, stored) -> {
            if (stored.run() == 2 && stored.state() == QueryState.QUEUED) {
                answer.set(harness.service.cancel(LifecycleHarness.CALLER, stored.id()));
            }
        };

        QueryRecord refreshed = harness.service.refresh(LifecycleHarness.CALLER, id);

        assertThat(refreshed.run()).isEqualTo(2);
        assertThat(answer.get()).isEqualTo(CancelOutcome.CANCELLED);
        await().atMost(WORKER_FREED).until(() -> harness.runner.busyWorkers() == 0);
        QueryRecord record = harness.record(id);
        assertThat(record.run()).isEqualTo(2);
        assertThat(record.state()).isEqualTo(QueryState.CANCELLED);
        assertThat(record.startedAt()).as("the new run never started").isNull();
        assertThat(harness.hasResult(id, 1)).isFalse();
        assertThat(harness.hasResult(id, 2)).isFalse();
    }

    @Test
    void aCancelJustBeforeARefreshIsStoredFindsTheFinishedRunAndTheRefreshRuns() {
        harness = new LifecycleHarness(dir, 1, List.of(new GatedEngine()));
        String id = harness.submit("row:3");
        await().atMost(WORKER_FREED).until(() -> harness.record(id).state() == QueryState.SUCCEEDED);
        AtomicReference<Throwable> answer = new AtomicReference<>();
        harness.store.beforeUpdate = (expected, next) -> {
            if (next.run() == 2 && answer.get() == null) {
                try {
                    harness.service.cancel(LifecycleHarness.CALLER, next.id());
                } catch (RuntimeException e) {
                    answer.set(e);
                }
            }
        };

        harness.service.refresh(LifecycleHarness.CALLER, id);

        assertThat(answer.get()).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code().name()).isEqualTo("QUERY_ALREADY_FINISHED"));
        await().atMost(WORKER_FREED).until(() -> harness.record(id).state() == QueryState.SUCCEEDED);
        assertThat(harness.record(id).run()).isEqualTo(2);
        assertThat(harness.hasResult(id, 1)).isFalse();
        assertThat(harness.hasResult(id, 2)).isTrue();
    }

    /** Passes everything to another local engine; tests override what they need. */
    private static class DelegatingEngine implements LocalEngine {
        private final LocalEngine delegate;

        DelegatingEngine(LocalEngine delegate) {
            this.delegate = delegate;
        }

        @Override
        public void execute(EngineQuery query, RowSink sink, Cancellation cancellation) throws EngineException {
            delegate.execute(query, sink, cancellation);
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public String type() {
            return delegate.type();
        }

        @Override
        public EngineCapabilities capabilities() {
            return delegate.capabilities();
        }

        @Override
        public CatalogBrowser catalog() {
            return delegate.catalog();
        }

        @Override
        public QueryContext defaultContext() {
            return delegate.defaultContext();
        }

        @Override
        public Duration maxRuntime() {
            return delegate.maxRuntime();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
