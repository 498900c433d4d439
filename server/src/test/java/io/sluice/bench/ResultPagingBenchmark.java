package io.sluice.bench;

import io.sluice.engine.Column;
import io.sluice.result.FolderResultStore;
import io.sluice.result.ResultReader;
import io.sluice.result.ResultSummary;
import io.sluice.result.ResultWriter;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Measures {@link FolderResultStore}: write throughput of a large result, and page latency at the
 * start, middle and end of it, against a naive store that scans the data file from the start.
 * Then the same for several index strides K. Not a test; run it by hand:
 * <pre>
 * cd server &amp;&amp; mvn -q -B test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.sluice.bench.ResultPagingBenchmark
 * </pre>
 * Options (system properties): {@code rows} (5000000), {@code strides} ("1,16,64,128,512"),
 * {@code dir} (where to create the temporary directory, deleted at the end), {@code reps} (500).
 */
public final class ResultPagingBenchmark {

    private static final List<Column> COLUMNS = List.of(
            new Column("id", "bigint"), new Column("customer", "varchar"), new Column("amount", "double"),
            new Column("day", "varchar"), new Column("note", "varchar"));
    private static final String[] DAYS = new String[2000];

    static {
        for (int i = 0; i < DAYS.length; i++) {
            DAYS[i] = LocalDate.of(2020, 1, 1).plusDays(i).toString();
        }
    }

    private final long rows = Long.getLong("rows", 5_000_000);
    private final int reps = Integer.getInteger("reps", 500);

    public static void main(String[] args) throws IOException {
        new ResultPagingBenchmark().run();
    }

    private void run() throws IOException {
        String dirProperty = System.getProperty("dir");
        Path dir = dirProperty != null
                ? Files.createTempDirectory(Files.createDirectories(Path.of(dirProperty)), "sluice-bench")
                : Files.createTempDirectory("sluice-bench");
        int[] strides = Arrays.stream(System.getProperty("strides", "1,16,64,128,512").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int defaultStride = FolderResultStore.DEFAULT_INDEX_STRIDE;
        line("# FolderResultStore benchmark");
        line("");
        line(String.format(Locale.ROOT, "%,d rows x %d columns (bigint, varchar, double, varchar date, nullable varchar); "
                        + "JVM %s, max heap %d MB, %d cores; data in %s",
                rows, COLUMNS.size(), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(), dir));
        try {
            List<String> strideRows = new ArrayList<>();
            Written warmUp = write(dir.resolve("warm-up"), defaultStride, Math.min(rows, 500_000)); // JIT
            warmUp.store.deleteAll(warmUp.queryId);
            Written main = write(dir, defaultStride, rows);
            line("");
            line("## Write (K = " + defaultStride + ")");
            line("");
            line("| rows | write s | rows/s | publish (fsync + rename) s | rows.jsonl MB | rows.idx KB | heap after GC MB |");
            line("|---:|---:|---:|---:|---:|---:|---:|");
            line(String.format(Locale.ROOT, "| %,d | %.1f | %,.0f | %.2f | %.1f | %.1f | %.1f |", rows,
                    main.writeSeconds, rows / main.writeSeconds, main.publishSeconds,
                    main.summary.bytes() / 1e6, main.indexBytes / 1e3, main.heapAfterGcBytes / 1e6));

            line("");
            line("## Page latency (K = " + defaultStride + ", " + reps + " repetitions after warm-up; naive: "
                    + naiveReps() + " repetitions)");
            line("");
            line("| page | offset | limit | indexed p50 ms | indexed p99 ms | naive scan p50 ms | naive scan p99 ms |");
            line("|---|---:|---:|---:|---:|---:|---:|");
            for (int limit : new int[] {100, 1000}) {
                for (Position position : positions(defaultStride, limit)) {
                    double[] indexed = timePages(main.reader, position.offset, limit, reps);
                    double[] naive = timeNaive(main.data, position.offset, limit);
                    line(String.format(Locale.ROOT, "| %s | %,d | %d | %.3f | %.3f | %.1f | %.1f |", position.name,
                            position.offset, limit, indexed[0], indexed[1], naive[0], naive[1]));
                }
            }
            strideRows.add(strideRow(defaultStride, main));
            main.store.deleteAll(main.queryId);

            for (int k : strides) {
                if (k == defaultStride) {
                    continue;
                }
                Written w = write(dir.resolve("k" + k), k, rows);
                strideRows.add(strideRow(k, w));
                w.store.deleteAll(w.queryId);
            }
            strideRows.sort((a, b) -> Integer.compare(Integer.parseInt(a.split("\\|")[1].trim()),
                    Integer.parseInt(b.split("\\|")[1].trim())));
            line("");
            line("## Index stride K (page limit 100; worst case: offset = K-1 past an index entry, middle of the result)");
            line("");
            line("| K | rows.idx KB | write rows/s | first p50 ms | worst-skip middle p50 ms | worst-skip middle p99 ms | last p50 ms |");
            line("|---:|---:|---:|---:|---:|---:|---:|");
            strideRows.forEach(this::line);
        } finally {
            deleteTree(dir);
        }
    }

    private String strideRow(int k, Written w) throws IOException {
        List<Position> positions = positions(k, 100);
        double[] first = timePages(w.reader, positions.get(0).offset, 100, reps);
        double[] middle = timePages(w.reader, positions.get(1).offset, 100, reps);
        double[] last = timePages(w.reader, positions.get(2).offset, 100, reps);
        return String.format(Locale.ROOT, "| %d | %.1f | %,.0f | %.3f | %.3f | %.3f | %.3f |", k, w.indexBytes / 1e3,
                rows / w.writeSeconds, first[0], middle[0], middle[1], last[0]);
    }

    private record Position(String name, long offset) {
    }

    /** First page, a middle page that skips the most rows after its index entry, last page. */
    private List<Position> positions(int stride, int limit) {
        long middle = (rows / 2) / stride * stride + (stride - 1);
        return List.of(new Position("first", 0), new Position("middle", Math.min(middle, rows - limit)),
                new Position("last", rows - limit));
    }

    private record Written(FolderResultStore store, String queryId, ResultReader reader, ResultSummary summary,
                           Path data, long indexBytes, double writeSeconds, double publishSeconds,
                           long heapAfterGcBytes) {
    }

    private Written write(Path root, int stride, long rows) throws IOException {
        FolderResultStore store = new FolderResultStore(root, stride);
        String id = UUID.randomUUID().toString();
        long start = System.nanoTime();
        ResultSummary summary;
        double publishSeconds;
        try (ResultWriter writer = store.create(id, 1)) {
            writer.columns(COLUMNS);
            Object[] row = new Object[5];
            for (long i = 0; i < rows; i++) {
                row[0] = i;
                row[1] = "customer-" + (i * 7919 % 1_000_003);
                row[2] = (i % 100_000) * 0.37;
                row[3] = DAYS[(int) (i % DAYS.length)];
                row[4] = i % 3 == 0 ? null : "note " + (i % 997) + " for \"order\", see line\n2";
                writer.row(row);
            }
            long publishStart = System.nanoTime();
            summary = writer.publish();
            publishSeconds = (System.nanoTime() - publishStart) / 1e9;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Path runDir = store.root().resolve(id).resolve("1");
        ResultReader reader = store.open(id, 1).orElseThrow();
        return new Written(store, id, reader, summary, runDir.resolve("rows.jsonl"),
                Files.size(runDir.resolve("rows.idx")), seconds, publishSeconds, heap);
    }

    /** p50 and p99 in ms of {@code page(offset, limit)}, after as many warm-up calls. */
    private static double[] timePages(ResultReader reader, long offset, int limit, int reps) throws IOException {
        long check = 0;
        for (int i = 0; i < reps; i++) {
            check += reader.page(offset, limit).rowsJson().size();
        }
        long[] nanos = new long[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            check += reader.page(offset, limit).rowsJson().size();
            nanos[i] = System.nanoTime() - t;
        }
        if (check != 2L * reps * limit) {
            throw new IllegalStateException("pages came back short");
        }
        return percentiles(nanos);
    }

    private int naiveReps() {
        return 7;
    }

    /** The same page read as a store without an index would: scan from the first byte. */
    private double[] timeNaive(Path data, long offset, int limit) throws IOException {
        naivePage(data, offset, limit); // warm-up
        long[] nanos = new long[naiveReps()];
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            List<String> page = naivePage(data, offset, limit);
            nanos[i] = System.nanoTime() - t;
            if (page.size() != limit) {
                throw new IllegalStateException("naive page came back short");
            }
        }
        return percentiles(nanos);
    }

    private static List<String> naivePage(Path data, long offset, int limit) throws IOException {
        List<String> page = new ArrayList<>(limit);
        byte[] buffer = new byte[1 << 20];
        long row = 0;
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
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

    private static double[] percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double p50 = sorted[(sorted.length - 1) / 2] / 1e6;
        double p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6;
        return new double[] {p50, p99};
    }

    private void line(String text) {
        System.out.println(text);
        System.out.flush();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
