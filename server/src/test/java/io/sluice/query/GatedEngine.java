package io.sluice.query;

import io.sluice.engine.Cancellation;
import io.sluice.engine.CatalogBrowser;
import io.sluice.engine.Column;
import io.sluice.engine.EngineCapabilities;
import io.sluice.engine.EngineException;
import io.sluice.engine.EngineQuery;
import io.sluice.engine.LocalEngine;
import io.sluice.engine.QueryContext;
import io.sluice.engine.RowSink;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A local engine for race tests. {@code row:N} answers one row {@code N} at once; {@code gate:N}
 * streams row {@code N}, then waits at {@link #gate} until the test thread arrives there too, so
 * the run's completion and the test's cancel or refresh are released together.
 */
final class GatedEngine implements LocalEngine {

    volatile CyclicBarrier gate = new CyclicBarrier(2);

    @Override
    public void execute(EngineQuery query, RowSink sink, Cancellation cancellation) throws EngineException {
        String[] parts = query.sql().split(":", 2);
        sink.columns(List.of(new Column("n", "bigint")));
        sink.row(new Object[]{Long.parseLong(parts[1])});
        if (parts[0].equals("gate")) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("QUERY_CANCELLED", EngineException.Kind.USER, "interrupted");
            } catch (BrokenBarrierException | TimeoutException e) {
                throw new EngineException("QUERY_FAILED", EngineException.Kind.INTERNAL, "gate broken");
            }
        }
    }

    @Override
    public String name() {
        return "gated";
    }

    @Override
    public String type() {
        return "gated";
    }

    @Override
    public EngineCapabilities capabilities() {
        return new EngineCapabilities(true, false, false, false, "duckdb", false, false, false);
    }

    @Override
    public CatalogBrowser catalog() {
        throw new UnsupportedOperationException("no catalog");
    }

    @Override
    public QueryContext defaultContext() {
        return new QueryContext("test", "main");
    }

    @Override
    public Duration maxRuntime() {
        return Duration.ofMinutes(5);
    }

    @Override
    public void close() {
    }
}
