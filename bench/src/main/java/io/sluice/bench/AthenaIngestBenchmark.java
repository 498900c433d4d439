package io.sluice.bench;

import io.sluice.bench.Report.Stats;
import io.sluice.bench.Report.Table;
import io.sluice.engine.Column;
import io.sluice.engine.EngineException;
import io.sluice.engine.RowSink;
import io.sluice.engine.athena.AthenaEngine;
import io.sluice.query.QueryIds;
import io.sluice.result.FolderResultStore;
import io.sluice.result.ResultSummary;
import io.sluice.result.ResultWriter;
import io.sluice.standin.CallCounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ingesting a large Athena result: Sluice's path, which streams Athena's {@code <id>.csv} from S3
 * (into the Parquet store through DuckDB's CSV reader, against the limit of reading the same object
 * and counting its lines; and into the row format's store and a counting sink, parsed in Java)
 * ({@link AthenaEngine#readResult}), against paging the same result through GetQueryResults
 * ({@link AthenaEngine#readResultThroughApi}, 1,000 rows a call), the same finished query, in the
 * same run. Each path is measured twice: into a sink that only counts rows (the engine's own cost),
 * and into the real result store ({@code FolderResultStore} writer, published, as
 * {@code QueryRunner} ingests; results.fsync off, the server's default).
 *
 * <p>The stand-in runs in this JVM with its S3 objects on disk; Sluice's Athena engine is built from
 * the same configuration section the server reads and talks to it over HTTP through the real AWS
 * SDK. Repetitions are interleaved in a rotating order after warm-up. The stand-in's call counter
 * gives the GetQueryResults calls each read needs; their local cost is far below real AWS's, so an
 * estimate at real-AWS latency is printed next to it.
 *
 * <p>Run by {@code scripts/bench.sh athena-ingest}. System properties: {@code rows} (1000000),
 * {@code warmup} (1 per path), {@code reps} (5 per path), {@code s3MBps} (0: S3 objects read at the
 * local disk's speed; otherwise that many MB/s, as S3 serves one GetObject stream).
 */
public final class AthenaIngestBenchmark {

    private static final double TARGET_RATIO = 10;
    /** Per GetQueryResults call on real AWS: an assumed round trip, and PyAthena's figure (100 calls in 23 s). */
    private static final double AWS_CALL_SECONDS = 0.100;
    private static final double PYATHENA_CALL_SECONDS = 0.230;

    private final long rows = Long.getLong("rows", 1_000_000);
    private final int warmup = Integer.getInteger("warmup", 1);
    private final int reps = Integer.getInteger("reps", 5);
    /** S3 read rate in MB/s for every path (0: the local disk's speed), as S3 serves one GetObject stream. */
    private final long s3MBps = Long.getLong("s3MBps", 0);

    private enum Route {
        S3_LINES("S3 GetObject, lines counted (the limit)", true, false),
        CSV_PARQUET("S3 CSV → Parquet store (DuckDB's CSV reader)", true, true),
        CSV_COUNT("S3 CSV → counting sink", true, false),
        API_COUNT("GetQueryResults → counting sink", false, false),
        CSV_STORE("S3 CSV → result store (row format)", true, true),
        API_STORE("GetQueryResults → result store", false, true);

        final String label;
        final boolean csv;
        final boolean store;

        Route(String label, boolean csv, boolean store) {
            this.label = label;
            this.csv = csv;
            this.store = store;
        }
    }

    private final Map<Route, List<Long>> nanos = new EnumMap<>(Route.class);
    /** Per measured read of {@link Route#CSV_PARQUET}: from the start until the result is Parquet. */
    private final List<Long> convertedNanos = new ArrayList<>();
    private long lastConversion;
    private FolderResultStore parquet;
    private software.amazon.awssdk.services.s3.S3Client s3;
    private String csvKey;
    private final Map<Route, Map<String, Long>> calls = new EnumMap<>(Route.class);

    public static void main(String[] args) throws Exception {
        new AthenaIngestBenchmark().run();
    }

    private String sql() {
        return "SELECT range AS id, 'name-' || range AS name, range * 1.5 AS amount, "
                + "DATE '2024-01-01' + CAST(range % 365 AS INTEGER) AS day, "
                + "CASE WHEN range % 10 = 0 THEN NULL ELSE 'x' END AS maybe FROM range(" + rows + ")";
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        Path dir = BenchServer.tempDir("sluice-bench-athena-ingest");
        try (BenchAthena athena = BenchAthena.inProcess(dir.resolve("blobs"));
             AthenaEngine engine = athena.engine(dir)) {
            Report.heading("5. Athena result ingestion: S3 CSV vs GetQueryResults", String.format(Locale.ROOT,
                    "Query on the Athena stand-in (in this JVM, S3 objects on disk under the temporary folder): `%s`. "
                            + "Sluice's `AthenaEngine` (built from the server's configuration section, real AWS SDK, "
                            + "HTTP to the stand-in) reads the finished query's result with `readResult` "
                            + "(GetQueryExecution, then S3 GetObject of `<id>.csv.metadata` and `<id>.csv`, streamed and "
                            + "parsed) and with `readResultThroughApi` (GetQueryExecution, then GetQueryResults pages of "
                            + "1,000 rows), each into a counting sink and into the real result store "
                            + "(`FolderResultStore` writer + publish, fsync %s). %d warm-up + %d measured reads per "
                            + "path, interleaved in a rotating order.", sql(), BenchServer.fsync() ? "on" : "off",
                    warmup, reps));
            CallCounts counter = athena.standIn().orElseThrow().calls();
            if (s3MBps > 0) {
                Report.line(String.format(Locale.ROOT, "S3 object bodies are served at %d MB/s (the stand-in's "
                        + "`s3ReadRate` fault), as S3 serves one GetObject stream, instead of the local disk's speed.", s3MBps));
                Report.line("");
            }

            long t = System.nanoTime();
            String id = BenchAthena.runToEnd(engine, sql(), Duration.ofMinutes(10));
            double produceSeconds = (System.nanoTime() - t) / 1e9;
            long csvBytes = Files.size(athena.csvFile(id).orElseThrow());
            athena.standIn().orElseThrow().faults().s3ReadRate(s3MBps * 1_000_000);
            FolderResultStore store = BenchServer.resultStore(dir.resolve("results"));
            parquet = BenchServer.parquetResultStore(dir.resolve("parquet"));
            s3 = athena.s3();
            csvKey = "sluice/" + id + ".csv";

            Route[] paths = Route.values();
            for (int i = 0; i < warmup + reps; i++) {
                for (int k = 0; k < paths.length; k++) {
                    Route p = paths[(i + k) % paths.length];
                    counter.reset();
                    long elapsed = read(engine, id, p, store);
                    if (i >= warmup) {
                        if (p == Route.CSV_PARQUET) {
                            convertedNanos.add(lastConversion);
                        }
                        nanos.computeIfAbsent(p, x -> new ArrayList<>()).add(elapsed);
                        calls.put(p, counter.snapshot());
                    }
                }
            }
            print(csvBytes, produceSeconds);
        } finally {
            if (parquet != null) {
                parquet.close();
            }
            if (s3 != null) {
                s3.close();
            }
            BenchServer.deleteTree(dir);
        }
        Report.line(String.format(Locale.ROOT, "Benchmark time: %.0f s; load average now %s.",
                (System.nanoTime() - began) / 1e9, Report.loadAverage()));
        Report.line("");
    }

    /** One read of the whole result along a path; its duration. Checks the row count. */
    private long read(AthenaEngine engine, String id, Route p, FolderResultStore store)
            throws EngineException, IOException {
        long count;
        long t;
        long elapsed;
        if (p == Route.S3_LINES) {
            t = System.nanoTime();
            count = -1; // the header line
            byte[] buffer = new byte[1 << 16];
            try (java.io.InputStream in = s3.getObject(r -> r.bucket(BenchAthena.BUCKET).key(csvKey))) {
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            count++;
                        }
                    }
                }
            }
            elapsed = System.nanoTime() - t;
        } else if (p == Route.CSV_PARQUET) {
            String queryId = QueryIds.next();
            try (ResultWriter writer = parquet.create(queryId, 1)) {
                t = System.nanoTime();
                engine.readResult(id, writer);
                ResultSummary summary = writer.publish();
                elapsed = System.nanoTime() - t;
                count = summary.rows();
            }
            parquet.awaitConverted(queryId, 1); // published as Athena's CSV: converted in the background
            lastConversion = System.nanoTime() - t;
            parquet.deleteAll(queryId);
        } else if (p.store) {
            String queryId = QueryIds.next();
            try (ResultWriter writer = store.create(queryId, 1)) {
                t = System.nanoTime();
                if (p.csv) {
                    engine.readResult(id, writer);
                } else {
                    engine.readResultThroughApi(id, writer);
                }
                ResultSummary summary = writer.publish();
                elapsed = System.nanoTime() - t;
                count = summary.rows();
            }
            store.deleteAll(queryId);
        } else {
            CountingSink sink = new CountingSink();
            t = System.nanoTime();
            if (p.csv) {
                engine.readResult(id, sink);
            } else {
                engine.readResultThroughApi(id, sink);
            }
            elapsed = System.nanoTime() - t;
            count = sink.rows;
        }
        if (count != rows) {
            throw new IllegalStateException(p.label + " read " + count + " rows, expected " + rows);
        }
        return elapsed;
    }

    /** Counts rows and non-null values, keeps nothing. */
    private static final class CountingSink implements RowSink {
        long rows;
        long values;

        @Override
        public void columns(List<Column> columns) {
        }

        @Override
        public boolean row(Object[] row) {
            rows++;
            for (Object v : row) {
                if (v != null) {
                    values++;
                }
            }
            return true;
        }
    }

    private void print(long csvBytes, double produceSeconds) {
        Report.line("### The result");
        Report.line("");
        new Table("rows", "columns", "`<id>.csv` MB", "stand-in: start → SUCCEEDED s")
                .row(rows, 5, String.format(Locale.ROOT, "%.1f", csvBytes / 1e6),
                        String.format(Locale.ROOT, "%.1f", produceSeconds))
                .print();

        Report.line("### Reading the whole result (s per read)");
        Report.line("");
        Table table = new Table("path", "n", "p50 s", "p99 s", "min s", "max s", "rows/s (p50)", "CSV MB/s (p50)",
                "Athena API calls per read");
        for (Route p : Route.values()) {
            Stats s = Stats.ofNanos(nanos.get(p));
            double minMs = nanos.get(p).stream().mapToLong(Long::longValue).min().orElseThrow() / 1e6;
            table.row(p.label, s.n(), seconds(s.p50()), seconds(s.p99()), seconds(minMs), seconds(s.max()),
                    String.format(Locale.ROOT, "%,.0f", rows / (s.p50() / 1e3)),
                    String.format(Locale.ROOT, "%.1f", csvBytes / 1e6 / (s.p50() / 1e3)),
                    callText(calls.get(p)));
        }
        table.print();

        Report.line("### Speed-up of the S3 CSV path, target ≥ " + Report.ms(TARGET_RATIO) + "×");
        Report.line("");
        Table ratio = new Table("sink", "GetQueryResults p50 s", "S3 CSV p50 s", "speed-up (p50 / p50)",
                "worst pairing (fastest API / slowest CSV)", "verdict (p50)");
        ratio(ratio, "counting sink", Route.API_COUNT, Route.CSV_COUNT);
        ratio(ratio, "result store", Route.API_STORE, Route.CSV_STORE);
        ratio.print();

        double limit = Stats.ofNanos(nanos.get(Route.S3_LINES)).p50();
        double stored = Stats.ofNanos(nanos.get(Route.CSV_PARQUET)).p50();
        Report.line("### Storing as Parquet against reading the object, target ≤ 1.2×");
        Report.line("");
        new Table("S3 GetObject, lines counted p50 s", "S3 CSV → Parquet store p50 s", "ratio", "verdict")
                .row(seconds(limit), seconds(stored), String.format(Locale.ROOT, "%.2f×", stored / limit),
                        stored / limit <= 1.2 ? "met" : "missed")
                .print();
        Stats converted = Stats.ofNanos(convertedNanos);
        Report.line(String.format(Locale.ROOT, "The Parquet store publishes a result of more than one part as Athena's CSV "
                        + "(readable at once: pages, values, the CSV download) and converts it to Parquet after: "
                        + "from the start of the read until it was Parquet, p50 %s s, p99 %s s (%.2f× the read).",
                seconds(converted.p50()), seconds(converted.p99()), converted.p50() / limit));
        Report.line("");

        long pages = calls.get(Route.API_STORE).getOrDefault("GetQueryResults", 0L);
        double csvSeconds = Stats.ofNanos(nanos.get(Route.CSV_STORE)).p50() / 1e3;
        Report.line("### Estimate at real-AWS latency (not measured: no AWS here)");
        Report.line("");
        Report.line(String.format(Locale.ROOT,
                "The GetQueryResults path needs %,d calls for %,d rows (MaxResults 1,000 counts the header row of "
                        + "the first page). Against the stand-in a call costs ~%.0f ms; on AWS "
                        + "each is a round trip to the Athena API. Only the calls' latency is counted below; the local "
                        + "parsing cost measured above comes on top.", pages, rows,
                Stats.ofNanos(nanos.get(Route.API_COUNT)).p50() / pages));
        Report.line("");
        new Table("per-call latency assumed", "source", "GetQueryResults calls", "estimated read s",
                "vs S3 CSV → store measured here (p50 s)", "estimated speed-up")
                .row("100 ms", "assumed Athena API round trip on AWS", pages,
                        String.format(Locale.ROOT, "%.0f", pages * AWS_CALL_SECONDS),
                        String.format(Locale.ROOT, "%.2f", csvSeconds),
                        String.format(Locale.ROOT, "%.0f×", pages * AWS_CALL_SECONDS / csvSeconds))
                .row("230 ms", "PyAthena's published benchmark: 100k rows (100 calls) in 23 s", pages,
                        String.format(Locale.ROOT, "%.0f", pages * PYATHENA_CALL_SECONDS),
                        String.format(Locale.ROOT, "%.2f", csvSeconds),
                        String.format(Locale.ROOT, "%.0f×", pages * PYATHENA_CALL_SECONDS / csvSeconds))
                .print();
    }

    private void ratio(Table table, String sink, Route api, Route csv) {
        Stats a = Stats.ofNanos(nanos.get(api));
        Stats c = Stats.ofNanos(nanos.get(csv));
        double fastestApi = nanos.get(api).stream().mapToLong(Long::longValue).min().orElseThrow() / 1e6;
        double p50 = a.p50() / c.p50();
        double worst = fastestApi / c.max();
        table.row(sink, seconds(a.p50()), seconds(c.p50()), String.format(Locale.ROOT, "%.1f×", p50),
                String.format(Locale.ROOT, "%.1f×", worst), Report.verdict(p50 >= TARGET_RATIO));
    }

    private static String callText(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((op, n) -> parts.add(String.format(Locale.ROOT, "%s %,d", op, n)));
        return String.join(", ", parts);
    }

    private static String seconds(double millis) {
        return String.format(Locale.ROOT, millis >= 10_000 ? "%.1f" : "%.2f", millis / 1e3);
    }
}
