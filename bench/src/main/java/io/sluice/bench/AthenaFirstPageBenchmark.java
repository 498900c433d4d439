package io.sluice.bench;

import io.sluice.bench.Report.Stats;
import io.sluice.bench.Report.Table;
import io.sluice.engine.ResultLimits;
import io.sluice.engine.athena.AthenaEngine;
import io.sluice.query.QueryIds;
import io.sluice.result.FolderResultStore;
import io.sluice.result.ResultFormat;
import io.sluice.result.ResultPage;
import io.sluice.result.ResultReader;
import io.sluice.result.ResultSummary;
import io.sluice.result.ResultWriter;
import io.sluice.result.firstpart.FirstPartSettings;
import io.sluice.result.firstpart.FirstPartWriter;
import io.sluice.result.firstpart.FirstParts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first page of a finished Athena result against the whole result stored, side by side in one
 * run, for results of 1M and 10M rows: from the moment Sluice starts storing the result (it has
 * seen Athena's SUCCEEDED and recorded STORING_RESULT) until (a) the first page (100 rows) of the
 * published first part ({@code results.firstPartRows} 10,000 / {@code firstPartBytes} 4 MiB, the
 * defaults) is read back from the result store by another thread, as a page request would, and
 * (b) the whole result is published, as {@code QueryRunner} does; and, as today's baseline, with
 * first parts off, until the first page is read after the whole result is stored.
 *
 * <p>The stand-in runs in this JVM with its S3 objects on disk; the engine is built from the
 * server's configuration section and talks to it through the real AWS SDK. Run by
 * {@code scripts/bench.sh athena-first-page}. System properties: {@code sizes} (1000000,10000000),
 * {@code reps} (3), {@code s3MBps} (0: the local disk's speed).
 */
public final class AthenaFirstPageBenchmark {

    private static final double TARGET_MS = 300;

    private final int reps = Integer.getInteger("reps", 3);
    private final long s3MBps = Long.getLong("s3MBps", 0);
    private final List<Long> sizes = parseSizes(System.getProperty("sizes", "1000000,10000000"));

    public static void main(String[] args) throws Exception {
        new AthenaFirstPageBenchmark().run();
    }

    private static List<Long> parseSizes(String text) {
        List<Long> sizes = new ArrayList<>();
        for (String s : text.split(",")) {
            sizes.add(Long.parseLong(s.trim()));
        }
        return sizes;
    }

    private static String sql(long rows) {
        return "SELECT range AS id, 'name-' || range AS name, range * 1.5 AS amount, "
                + "DATE '2024-01-01' + CAST(range % 365 AS INTEGER) AS day, "
                + "CASE WHEN range % 10 = 0 THEN NULL ELSE 'x' END AS maybe, repeat('p', 40) AS padding FROM range(" + rows + ")";
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        Path dir = BenchServer.tempDir("sluice-bench-athena-first-page");
        Report.heading("Athena first page while the result is stored", String.format(Locale.ROOT,
                "Query on the Athena stand-in (in this JVM, S3 objects on disk): `%s`. From the start of the result's "
                        + "storing (Sluice has seen SUCCEEDED) until the first 100-row page is readable from the result "
                        + "store, and until the whole result is stored, in the same read; the baseline stores the whole "
                        + "result before its first page (first parts off). %d measured reads per size and mode after one "
                        + "warm-up, alternating modes.", sql(0).replace("range(0)", "range(N)"), reps));
        if (s3MBps > 0) {
            Report.line(String.format(Locale.ROOT, "S3 object bodies are served at %d MB/s.", s3MBps));
            Report.line("");
        }
        Table table = new Table("rows", "`<id>.csv` MB", "mode", "n", "first page readable p50 ms", "max ms",
                "whole result stored p50 s", "max s", "first page target ≤ 300 ms");
        try (BenchAthena athena = BenchAthena.inProcess(dir.resolve("blobs"));
             AthenaEngine engine = athena.engine(dir);
             FolderResultStore store = new FolderResultStore(dir.resolve("results"), "bench", ResultFormat.PARQUET,
                     FolderResultStore.DEFAULT_INDEX_STRIDE, BenchServer.fsync(), io.sluice.result.PageBudget.DEFAULT,
                     BenchServer.DUCKDB_THREADS, BenchServer.DUCKDB_MEMORY)) {
            athena.standIn().orElseThrow().faults().s3ReadRate(s3MBps * 1_000_000);
            for (long rows : sizes) {
                String id = BenchAthena.runToEnd(engine, sql(rows), Duration.ofMinutes(30));
                long csvBytes = Files.size(athena.csvFile(id).orElseThrow());
                List<Long> firstOn = new ArrayList<>();
                List<Long> wholeOn = new ArrayList<>();
                List<Long> firstOff = new ArrayList<>();
                List<Long> wholeOff = new ArrayList<>();
                for (int i = 0; i < reps + 1; i++) {
                    for (boolean on : i % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                        long[] t = read(engine, store, id, rows, on);
                        if (i > 0) {
                            (on ? firstOn : firstOff).add(t[0]);
                            (on ? wholeOn : wholeOff).add(t[1]);
                        }
                    }
                }
                row(table, rows, csvBytes, "first part (default settings)", firstOn, wholeOn);
                row(table, rows, csvBytes, "whole result first (first parts off; before)", firstOff, wholeOff);
                athena.csvFile(id).ifPresent(p -> p.toFile().delete());
            }
        } finally {
            BenchServer.deleteTree(dir);
        }
        table.print();
        Report.line(String.format(Locale.ROOT, "Benchmark time: %.0f s; load average now %s.",
                (System.nanoTime() - began) / 1e9, Report.loadAverage()));
        Report.line("");
    }

    private static void row(Table table, long rows, long csvBytes, String mode, List<Long> first, List<Long> whole) {
        Stats f = Stats.ofNanos(first);
        Stats w = Stats.ofNanos(whole);
        table.row(String.format(Locale.ROOT, "%,d", rows), String.format(Locale.ROOT, "%.0f", csvBytes / 1e6), mode, f.n(),
                String.format(Locale.ROOT, "%.0f", f.p50()), String.format(Locale.ROOT, "%.0f", f.max()),
                String.format(Locale.ROOT, "%.2f", w.p50() / 1e3), String.format(Locale.ROOT, "%.2f", w.max() / 1e3),
                Report.verdict(f.p50() <= TARGET_MS));
    }

    /**
     * One storing of the result: nanoseconds until its first page was read back, and until the whole
     * result was published.
     */
    private static long[] read(AthenaEngine engine, FolderResultStore store, String athenaId, long rows, boolean firstParts)
            throws Exception {
        String queryId = QueryIds.next();
        // What the poller saw: the ingestion reads with it, without asking Athena again.
        io.sluice.engine.RemoteStatus status = engine.poll(List.of(athenaId)).get(athenaId);
        CompletableFuture<Long> firstPage = new CompletableFuture<>();
        long t = System.nanoTime();
        long whole;
        ResultWriter plain = store.create(queryId, 1, ResultLimits.NONE);
        try (ResultWriter writer = FirstPartWriter.wrap(plain, store, queryId, 1, ResultLimits.NONE,
                firstParts ? FirstPartSettings.DEFAULT : FirstPartSettings.OFF,
                published -> CompletableFuture.runAsync(() -> firstPage.complete(readFirstPage(store, queryId, 1, true) - t)))) {
            engine.readResult(athenaId, status, writer);
            ResultSummary summary = writer.publish();
            whole = System.nanoTime() - t;
            if (summary.rows() != rows) {
                throw new IllegalStateException("stored " + summary.rows() + " rows, expected " + rows);
            }
        }
        if (!firstParts) {
            firstPage.complete(readFirstPage(store, queryId, 1, false) - t);
        }
        long first = firstPage.get(10, TimeUnit.MINUTES);
        // A large result was published as Athena's CSV: its conversion runs on after SUCCEEDED, and
        // must end before the next read is timed, or that read shares the cores with it.
        store.awaitConverted(queryId, 1);
        FirstParts.delete(store, queryId, 1);
        store.deleteAll(queryId);
        return new long[] {first, whole};
    }

    /** Reads the first 100-row page of the first part or of the whole result; the time it was read. */
    private static long readFirstPage(FolderResultStore store, String queryId, int run, boolean firstPart) {
        try {
            ResultReader reader = (firstPart ? FirstParts.open(store, queryId, run) : store.open(queryId, run)).orElseThrow();
            ResultPage page = reader.page(0, 100);
            if (page.rowsJson().size() != 100) {
                throw new IllegalStateException("first page has " + page.rowsJson().size() + " rows");
            }
            return System.nanoTime();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
