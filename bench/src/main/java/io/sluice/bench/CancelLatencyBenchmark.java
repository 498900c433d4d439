package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.Report.Stats;
import io.sluice.bench.Report.Table;
import io.sluice.access.Caller;
import io.sluice.query.CancelOutcome;
import io.sluice.query.QueryRunner;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Cancel latency: from {@code POST /api/query/{id}/cancel} to the worker being free again
 * ({@link QueryRunner#busyWorkers()} back to 0, watched in-process every 0.1 ms), over many
 * cancels of a query that would run for hours; and the cancel call's own HTTP response time.
 * The same with {@code QueryService.cancel} called in-process instead of the HTTP route, to
 * separate HTTP from the service. Baseline, interleaved: the same SQL on a DuckDB JDBC connection directly, from
 * {@code Statement.cancel()} to the executing thread's return.
 *
 * <p>Each gateway cancel waits until the query's status is RUNNING and the worker is busy, then
 * {@code settleMillis} more, so the statement is really executing in DuckDB when the cancel comes.
 *
 * <p>Run by {@code scripts/bench.sh cancel}. System properties: {@code cancels} (100),
 * {@code warmup} (10), {@code settleMillis} (50).
 */
public final class CancelLatencyBenchmark {

    private static final String SQL = "SELECT sum(range % 7) FROM range(1000000000000)";
    private static final double TARGET_P99_MS = 200;
    private static final double REQUIRED_P99_MS = 2000;
    private static final long SPIN_NANOS = 100_000;

    private final int cancels = Integer.getInteger("cancels", 100);
    private final int warmup = Integer.getInteger("warmup", 10);
    private final long settleMillis = Long.getLong("settleMillis", 50);

    private final List<Long> gatewayFree = new ArrayList<>();
    private final List<Long> serviceFree = new ArrayList<>();
    private final List<Long> serviceCall = new ArrayList<>();
    private final List<Long> gatewayResponse = new ArrayList<>();
    private final List<Long> directReturn = new ArrayList<>();
    private final List<Long> directCancelCall = new ArrayList<>();
    /** Calls {@code QueryService.cancel} as an HTTP handler thread would, while this thread watches the worker. */
    private final ExecutorService inProcess = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "in-process-cancel");
        t.setDaemon(true);
        return t;
    });

    public static void main(String[] args) throws Exception {
        new CancelLatencyBenchmark().run();
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        ExecutorService executing = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "direct-duckdb");
            t.setDaemon(true);
            return t;
        });
        try (BenchServer server = BenchServer.start(); Connection direct = server.openDirect()) {
            Report.heading("3. Cancel latency: POST cancel → worker free", String.format(Locale.ROOT,
                    "Query: `%s` (hours of work). %d warm-up + %d measured cancels each of three kinds, "
                            + "interleaved in a rotating order. Gateway: submit through `POST /api/query`, wait for status RUNNING and a "
                            + "busy worker, %d ms more, then `POST /api/query/{id}/cancel` (async client) while "
                            + "`sluice.runner().busyWorkers()` is read every %.1f ms in-process. "
                            + "In-process: the same, but `sluice.queries().cancel(..)` called on another thread "
                            + "instead of the HTTP route. Direct: the same SQL on a DuckDB JDBC connection to the same database, "
                            + "`Statement.cancel()` %d ms after `executeQuery` was called, until that call returns. "
                            + "Server `results.fsync` %s.",
                    SQL, warmup, cancels, settleMillis, SPIN_NANOS / 1e6, settleMillis,
                    server.config().results().fsync() ? "on" : "off"));
            QueryRunner runner = server.sluice().runner();
            for (int i = 0; i < warmup + cancels; i++) {
                boolean measured = i >= warmup;
                for (int k = 0; k < 3; k++) {
                    switch ((i + k) % 3) {
                        case 0 -> gateway(server, runner, measured, true);
                        case 1 -> gateway(server, runner, measured, false);
                        default -> direct(direct, executing, measured);
                    }
                }
            }
            print();
        } finally {
            executing.shutdownNow();
            inProcess.shutdownNow();
        }
        Report.line(String.format(Locale.ROOT, "Benchmark time: %.0f s; load average now %s.",
                (System.nanoTime() - began) / 1e9, Report.loadAverage()));
        Report.line("");
    }

    /** @param http cancel through the HTTP route; else call {@code QueryService.cancel} in-process */
    private void gateway(BenchServer server, QueryRunner runner, boolean measured, boolean http) {
        if (runner.busyWorkers() != 0) {
            throw new IllegalStateException("a worker is still busy before the submit");
        }
        String id = server.submit(SQL);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!server.status(id).path("state").asText().equals("RUNNING") || runner.busyWorkers() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("query " + id + " did not start: " + server.status(id));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        BenchServer.sleep(Duration.ofMillis(settleMillis));
        if (runner.busyWorkers() != 1) {
            throw new IllegalStateException("expected one busy worker, found " + runner.busyWorkers());
        }
        AtomicLong answered = new AtomicLong();
        long t0 = System.nanoTime();
        CompletableFuture<BenchServer.Answer> cancel = http
                ? server.postAsync("/api/query/" + id + "/cancel", Map.of())
                        .whenComplete((a, e) -> answered.set(System.nanoTime()))
                : CompletableFuture.supplyAsync(() -> {
                    CancelOutcome outcome = server.sluice().queries().cancel(Caller.ANONYMOUS, id);
                    answered.set(System.nanoTime());
                    return new BenchServer.Answer(200, "{\"messageCode\":\"QUERY_" + outcome + "\"}");
                }, inProcess);
        while (runner.busyWorkers() != 0) {
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                throw new IllegalStateException("worker of " + id + " still busy 30 s after the cancel");
            }
            LockSupport.parkNanos(SPIN_NANOS);
        }
        long free = System.nanoTime() - t0;
        JsonNode body = cancel.join().expect(200).json();
        if (!body.path("messageCode").asText().equals("QUERY_CANCELLED")) {
            throw new IllegalStateException("cancel answered " + body);
        }
        String state = server.status(id).path("state").asText();
        if (!state.equals("CANCELLED")) {
            throw new IllegalStateException("query " + id + " is " + state + " after the cancel");
        }
        if (measured && http) {
            gatewayFree.add(free);
            gatewayResponse.add(answered.get() - t0);
        } else if (measured) {
            serviceFree.add(free);
            serviceCall.add(answered.get() - t0);
        }
    }

    private void direct(Connection connection, ExecutorService executing, boolean measured) throws Exception {
        try (Statement statement = connection.createStatement()) {
            AtomicLong returned = new AtomicLong();
            Future<Boolean> run = executing.submit(() -> {
                try (ResultSet rs = statement.executeQuery(SQL)) {
                    rs.next();
                    return false; // finished: it must not, in a few ms
                } catch (SQLException e) {
                    return true; // interrupted
                } finally {
                    returned.set(System.nanoTime());
                }
            });
            BenchServer.sleep(Duration.ofMillis(settleMillis));
            if (returned.get() != 0) {
                throw new IllegalStateException("the direct query ended before its cancel: " + run.get());
            }
            long t0 = System.nanoTime();
            statement.cancel();
            long cancelCall = System.nanoTime() - t0;
            while (returned.get() == 0) {
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                    throw new IllegalStateException("direct query still running 30 s after cancel()");
                }
                LockSupport.parkNanos(SPIN_NANOS);
            }
            if (!run.get()) {
                throw new IllegalStateException("the direct query finished instead of being cancelled");
            }
            if (measured) {
                directReturn.add(returned.get() - t0);
                directCancelCall.add(cancelCall);
            }
        }
    }

    private void print() {
        Stats free = Stats.ofNanos(gatewayFree);
        Stats service = Stats.ofNanos(serviceFree);
        Stats serviceReturn = Stats.ofNanos(serviceCall);
        Stats response = Stats.ofNanos(gatewayResponse);
        Stats direct = Stats.ofNanos(directReturn);
        Stats call = Stats.ofNanos(directCancelCall);
        Report.line("### Latency (ms)");
        Report.line("");
        new Table("measurement", "n", "p50 ms", "p99 ms", "mean ms", "max ms")
                .row("gateway: `POST …/cancel` sent → worker free (busyWorkers 0)", free.n(), free.p50(), free.p99(),
                        free.mean(), free.max())
                .row("gateway: `POST …/cancel` HTTP response time", response.n(), response.p50(), response.p99(),
                        response.mean(), response.max())
                .row("in-process: `QueryService.cancel` called → worker free (no HTTP)", service.n(), service.p50(),
                        service.p99(), service.mean(), service.max())
                .row("in-process: the `QueryService.cancel` call itself", serviceReturn.n(), serviceReturn.p50(),
                        serviceReturn.p99(), serviceReturn.mean(), serviceReturn.max())
                .row("direct: `Statement.cancel()` → executing thread returned", direct.n(), direct.p50(),
                        direct.p99(), direct.mean(), direct.max())
                .row("direct: the `Statement.cancel()` call itself", call.n(), call.p50(), call.p99(), call.mean(),
                        call.max())
                .print();
        Report.line("### Targets");
        Report.line("");
        new Table("target", "measured", "verdict")
                .row("gateway cancel → worker free p99 < " + Report.ms(TARGET_P99_MS) + " ms",
                        Report.ms(free.p99()) + " ms", Report.verdict(free.p99() < TARGET_P99_MS))
                .row("cancel < 2 s (the requirement), p99", Report.ms(free.p99()) + " ms",
                        Report.verdict(free.p99() < REQUIRED_P99_MS))
                .row("gateway overhead over direct (p50 / p99)", Report.ms(free.p50() - direct.p50()) + " / "
                        + Report.ms(free.p99() - direct.p99()) + " ms", "–")
                .print();
    }
}
