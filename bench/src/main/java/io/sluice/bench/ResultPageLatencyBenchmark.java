package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.Report.Stats;
import io.sluice.bench.Report.Table;
import io.sluice.result.FolderResultStore;
import io.sluice.result.ResultPage;
import io.sluice.result.ResultReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Latency of the first, a middle and the last page of a large result stored in the row format
 * ({@code results.format: rows}) through the HTTP API
 * ({@code GET /api/query/{id}/results?offset=N&limit=L}), against a naive read of the same stored
 * {@code rows.jsonl} that scans from its first byte (what a store without a row index costs).
 * Also reads the same pages from the result store in-process (no HTTP, no metadata lookup), to
 * show how the HTTP time divides.
 *
 * <p>The result comes from a real query through the API; its production (DuckDB → stored result)
 * is reported too. Page requests are interleaved (every round asks every page once), so a
 * disturbance hits all pages alike. Pages: offset 0, {@code rows / 2}, and {@code rows − limit}
 * (the last full page), for limits 100 and 1000.
 *
 * <p>Run by {@code scripts/bench.sh pages}. System properties: {@code rows} (5000000),
 * {@code warmup} (100 rounds), {@code rounds} (500), {@code naiveReps} (7).
 */
public final class ResultPageLatencyBenchmark {

    private static final double TARGET_MS = 20;
    private static final double TARGET_RATIO = 2;
    private static final int[] LIMITS = {100, 1000};

    private final long rows = Long.getLong("rows", 5_000_000);
    private final int warmup = Integer.getInteger("warmup", 100);
    private final int rounds = Integer.getInteger("rounds", 500);
    private final int naiveReps = Integer.getInteger("naiveReps", 7);

    private record Page(String name, long offset, int limit) {
    }

    public static void main(String[] args) throws Exception {
        new ResultPageLatencyBenchmark().run();
    }

    private String sql() {
        return "SELECT range AS id, 'name-' || range AS name, range * 1.5 AS amount, "
                + "DATE '2024-01-01' + CAST(range % 365 AS INTEGER) AS day, "
                + "CASE WHEN range % 10 = 0 THEN NULL ELSE 'x' END AS maybe FROM range(" + rows + ")";
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        // This benchmark reads rows.jsonl directly: the row format ({@code columnar} measures Parquet).
        try (BenchServer server = BenchServer.start(root -> ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("results"))
                .put("format", "rows"))) {
            Report.heading("2. Result page latency: first, middle and last page of a " + String.format(Locale.ROOT,
                    "%,d", rows) + "-row result", String.format(Locale.ROOT,
                    "Query: `%s`, submitted through `POST /api/query`. Pages through "
                            + "`GET /api/query/{id}/results?offset=N&limit=L` (HTTP/1.1 keep-alive, body read whole): "
                            + "%d warm-up + %d measured rounds, each round asks every page once. "
                            + "Baseline: the same page read from the stored rows.jsonl by scanning from its first "
                            + "byte (%d repetitions after 1 warm-up). Also the store's own page read in-process "
                            + "(`FolderResultStore.open(..).page(..)`, no HTTP, no metadata lookup).",
                    sql(), warmup, rounds, naiveReps));

            long t = System.nanoTime();
            String id = server.submit(sql());
            JsonNode status = server.awaitEnd(id, Duration.ofMillis(100), Duration.ofMinutes(20));
            double wallSeconds = (System.nanoTime() - t) / 1e9;
            if (!status.path("state").asText().equals("SUCCEEDED")) {
                throw new IllegalStateException("the result query ended " + status);
            }
            JsonNode statistics = status.path("statistics");
            Path runDir = server.resultsDir().resolve(id).resolve("1");
            Path data = runDir.resolve("rows.jsonl");
            Report.line("### Producing the result");
            Report.line("");
            new Table("rows", "submit→SUCCEEDED s (client, polled every 100 ms)", "server executionSeconds",
                    "rows/s", "rows.jsonl MB", "rows.idx KB", "statistics.resultBytes")
                    .row(statistics.path("rows").asLong(), String.format(Locale.ROOT, "%.1f", wallSeconds),
                            String.format(Locale.ROOT, "%.2f", statistics.path("executionSeconds").asDouble()),
                            String.format(Locale.ROOT, "%,.0f", rows / statistics.path("executionSeconds").asDouble()),
                            String.format(Locale.ROOT, "%.1f", Files.size(data) / 1e6),
                            String.format(Locale.ROOT, "%.1f", Files.size(runDir.resolve("rows.idx")) / 1e3),
                            statistics.path("resultBytes").asLong())
                    .print();
            if (statistics.path("rows").asLong() != rows) {
                throw new IllegalStateException("expected " + rows + " rows: " + status);
            }

            List<Page> pages = new ArrayList<>();
            for (int limit : LIMITS) {
                pages.add(new Page("first", 0, limit));
                pages.add(new Page("middle", rows / 2, limit));
                pages.add(new Page("last", rows - limit, limit));
            }
            ResultReader store = new FolderResultStore(server.resultsDir()).open(id, 1).orElseThrow();
            for (Page p : pages) {
                check(server.get(url(id, p)).expect(200).data(), p);
            }
            Map<Page, List<Long>> http = new LinkedHashMap<>();
            Map<Page, List<Long>> direct = new LinkedHashMap<>();
            for (int round = 0; round < warmup + rounds; round++) {
                for (Page p : pages) {
                    long s = System.nanoTime();
                    BenchServer.Answer answer = server.get(url(id, p));
                    long httpNanos = System.nanoTime() - s;
                    answer.expect(200);
                    s = System.nanoTime();
                    ResultPage page = store.page(p.offset(), p.limit());
                    long storeNanos = System.nanoTime() - s;
                    if (page.rowsJson().size() != p.limit()) {
                        throw new IllegalStateException("store page " + p + " came back short");
                    }
                    if (round >= warmup) {
                        http.computeIfAbsent(p, k -> new ArrayList<>()).add(httpNanos);
                        direct.computeIfAbsent(p, k -> new ArrayList<>()).add(storeNanos);
                    }
                }
            }
            Map<Page, Stats> naive = new LinkedHashMap<>();
            for (Page p : pages) {
                naive.put(p, timeNaive(data, p));
            }
            print(pages, http, direct, naive);
        }
        Report.line(String.format(Locale.ROOT, "Benchmark time: %.0f s; load average now %s.",
                (System.nanoTime() - began) / 1e9, Report.loadAverage()));
        Report.line("");
    }

    private static String url(String id, Page p) {
        return "/api/query/" + id + "/results?offset=" + p.offset() + "&limit=" + p.limit();
    }

    /** The page has {@code limit} rows, starting at row {@code offset} (whose id column is the offset). */
    private static void check(JsonNode data, Page p) {
        JsonNode rowsNode = data.path("rows");
        if (rowsNode.size() != p.limit() || rowsNode.get(0).get(0).asLong() != p.offset()
                || data.path("offset").asLong() != p.offset()) {
            throw new IllegalStateException("page " + p + " is wrong: offset " + data.path("offset") + ", "
                    + rowsNode.size() + " rows, first " + rowsNode.path(0));
        }
    }

    private Stats timeNaive(Path data, Page p) throws IOException {
        naivePage(data, p.offset(), p.limit()); // warm-up
        long[] nanos = new long[naiveReps];
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            List<String> page = naivePage(data, p.offset(), p.limit());
            nanos[i] = System.nanoTime() - t;
            if (page.size() != p.limit() || !page.get(0).startsWith("[" + p.offset() + ",")) {
                throw new IllegalStateException("naive page " + p + " is wrong: " + page.get(0));
            }
        }
        return Stats.ofNanos(nanos);
    }

    /**
     * The page as a store without an index reads it: scan {@code rows.jsonl} from the first byte,
     * counting rows. Copied from the store-level {@code ResultPagingBenchmark} (server tests).
     */
    private static List<String> naivePage(Path data, long offset, int limit) throws IOException {
        List<String> page = new ArrayList<>(limit);
        byte[] buffer = new byte[1 << 20];
        long row = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(data)) {
            int n;
            while (page.size() < limit && (n = in.read(buffer)) > 0) {
                int start = 0;
                for (int i = 0; i < n && page.size() < limit; i++) {
                    if (buffer[i] == '\n') {
                        if (row >= offset) {
                            line.write(buffer, start, i - start);
                            page.add(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        }
                        row++;
                        start = i + 1;
                    }
                }
                if (row >= offset && page.size() < limit) {
                    line.write(buffer, start, n - start);
                }
            }
        }
        return page;
    }

    private static void print(List<Page> pages, Map<Page, List<Long>> http, Map<Page, List<Long>> store,
                              Map<Page, Stats> naive) {
        Report.line("### Page latency (ms)");
        Report.line("");
        Table table = new Table("page", "offset", "limit", "HTTP p50", "HTTP p99", "HTTP mean", "HTTP max",
                "store read p50", "store read p99", "naive scan p50", "naive scan p99");
        for (Page p : pages) {
            Stats h = Stats.ofNanos(http.get(p));
            Stats s = Stats.ofNanos(store.get(p));
            Stats n = naive.get(p);
            table.row(p.name(), p.offset(), p.limit(), h.p50(), h.p99(), h.mean(), h.max(), s.p50(), s.p99(), n.p50(),
                    n.p99());
        }
        table.print();

        Report.line("### Targets: last page within " + Report.ms(TARGET_RATIO) + "× of the first, and < "
                + Report.ms(TARGET_MS) + " ms (HTTP)");
        Report.line("");
        Table targets = new Table("limit", "first p50", "last p50", "last/first p50", "first p99", "last p99",
                "last/first p99", "last p99 < 20 ms", "verdict");
        for (int i = 0; i < pages.size(); i += 3) {
            Stats first = Stats.ofNanos(http.get(pages.get(i)));
            Stats last = Stats.ofNanos(http.get(pages.get(i + 2)));
            double ratio50 = last.p50() / first.p50();
            double ratio99 = last.p99() / first.p99();
            targets.row(pages.get(i).limit(), first.p50(), last.p50(), String.format(Locale.ROOT, "%.2f×", ratio50),
                    first.p99(), last.p99(), String.format(Locale.ROOT, "%.2f×", ratio99),
                    last.p99() < TARGET_MS ? "yes" : "no",
                    Report.verdict(ratio50 <= TARGET_RATIO && ratio99 <= TARGET_RATIO && last.p99() < TARGET_MS));
        }
        targets.print();
    }
}
