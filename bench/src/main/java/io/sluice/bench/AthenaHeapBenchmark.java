package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.Report.Table;
import io.sluice.engine.Column;
import io.sluice.engine.RowSink;
import io.sluice.engine.athena.AthenaEngine;
import io.sluice.query.QueryIds;
import io.sluice.result.FolderResultStore;
import io.sluice.result.ResultSummary;
import io.sluice.result.ResultWriter;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Heap while Sluice ingests a large Athena result (about 1 GB of CSV), against a naive ingestion
 * that collects all rows in a list before writing them.
 *
 * <p>The Athena stand-in runs as a process of its own (the standalone jar, S3 objects on disk), so
 * its memory is not counted; Sluice runs in this JVM, whose heap {@code scripts/bench.sh} caps at
 * 256 MB ({@code -Xmx256m}). The heap is watched throughout: used heap sampled every 100 ms
 * ({@link MemoryMXBean}) and used heap after every GC (GC notifications). Measured:
 * <ol>
 *   <li><b>through Sluice</b>: the query submitted with {@code POST /api/query} (engine athena),
 *       polled every 100 ms until SUCCEEDED; the ingestion window runs from the stand-in's
 *       completion time (Sluice's {@code completedAt}) to the first status showing SUCCEEDED, so it
 *       also holds up to one poll interval (1 s) before the ingestion starts; then, since a result
 *       this large is published as Athena's CSV and converted to Parquet after, the window from
 *       SUCCEEDED until the result's folder holds no CSV part;</li>
 *   <li><b>direct</b>: the same finished query read again by Sluice's {@code AthenaEngine.readResult}
 *       into a {@code FolderResultStore} writer in this JVM (no HTTP, no poller), once writing Parquet
 *       (the default; until converted) and once the row format of earlier versions: exact duration and throughput;</li>
 *   <li><b>naive baseline</b>: the same engine into a sink that keeps every row (a copy of each
 *       row array, as a collect-then-write ingestion does), then writes them; on smaller results of
 *       the same shape (the live heap of the list after a full GC, per CSV byte, extrapolated), then
 *       on the ~1 GB result itself, where it is expected to run out of memory.</li>
 * </ol>
 *
 * <p>Run by {@code scripts/bench.sh athena-heap}. System properties: {@code rows} (10,000,000, about
 * 1 GB of CSV), {@code reps} (1: one direct read into each format), {@code naiveFractions} (0.01,0.02,0.03 of
 * {@code rows}), {@code warmupRows} (250,000).
 */
public final class AthenaHeapBenchmark {

    private static final double TARGET_MB = 256;
    private static final long SAMPLE_MILLIS = 100;

    private final long rows = Long.getLong("rows", 10_000_000);
    private final int reps = Integer.getInteger("reps", 1);
    private final long warmupRows = Long.getLong("warmupRows", 250_000);
    private final double[] naiveFractions = Arrays.stream(System.getProperty("naiveFractions", "0.01,0.02,0.03")
            .split(",")).mapToDouble(Double::parseDouble).toArray();

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    public static void main(String[] args) throws Exception {
        new AthenaHeapBenchmark().run();
    }

    static String sql(long rows) {
        return "SELECT range AS id, 'name-' || range AS name, range * 1.5 AS amount, "
                + "DATE '2024-01-01' + CAST(range % 365 AS INTEGER) AS day, "
                + "CASE WHEN range % 10 = 0 THEN NULL ELSE 'x' END AS maybe, "
                + "'comment ' || lpad(CAST(range AS VARCHAR), 40, '0') AS note FROM range(" + rows + ")";
    }

    /** One measured ingestion. */
    private record Ingestion(String name, long rows, long csvBytes, double seconds, HeapSampler.Slice heap,
                             String note) {
    }

    /** One naive collection. */
    private record Naive(long rows, long csvBytes, double liveMb, double collectSeconds, double totalSeconds,
                         String outcome) {
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        Path dir = BenchServer.tempDir("sluice-bench-athena-heap");
        Path standInLog = Path.of(System.getProperty("sluice.bench.log")).resolveSibling("athena-heap-standin.log");
        List<Ingestion> ingestions = new ArrayList<>();
        List<Naive> naive = new ArrayList<>();
        long baselineLive;
        long csvBytes;
        double produceSeconds;
        try (HeapSampler sampler = new HeapSampler(SAMPLE_MILLIS);
             BenchAthena athena = BenchAthena.standalone(dir.resolve("blobs"), standInLog);
             AthenaEngine engine = athena.engine(dir)) {
            sampler.start();
            Report.heading("7. Heap while ingesting a ~1 GB Athena result", String.format(Locale.ROOT,
                    "Query: `%s`. The Athena stand-in runs as its own process (standalone jar, pid %d, S3 objects on "
                            + "disk; its memory is not counted). Sluice runs in this JVM (local defaults + the Athena "
                            + "engine, production poll interval). Heap: used heap sampled every %d ms, used heap after "
                            + "each GC from GC notifications (GC: %s). `results.fsync` %s.",
                    sql(rows), athena.pid(), SAMPLE_MILLIS, gcNames(), BenchServer.fsync() ? "on" : "off"));

            String engineId;
            try (BenchServer server = BenchServer.start(root -> athena.configure(root, null))) {
                // Warm-up: the same path, small.
                JsonNode warm = submitAndWait(server, sql(warmupRows));
                readDirect(engine, server.engineQueryId(warm.path("id").asText()), dir.resolve("direct"), true);
                baselineLive = liveHeap();
                Report.line(String.format(Locale.ROOT, "Live heap after warm-up (full GC, Sluice idle): %.1f MB.",
                        baselineLive / 1e6));
                Report.line("");

                long submitted = System.nanoTime();
                JsonNode status = submitAndWait(server, sql(rows));
                long observed = System.nanoTime();
                long observedMillis = System.currentTimeMillis();
                String id = status.path("id").asText();
                engineId = server.engineQueryId(id);
                csvBytes = Files.size(athena.csvFile(engineId).orElseThrow());
                Instant completed = Instant.parse(status.path("completedAt").asText());
                long completedNanos = observed - (observedMillis - completed.toEpochMilli()) * 1_000_000L;
                produceSeconds = (completedNanos - submitted) / 1e9;
                long ingested = status.path("statistics").path("rows").asLong();
                if (ingested != rows) {
                    throw new IllegalStateException("Sluice ingested " + ingested + " rows, expected " + rows);
                }
                ingestions.add(new Ingestion("through Sluice: poller → remote worker → result store", ingested,
                        csvBytes, (observed - completedNanos) / 1e9, sampler.slice(completedNanos, observed),
                        "stand-in completion → first status SUCCEEDED (includes ≤ 1 poll interval)"));
                long converted = awaitParquet(server.resultsDir().resolve(id).resolve("1"));
                ingestions.add(new Ingestion("through Sluice: SUCCEEDED → converted to Parquet in the background", ingested,
                        csvBytes, (converted - observed) / 1e9, sampler.slice(observed, converted),
                        "first status SUCCEEDED → no CSV part left in the result's folder (polled every 100 ms)"));
                ingestions.add(new Ingestion("(whole query, for reference: submit → SUCCEEDED)", ingested, csvBytes,
                        (observed - submitted) / 1e9, sampler.slice(submitted, observed),
                        "includes the stand-in producing the CSV (another process)"));
                Report.line(String.format(Locale.ROOT, "The ~1 GB query: %,d rows, `<id>.csv` %.1f MB; submit → stand-in "
                        + "completion %.1f s; Sluice's stored result %.1f MB (`statistics.resultBytes`).", ingested,
                        csvBytes / 1e6, produceSeconds, status.path("statistics").path("resultBytes").asLong() / 1e6));
                Report.line("");

                for (int i = 0; i < reps; i++) {
                    for (boolean parquet : new boolean[] {true, false}) {
                        System.gc();
                        long t = System.nanoTime();
                        long n = readDirect(engine, engineId, dir.resolve("direct"), parquet);
                        long end = System.nanoTime();
                        ingestions.add(new Ingestion("direct: `AthenaEngine.readResult` → "
                                + (parquet ? "Parquet store (the default)" : "row format of earlier versions")
                                + ", read " + (i + 1), n, csvBytes, (end - t) / 1e9, sampler.slice(t, end), "exact"));
                    }
                }

                // Baseline: collect first, on results small enough to fit, then extrapolate.
                for (double f : naiveFractions) {
                    long small = Math.round(rows * f);
                    String smallId = BenchAthena.runToEnd(engine, sql(small), Duration.ofMinutes(10));
                    long smallCsv = Files.size(athena.csvFile(smallId).orElseThrow());
                    naive.add(naive(engine, smallId, small, smallCsv, dir.resolve("naive")));
                }
            }
            // Sluice is closed now: the naive run on the full result may exhaust the heap.
            naive.add(naive(engine, engineId, rows, csvBytes, dir.resolve("naive")));
        } finally {
            BenchServer.deleteTree(dir);
        }
        print(ingestions, naive, baselineLive, csvBytes);
        Report.line(String.format(Locale.ROOT, "Benchmark time: %.0f s; load average now %s.",
                (System.nanoTime() - began) / 1e9, Report.loadAverage()));
        Report.line("");
    }

    /** Polls a result's folder every 100 ms until no CSV part is left in it (converted to Parquet); when that was seen. */
    private static long awaitParquet(Path result) throws java.io.IOException {
        long limit = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < limit) {
            try (java.util.stream.Stream<Path> files = Files.list(result)) {
                if (files.noneMatch(f -> f.getFileName().toString().endsWith(".csv"))) {
                    return System.nanoTime();
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // being replaced by its Parquet form this instant
            }
            BenchServer.sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("the result in " + result + " was not converted to Parquet in 10 minutes");
    }

    /** Submits to the athena engine and polls the status every 100 ms until SUCCEEDED; the last status. */
    private static JsonNode submitAndWait(BenchServer server, String sql) {
        String id = server.submit(sql, "athena");
        JsonNode status = server.awaitEnd(id, Duration.ofMillis(100), Duration.ofMinutes(30));
        if (!status.path("state").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("query ended " + status);
        }
        return status;
    }

    /** Sluice's ingestion, called directly: S3 CSV → result store writer (Parquet or rows), published, then deleted. */
    private static long readDirect(AthenaEngine engine, String engineId, Path root, boolean parquet) throws Exception {
        try (FolderResultStore store = parquet ? BenchServer.parquetResultStore(root) : BenchServer.resultStore(root)) {
            String queryId = QueryIds.next();
            ResultSummary summary;
            try (ResultWriter writer = store.create(queryId, 1)) {
                engine.readResult(engineId, writer);
                summary = writer.publish();
            }
            store.awaitConverted(queryId, 1); // a large result is published as Athena's CSV, then converted
            store.deleteAll(queryId);
            return summary.rows();
        }
    }

    /** Collects every row in a list, then writes them; the list's live heap after a full GC. */
    private Naive naive(AthenaEngine engine, String engineId, long expected, long csvBytes, Path root)
            throws Exception {
        long base = liveHeap();
        CollectingSink sink = new CollectingSink();
        long t = System.nanoTime();
        try {
            engine.readResult(engineId, sink);
        } catch (Throwable e) {
            // Under OutOfMemoryError the JVM may reuse one preallocated instance, and a
            // try-with-resources closing after it then fails with "Self-suppression not permitted".
            if (!causedByOutOfMemory(e)) {
                throw e;
            }
            long collected = sink.rows.size();
            double seconds = (System.nanoTime() - t) / 1e9;
            sink.rows = null;
            return new Naive(expected, csvBytes, Double.NaN, seconds, Double.NaN, String.format(Locale.ROOT,
                    "**OutOfMemoryError** after %,d rows (%.1f %% of the result) in %.1f s", collected,
                    100.0 * collected / expected, seconds));
        }
        double collectSeconds = (System.nanoTime() - t) / 1e9;
        double live = (liveHeap() - base) / 1e6;
        FolderResultStore store = BenchServer.resultStore(root);
        String queryId = QueryIds.next();
        try (ResultWriter writer = store.create(queryId, 1)) {
            writer.columns(sink.columns);
            for (Object[] row : sink.rows) {
                writer.row(row);
            }
            writer.publish();
        }
        double total = (System.nanoTime() - t) / 1e9;
        store.deleteAll(queryId);
        if (sink.rows.size() != expected) {
            throw new IllegalStateException("naive read " + sink.rows.size() + " rows, expected " + expected);
        }
        sink.rows = null;
        return new Naive(expected, csvBytes, live, collectSeconds, total, "completed");
    }

    private static boolean causedByOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /** The naive ingestion's first half: every row kept (the sink's array is reused, so each is copied). */
    private static final class CollectingSink implements RowSink {
        List<Column> columns;
        List<Object[]> rows = new ArrayList<>();

        @Override
        public void columns(List<Column> columns) {
            this.columns = columns;
        }

        @Override
        public boolean row(Object[] values) {
            rows.add(values.clone());
            return true;
        }
    }

    /** Used heap after two full GCs. */
    private long liveHeap() {
        System.gc();
        BenchServer.sleep(Duration.ofMillis(200));
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static String gcNames() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
    }

    private void print(List<Ingestion> ingestions, List<Naive> naive, long baselineLive, long csvBytes) {
        Report.line("### Heap during ingestion (MB; max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)");
        Report.line("");
        Table table = new Table("ingestion", "rows", "s", "rows/s", "CSV MB/s", "used after GC p50",
                "after GC p99", "after GC max", "after GC p50, first → last third", "sampled used p99", "sampled used max",
                "GCs (time ms)", "window");
        for (Ingestion i : ingestions) {
            HeapSampler.Slice h = i.heap();
            table.row(i.name(), i.rows(), String.format(Locale.ROOT, "%.1f", i.seconds()),
                    String.format(Locale.ROOT, "%,.0f", i.rows() / i.seconds()),
                    String.format(Locale.ROOT, "%.1f", i.csvBytes() / 1e6 / i.seconds()),
                    mb(h.afterGcP50()), mb(h.afterGcP99()), mb(h.afterGcMax()),
                    mb(h.afterGcFirstThird()) + " → " + mb(h.afterGcLastThird()), mb(h.usedP99()), mb(h.usedMax()),
                    String.format(Locale.ROOT, "%,d (%,d)", h.gcs(), h.gcMillis()), i.note());
        }
        table.print();

        Report.line("### Baseline: collect all rows in a list, then write");
        Report.line("");
        Table base = new Table("rows", "`<id>.csv` MB", "outcome", "live heap of the list MB", "heap bytes per CSV byte",
                "collect s", "collect + write s");
        double perByte = 0;
        for (Naive n : naive) {
            double ratio = n.liveMb() / (n.csvBytes() / 1e6);
            if (!Double.isNaN(ratio)) {
                perByte = Math.max(perByte, ratio);
            }
            base.row(n.rows(), String.format(Locale.ROOT, "%.1f", n.csvBytes() / 1e6), n.outcome(), mb(n.liveMb()),
                    Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f", ratio),
                    String.format(Locale.ROOT, "%.1f", n.collectSeconds()),
                    Double.isNaN(n.totalSeconds()) ? "–" : String.format(Locale.ROOT, "%.1f", n.totalSeconds()));
        }
        base.row(rows, String.format(Locale.ROOT, "%.1f", csvBytes / 1e6), "extrapolated (largest ratio above)",
                mb(perByte * csvBytes / 1e6), String.format(Locale.ROOT, "%.2f", perByte), "–", "–");
        base.print();

        Ingestion sluice = ingestions.get(0);
        Ingestion direct = ingestions.stream().filter(i -> i.name().startsWith("direct")).findFirst().orElseThrow();
        // A window without a GC has no after-GC figure: its sampled maximum (garbage included) bounds it.
        double worstAfterGc = ingestions.stream().filter(i -> !i.name().startsWith("(")).mapToDouble(
                i -> i.heap().afterGcMax()).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
        double worstSampled = ingestions.stream().mapToDouble(i -> i.heap().usedMax()).max().orElse(Double.NaN);
        Report.line("### Target: flat, under " + Report.ms(TARGET_MB) + " MB");
        Report.line("");
        new Table("target", "measured", "verdict")
                .row("under 256 MB while ingesting ~1 GB", String.format(Locale.ROOT, "after-GC max %s MB, sampled "
                                + "used max %s MB, with the heap capped at %d MiB; live heap idle %.1f MB",
                        mb(worstAfterGc), mb(worstSampled), Runtime.getRuntime().maxMemory() >> 20, baselineLive / 1e6),
                        Report.verdict(!(worstAfterGc >= TARGET_MB) && worstSampled < TARGET_MB))
                .row("flat (after-GC heap p50 in the first vs the last third of the ingestion)",
                        "through Sluice " + mb(sluice.heap().afterGcFirstThird()) + " → "
                                + mb(sluice.heap().afterGcLastThird()) + " MB; direct read 1 "
                                + mb(direct.heap().afterGcFirstThird()) + " → " + mb(direct.heap().afterGcLastThird())
                                + " MB", "–")
                .row("baseline (collect, then write) on the same result", naive.get(naive.size() - 1).outcome()
                        + "; extrapolated need " + mb(perByte * csvBytes / 1e6) + " MB", "–")
                .print();
    }

    private static String mb(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%.1f", v);
    }
}
