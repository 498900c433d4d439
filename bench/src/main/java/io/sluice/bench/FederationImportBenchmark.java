package io.sluice.bench;

import io.sluice.bench.Report.Table;
import io.sluice.datasource.Datasource;
import io.sluice.datasource.DatasourceParams;
import io.sluice.datasource.DatasourceType;
import io.sluice.datasource.SqlitePaths;
import io.sluice.engine.Cancellation;
import io.sluice.federation.AttachTarget;
import io.sluice.federation.Attachment;
import io.sluice.federation.Federation;
import io.sluice.federation.FederationMode;
import io.sluice.federation.FederationSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The federation import path against its physical limit: a PostgreSQL table of {@code rows} rows
 * (5 columns: bigint, numeric(12,2), text, timestamp, boolean) copied into a DuckDB database by
 * {@link Federation} ({@code federation.mode: import}, a file-backed attached database) by its
 * PostgreSQL fast path ({@code COPY (SELECT …) TO STDOUT (FORMAT csv)} into a scratch file, loaded by
 * DuckDB's {@code read_csv}) and by its JDBC path (fetch size, DuckDB's appender;
 * {@code FederationSettings.postgresCopy} off), against the same table read by the same JVM with
 * {@code COPY … TO STDOUT} (PostgreSQL's fastest way out, through the same driver, bytes counted
 * and dropped). All run {@code reps} times, alternately; the heap is sampled throughout (this JVM
 * runs with {@code -Xmx256m} in {@code scripts/bench.sh}, so a path that held the table would fail).
 *
 * <p>Run by {@code scripts/bench.sh federation-import}. System properties: {@code rows}
 * (1,000,000), {@code reps} (3).
 */
public final class FederationImportBenchmark {

    private static final long SAMPLE_MILLIS = 20;

    public static void main(String[] args) throws Exception {
        BenchServer.configureLogging();
        long rows = Long.getLong("rows", 1_000_000);
        int reps = Integer.getInteger("reps", 3);
        Path dir = Files.createTempDirectory("sluice-federation-bench");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start(); HeapSampler heap = new HeapSampler(SAMPLE_MILLIS)) {
            String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
            try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE facts AS SELECT g AS id, (g % 100000) / 100.0 :: numeric(12,2) AS amount, "
                        + "md5(g::text) AS label, timestamp '2026-01-01' + g * interval '1 second' AS created, g % 2 = 0 AS even "
                        + "FROM generate_series(1, " + rows + ") g");
                s.execute("VACUUM ANALYZE facts");
            }
            Report.heading("11. Federation: importing a PostgreSQL table", String.format(Locale.ROOT,
                    "%,d rows × 5 columns (bigint, numeric(12,2), text, timestamp, boolean) in an embedded PostgreSQL "
                            + "on this machine; %d repetitions each, alternating; heap sampled every %d ms.",
                    rows, reps, SAMPLE_MILLIS));
            heap.start();
            Datasource source = new Datasource("bench-pg", "bench", DatasourceType.POSTGRESQL,
                    DatasourceParams.network("127.0.0.1", pg.getPort(), "postgres", "postgres", null), false, false,
                    Instant.EPOCH, Instant.EPOCH, 0);
            Federation federation = new Federation(new FederationSettings(FederationMode.IMPORT, Optional.empty(),
                    Duration.ofSeconds(10), FederationSettings.DEFAULT_IMPORT_BATCH_ROWS), new SqlitePaths(List.of()));
            List<double[]> copy = new ArrayList<>();   // {seconds, bytes}
            Federation jdbcOnly = new Federation(new FederationSettings(FederationMode.IMPORT, Optional.empty(),
                    Duration.ofSeconds(10), FederationSettings.DEFAULT_IMPORT_BATCH_ROWS, false),
                    new SqlitePaths(List.of()));
            List<double[]> imported = new ArrayList<>(); // {seconds, rows}
            List<double[]> jdbc = new ArrayList<>(); // {seconds, rows}
            List<HeapSampler.Slice> copyHeap = new ArrayList<>();
            List<HeapSampler.Slice> importHeap = new ArrayList<>();
            List<HeapSampler.Slice> jdbcHeap = new ArrayList<>();
            for (int i = 0; i < reps; i++) {
                long start = System.nanoTime();
                long bytes = copyOut(url);
                long end = System.nanoTime();
                copy.add(new double[] {(end - start) / 1e9, bytes});
                copyHeap.add(heap.slice(start, end));

                start = System.nanoTime();
                long count = importOnce(federation, source, dir.resolve("run-" + i));
                end = System.nanoTime();
                imported.add(new double[] {(end - start) / 1e9, count});
                importHeap.add(heap.slice(start, end));

                start = System.nanoTime();
                count = importOnce(jdbcOnly, source, dir.resolve("jdbc-" + i));
                end = System.nanoTime();
                jdbc.add(new double[] {(end - start) / 1e9, count});
                jdbcHeap.add(heap.slice(start, end));
            }
            double copyMedian = median(copy.stream().mapToDouble(r -> r[0]).toArray());
            double importMedian = median(imported.stream().mapToDouble(r -> r[0]).toArray());
            double jdbcMedian = median(jdbc.stream().mapToDouble(r -> r[0]).toArray());
            Table table = new Table("path", "rows", "median s", "rows/s", "runs (s)", "sampled heap max MB",
                    "heap after GC max MB");
            table.row("COPY facts TO STDOUT, read by this JVM (the limit)", rows, fmt(copyMedian),
                    String.format(Locale.ROOT, "%,.0f", rows / copyMedian), runs(copy),
                    fmt(copyHeap.stream().mapToDouble(HeapSampler.Slice::usedMax).max().orElse(Double.NaN)),
                    fmt(copyHeap.stream().mapToDouble(HeapSampler.Slice::afterGcMax).max().orElse(Double.NaN)));
            table.row("Sluice import, PostgreSQL fast path (COPY csv → scratch file → DuckDB read_csv → attached file)",
                    (long) imported.get(0)[1], fmt(importMedian),
                    String.format(Locale.ROOT, "%,.0f", imported.get(0)[1] / importMedian), runs(imported),
                    fmt(importHeap.stream().mapToDouble(HeapSampler.Slice::usedMax).max().orElse(Double.NaN)),
                    fmt(importHeap.stream().mapToDouble(HeapSampler.Slice::afterGcMax).max().orElse(Double.NaN)));
            table.row("Sluice import, JDBC path (postgresCopy off: JDBC → DuckDB appender → attached file)",
                    (long) jdbc.get(0)[1], fmt(jdbcMedian),
                    String.format(Locale.ROOT, "%,.0f", jdbc.get(0)[1] / jdbcMedian), runs(jdbc),
                    fmt(jdbcHeap.stream().mapToDouble(HeapSampler.Slice::usedMax).max().orElse(Double.NaN)),
                    fmt(jdbcHeap.stream().mapToDouble(HeapSampler.Slice::afterGcMax).max().orElse(Double.NaN)));
            table.print();
            Report.line(String.format(Locale.ROOT, "Fast path / COPY: %.2f×; JDBC path / COPY: %.2f× (median against "
                    + "median); COPY's bytes: %,.0f.", importMedian / copyMedian, jdbcMedian / copyMedian, copy.get(0)[1]));
            Report.line("");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** COPY … TO STDOUT through the JDBC driver, every byte read and dropped. */
    private static long copyOut(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            long[] bytes = new long[1];
            OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes[0] += len;
                }
            };
            c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY facts TO STDOUT", counting);
            return bytes[0];
        }
    }

    /** One import of the whole table into a fresh DuckDB database: the rows it copied. */
    private static long importOnce(Federation federation, Datasource source, Path folder) throws Exception {
        Files.createDirectories(folder);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + folder.resolve("bench.duckdb"))) {
            Cancellation never = new Cancellation() {
                @Override
                public boolean isCancelled() {
                    return false;
                }

                @Override
                public void onCancel(Runnable interrupt) {
                }
            };
            try (Attachment a = federation.attach(duck, folder, List.of(new AttachTarget("pg", source, null)),
                    "SELECT id, amount, label, created, even FROM pg.public.facts", never)) {
                return a.importedRows();
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String runs(List<double[]> runs) {
        return String.join(", ", runs.stream().map(r -> fmt(r[0])).toList());
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
