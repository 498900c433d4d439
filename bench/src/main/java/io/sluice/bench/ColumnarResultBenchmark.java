package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.bench.Report.Stats;
import io.sluice.bench.Report.Table;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Storing and reading a large DuckDB result in the Parquet result store, side by side in one run
 * with the limit, DuckDB's own {@code COPY (query) TO 'file.parquet'} of the same query in a DuckDB
 * of the same threads and memory, and with the row format of earlier versions ({@code results.format:
 * rows}) storing the same query.
 *
 * <p>Measured: submit→SUCCEEDED (client clock, status polled every 20 ms) and the stored size;
 * first, middle and last page through the HTTP API; a sorted page (first and middle), a filtered
 * page and an aggregate of the same result, all computed over the stored file.
 *
 * <p>Run by {@code scripts/bench.sh columnar}. System properties: {@code rows} (5000000),
 * {@code repeats} (5 stores and 5 {@code COPY}s, after one store not counted), {@code rowFormatRepeats} (3; 0 leaves the row format out), {@code warmup} (30 rounds), {@code rounds} (200 page
 * rounds), {@code viewRounds} (30).
 */
public final class ColumnarResultBenchmark {

    private static final double PAGE_TARGET_MS = 20;
    private static final double VIEW_TARGET_MS = 500;
    private static final double STORE_TARGET_RATIO = 1.5;

    private final long rows = Long.getLong("rows", 5_000_000);
    private final int repeats = Integer.getInteger("repeats", 5);
    /** Stores with the row format of earlier versions (slow: 0 leaves them out). */
    private final int rowFormatRepeats = Integer.getInteger("rowFormatRepeats", 3);
    private final int warmup = Integer.getInteger("warmup", 30);
    private final int rounds = Integer.getInteger("rounds", 200);
    private final int viewRounds = Integer.getInteger("viewRounds", 30);

    public static void main(String[] args) throws Exception {
        new ColumnarResultBenchmark().run();
    }

    private String sql() {
        return "SELECT range AS id, 'name-' || range AS name, range * 1.5 AS amount, "
                + "DATE '2024-01-01' + CAST(range % 365 AS INTEGER) AS day, "
                + "CASE WHEN range % 10 = 0 THEN NULL ELSE 'x' END AS maybe FROM range(" + rows + ")";
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        Report.heading("10. Columnar results: storing, paging, sorting and filtering a " + String.format(Locale.ROOT,
                "%,d", rows) + "-row result", String.format(Locale.ROOT,
                "Query: `%s`. Limit: DuckDB's own `COPY (query) TO 'x.parquet'` in a DuckDB of the same threads (%d) "
                        + "and memory (%s). Sluice: submitted through `POST /api/query`, submit→SUCCEEDED on the client's "
                        + "clock (status polled every 20 ms); one store not counted (JIT warm-up), then %d of each, the limit and Sluice in turn, median shown. Then pages, sorted and filtered "
                        + "pages and an aggregate of one stored result through the HTTP API.",
                sql(), BenchServer.DUCKDB_THREADS, BenchServer.DUCKDB_MEMORY, repeats));

        Stored rowsFormat = new Stored(null, new ArrayList<>(), 0);
        if (rowFormatRepeats > 0) {
            try (BenchServer server = BenchServer.start(root -> ((ObjectNode) root.get("results")).put("format", "rows"))) {
                store(server); // warm-up, not counted
                for (int i = 0; i < rowFormatRepeats; i++) {
                    rowsFormat = rowsFormat.and(store(server));
                }
            }
        }
        try (BenchServer server = BenchServer.start()) {
            // One store first, not counted (class loading and the JIT), then the limit and Sluice in
            // turn, so that a slower spell of the machine falls on both alike.
            store(server);
            List<Double> copy = new ArrayList<>();
            Stored parquet = new Stored(null, new ArrayList<>(), 0);
            long copyBytes = 0;
            for (int i = 0; i < repeats; i++) {
                Path scratch = BenchServer.tempDir("sluice-copy");
                try {
                    Path file = scratch.resolve("copy.parquet");
                    copy.add(copyOnce(file));
                    copyBytes = Files.size(file);
                } finally {
                    BenchServer.deleteTree(scratch);
                }
                parquet = parquet.and(store(server));
            }
            double limit = median(copy);
            Report.line("### Storing the result");
            Report.line("");
            Table table = new Table("how", "seconds (median)", "runs", "stored MB", "× COPY", "target")
                    .row("DuckDB `COPY … TO` Parquet (the limit)", f2(limit), list(copy), f1(copyBytes / 1e6), "1.00×", "")
                    .row("Sluice, Parquet store (Arrow → COPY)", f2(median(parquet.seconds)), list(parquet.seconds),
                            f1(parquet.bytes / 1e6), f2(median(parquet.seconds) / limit) + "×",
                            "≤ " + STORE_TARGET_RATIO + "× " + (median(parquet.seconds) / limit <= STORE_TARGET_RATIO ? "met" : "missed"));
            if (!rowsFormat.seconds.isEmpty()) {
                table.row("Sluice, row format of earlier versions", f2(median(rowsFormat.seconds)), list(rowsFormat.seconds),
                        f1(rowsFormat.bytes / 1e6), f2(median(rowsFormat.seconds) / limit) + "×", "");
            }
            table.print();
            pages(server, parquet.id);
            views(server, parquet.id);
        }
        Report.line(String.format(Locale.ROOT, "Benchmark time: %.0f s; load average now %s.",
                (System.nanoTime() - began) / 1e9, Report.loadAverage()));
        Report.line("");
    }

    private record Stored(String id, List<Double> seconds, long bytes) {
        /** These runs and {@code run}: its id and size, all the times. */
        Stored and(Stored run) {
            List<Double> all = new ArrayList<>(seconds);
            all.addAll(run.seconds);
            return new Stored(run.id, all, run.bytes);
        }
    }

    /** DuckDB's own {@code COPY (query) TO file}, in a DuckDB of the server's threads and memory: seconds. */
    private double copyOnce(Path file) throws SQLException {
        Properties p = new Properties();
        p.setProperty("threads", Integer.toString(BenchServer.DUCKDB_THREADS));
        p.setProperty("memory_limit", BenchServer.DUCKDB_MEMORY);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:", p); Statement s = duck.createStatement()) {
            long t = System.nanoTime();
            s.execute("COPY (" + sql() + ") TO '" + file + "' (FORMAT parquet)");
            return (System.nanoTime() - t) / 1e9;
        }
    }

    /** Stores the query once: its id, time and stored size. */
    private Stored store(BenchServer server) throws Exception {
        long t = System.nanoTime();
        String id = server.submit(sql());
        JsonNode status = server.awaitEnd(id, Duration.ofMillis(20), Duration.ofMinutes(20));
        double seconds = (System.nanoTime() - t) / 1e9;
        if (!status.path("state").asText().equals("SUCCEEDED") || status.path("statistics").path("rows").asLong() != rows) {
            throw new IllegalStateException("the result query ended " + status);
        }
        long bytes;
        try (Stream<Path> files = Files.walk(server.resultsDir().resolve(id))) {
            bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        return new Stored(id, List.of(seconds), bytes);
    }

    private void pages(BenchServer server, String id) {
        Map<String, String> pages = new LinkedHashMap<>();
        for (int limit : new int[] {100, 1000}) {
            pages.put("first, " + limit + " rows", "offset=0&limit=" + limit);
            pages.put("middle, " + limit + " rows", "offset=" + rows / 2 + "&limit=" + limit);
            pages.put("last, " + limit + " rows", "offset=" + (rows - limit) + "&limit=" + limit);
        }
        Map<String, List<Long>> times = new LinkedHashMap<>();
        for (int round = 0; round < warmup + rounds; round++) {
            for (Map.Entry<String, String> page : pages.entrySet()) {
                long t = System.nanoTime();
                JsonNode data = server.get("/api/query/" + id + "/results?" + page.getValue()).expect(200).data();
                long nanos = System.nanoTime() - t;
                if (data.path("rows").size() < 100) {
                    throw new IllegalStateException("page " + page + " came back short");
                }
                if (round >= warmup) {
                    times.computeIfAbsent(page.getKey(), k -> new ArrayList<>()).add(nanos);
                }
            }
        }
        Report.line("### Pages (HTTP, " + rounds + " rounds after " + warmup + " warm-up)");
        Report.line("");
        Table table = new Table("page", "p50 ms", "p99 ms", "max ms", "target p50/p99 < " + PAGE_TARGET_MS + " ms");
        double minP50 = Double.MAX_VALUE;
        double maxP50 = 0;
        for (Map.Entry<String, List<Long>> e : times.entrySet()) {
            Stats s = Stats.ofNanos(e.getValue());
            minP50 = Math.min(minP50, s.p50());
            maxP50 = Math.max(maxP50, s.p50());
            table.row(e.getKey(), f2(s.p50()), f2(s.p99()), f2(s.max()),
                    s.p50() < PAGE_TARGET_MS && s.p99() < PAGE_TARGET_MS ? "met" : "missed");
        }
        table.print();
        Report.line(String.format(Locale.ROOT, "Slowest page p50 / fastest page p50: %.2f× (target ≤ 2×).", maxP50 / minP50));
        Report.line("");
    }

    private void views(BenchServer server, String id) {
        Map<String, String> views = new LinkedHashMap<>();
        views.put("sorted (`sort=name:desc`), first page", "/results?limit=100&offset=0&sort=" + enc("name:desc"));
        views.put("sorted (`sort=name:desc`), pages from the middle on", "/results?limit=100&offset={offset}&sort=" + enc("name:desc"));
        views.put("filtered (`contains:name:99`, `gt:amount:1000`), first page",
                "/results?limit=100&offset=0&filter=" + enc("contains:name:99") + "&filter=" + enc("gt:amount:1000"));
        views.put("filtered and sorted, first page", "/results?limit=100&offset=0&filter=" + enc("contains:name:99")
                + "&sort=" + enc("amount:desc"));
        views.put("filtered and sorted, deep pages", "/results?limit=100&offset={offset}&filter=" + enc("contains:name:9")
                + "&sort=" + enc("amount:desc"));
        views.put("aggregate (`groupBy=day`, count and sum)", "/aggregate?groupBy=day&measures=" + enc("count,sum:amount"));
        Table table = new Table("view", "first request ms", "p50 ms", "p99 ms", "max ms",
                "target p99 < " + (int) VIEW_TARGET_MS + " ms");
        for (Map.Entry<String, String> view : views.entrySet()) {
            long[] nanos = new long[viewRounds];
            long t0 = System.nanoTime();
            long start = view.getKey().contains("filtered and sorted") ? 100_000 : rows / 2;
            server.get("/api/query/" + id + view.getValue().replace("{offset}", Long.toString(start))).expect(200);
            double first = (System.nanoTime() - t0) / 1e6;
            for (int i = 0; i < viewRounds; i++) {
                // a different page each time: from the middle of the view (or deep into it) on
                String path = view.getValue().replace("{offset}", Long.toString(start + 1_000L * (i + 1)));
                long t = System.nanoTime();
                server.get("/api/query/" + id + path).expect(200);
                nanos[i] = System.nanoTime() - t;
            }
            Stats s = Stats.ofNanos(nanos);
            table.row(view.getKey(), f2(first), f2(s.p50()), f2(s.p99()), f2(s.max()), s.p99() < VIEW_TARGET_MS ? "met" : "missed");
        }
        Report.line("### Sorted and filtered pages, aggregate (HTTP: the first request of each view, then "
                + viewRounds + " requests, one after another)");
        Report.line("");
        Report.line("A view of a result of 100,000 rows or more is written to a file in the background after its "
                + "first request; the requests before it is written are answered by sorting the stored result.");
        Report.line("");
        table.print();
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static String list(List<Double> values) {
        return String.join(" / ", values.stream().map(ColumnarResultBenchmark::f2).toList());
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
