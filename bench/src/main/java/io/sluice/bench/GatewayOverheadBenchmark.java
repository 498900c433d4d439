package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.Report.Stats;
import io.sluice.bench.Report.Table;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Submit→SUCCEEDED overhead of the gateway against the same SQL on DuckDB JDBC directly.
 *
 * <p>For each query, one iteration measures, in a rotating order:
 * <ul>
 *   <li><b>direct</b>: a read-only DuckDB JDBC connection of its own to the engine's database file;
 *       {@code executeQuery} and read every value of every row;</li>
 *   <li><b>sync</b>: {@code POST /api/duckdb/query} round trip (answers when the query has ended,
 *       with the first page);</li>
 *   <li><b>async</b>: {@code POST /api/query}, then {@code GET /api/query/{id}/status} every
 *       {@code pollMicros} until SUCCEEDED (so the poll interval bounds its resolution), and the
 *       server's own submittedAt→completedAt of that query (millisecond timestamps).</li>
 * </ul>
 * and a {@code GET /health} round trip, the floor of any HTTP call. One query at a time.
 *
 * <p>Run by {@code scripts/bench.sh gateway}. System properties: {@code warmup} (300 iterations),
 * {@code iterations} (1000), {@code pollMicros} (1000).
 */
public final class GatewayOverheadBenchmark {

    private static final double TARGET_MS = 10;

    private record Workload(String name, String sql) {
    }

    private static final List<Workload> WORKLOADS = List.of(
            new Workload("`SELECT 42`", "SELECT 42"),
            new Workload("`events` aggregation", "SELECT event_type, count(*) AS n FROM events GROUP BY 1 ORDER BY 1"));

    private enum Mode { DIRECT, SYNC, ASYNC }

    /** Samples in nanoseconds, per workload and measurement. */
    private final Map<String, List<Long>> samples = new LinkedHashMap<>();
    private final int warmup = Integer.getInteger("warmup", 300);
    private final int iterations = Integer.getInteger("iterations", 1000);
    private final long pollNanos = Integer.getInteger("pollMicros", 1000) * 1000L;

    public static void main(String[] args) throws Exception {
        new GatewayOverheadBenchmark().run();
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        try (BenchServer server = BenchServer.start(); Connection direct = server.openDirect()) {
            Report.heading("1. Gateway overhead: submit→SUCCEEDED vs DuckDB JDBC directly", String.format(Locale.ROOT,
                    "%d warm-up + %d measured iterations per query, one query at a time, measurements interleaved "
                            + "in a rotating order; async status polled every %.1f ms. Server: in this JVM, "
                            + "local defaults (H2 file store, results folder, 4 workers, DuckDB %d threads), "
                            + "`results.fsync` %s, INFO JSON logs to a file.",
                    warmup, iterations, pollNanos / 1e6, BenchServer.DUCKDB_THREADS,
                    server.config().results().fsync() ? "on" : "off"));
            for (Workload w : WORKLOADS) {
                check(server, direct, w);
            }
            Mode[] modes = Mode.values();
            for (int i = 0; i < warmup + iterations; i++) {
                boolean measured = i >= warmup;
                for (Workload w : WORKLOADS) {
                    for (int k = 0; k < modes.length; k++) {
                        Mode mode = modes[(i + k) % modes.length];
                        switch (mode) {
                            case DIRECT -> record(measured, w, "direct", timeDirect(direct, w.sql()));
                            case SYNC -> record(measured, w, "sync", timeSync(server, w.sql()));
                            case ASYNC -> timeAsync(server, w, measured);
                        }
                    }
                }
                long t = System.nanoTime();
                server.get("/health").expect(200);
                record(measured, null, "health", System.nanoTime() - t);
            }
            print();
        }
        Report.line(String.format(Locale.ROOT, "Benchmark time: %.0f s; load average now %s.",
                (System.nanoTime() - began) / 1e9, Report.loadAverage()));
        Report.line("");
    }

    /** The gateway and the direct connection return the same number of rows. */
    private static void check(BenchServer server, Connection direct, Workload w) throws SQLException {
        int rows = 0;
        try (Statement s = direct.createStatement(); ResultSet rs = s.executeQuery(w.sql())) {
            while (rs.next()) {
                rows++;
            }
        }
        JsonNode data = server.post("/api/duckdb/query", Map.of("sql", w.sql())).expect(200).data();
        if (data.path("totalRows").asLong() != rows || data.path("rows").size() != rows) {
            throw new IllegalStateException(w.name() + ": direct " + rows + " rows, gateway " + data);
        }
    }

    private static long timeDirect(Connection c, String sql) throws SQLException {
        long t = System.nanoTime();
        long values = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    if (rs.getObject(i) != null) {
                        values++;
                    }
                }
            }
        }
        long elapsed = System.nanoTime() - t;
        if (values == 0) {
            throw new IllegalStateException("no rows from " + sql);
        }
        return elapsed;
    }

    private static long timeSync(BenchServer server, String sql) {
        long t = System.nanoTime();
        BenchServer.Answer answer = server.post("/api/duckdb/query", Map.of("sql", sql));
        long elapsed = System.nanoTime() - t;
        answer.expect(200);
        return elapsed;
    }

    private void timeAsync(BenchServer server, Workload w, boolean measured) {
        long t = System.nanoTime();
        String id = server.submit(w.sql());
        JsonNode status;
        int polls = 0;
        while (true) {
            status = server.status(id);
            polls++;
            String state = status.path("state").asText();
            if (state.equals("SUCCEEDED")) {
                break;
            }
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                throw new IllegalStateException(w.name() + " ended " + state + ": " + status);
            }
            LockSupport.parkNanos(pollNanos);
        }
        long elapsed = System.nanoTime() - t;
        Instant submitted = Instant.parse(status.path("submittedAt").asText());
        Instant started = Instant.parse(status.path("startedAt").asText());
        Instant completed = Instant.parse(status.path("completedAt").asText());
        record(measured, w, "async", elapsed);
        record(measured, w, "async polls", polls * 1_000_000L); // a count, kept as "ms" for the table
        record(measured, w, "server submitted→completed", Duration.between(submitted, completed).toNanos());
        record(measured, w, "server submitted→started", Duration.between(submitted, started).toNanos());
        record(measured, w, "server started→completed", Duration.between(started, completed).toNanos());
    }

    private void record(boolean measured, Workload w, String measurement, long nanos) {
        if (measured) {
            samples.computeIfAbsent(key(w, measurement), k -> new ArrayList<>()).add(nanos);
        }
    }

    private static String key(Workload w, String measurement) {
        return (w == null ? "" : w.name()) + "|" + measurement;
    }

    private Stats stats(Workload w, String measurement) {
        return Stats.ofNanos(samples.get(key(w, measurement)));
    }

    private void print() {
        Report.line("### Latency (ms)");
        Report.line("");
        Table latency = new Table("query", "measurement", "n", "p50 ms", "p99 ms", "mean ms", "max ms");
        for (Workload w : WORKLOADS) {
            add(latency, w, "direct", "direct: DuckDB JDBC, execute + read all rows");
            add(latency, w, "sync", "gateway sync: `POST /api/duckdb/query` round trip");
            add(latency, w, "async", "gateway async: `POST /api/query` + poll status until SUCCEEDED");
            add(latency, w, "server submitted→completed", "server side: submittedAt→completedAt (ms resolution)");
            add(latency, w, "server submitted→started", "… of which submittedAt→startedAt (queue)");
            add(latency, w, "server started→completed", "… of which startedAt→completedAt (run + store result)");
            Stats polls = stats(w, "async polls");
            latency.row(w.name(), "status polls per async query (count, not ms)", polls.n(), polls.p50(), polls.p99(),
                    polls.mean(), polls.max());
        }
        add(latency, null, "health", "`GET /health` round trip (HTTP floor)");
        latency.print();

        Report.line("### Overhead = gateway − direct (ms), target < " + Report.ms(TARGET_MS) + " ms per query");
        Report.line("");
        Report.line("Differences of the percentiles (gateway p50 − direct p50, gateway p99 − direct p99).");
        Report.line("");
        Table overhead = new Table("query", "route", "overhead p50 ms", "overhead p99 ms", "p50 < 10 ms",
                "p99 < 10 ms");
        for (Workload w : WORKLOADS) {
            Stats direct = stats(w, "direct");
            for (String[] route : new String[][] {{"sync", "sync `POST /api/duckdb/query`"},
                    {"async", "async submit + poll"}, {"server submitted→completed", "server submitted→completed"}}) {
                Stats g = stats(w, route[0]);
                double p50 = g.p50() - direct.p50();
                double p99 = g.p99() - direct.p99();
                overhead.row(w.name(), route[1], p50, p99, Report.verdict(p50 < TARGET_MS),
                        Report.verdict(p99 < TARGET_MS));
            }
        }
        overhead.print();
    }

    private void add(Table table, Workload w, String measurement, String label) {
        Stats s = stats(w, measurement);
        table.row(w == null ? "–" : w.name(), label, s.n(), s.p50(), s.p99(), s.mean(), s.max());
    }
}
