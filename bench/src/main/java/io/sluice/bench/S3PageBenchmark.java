package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.bench.Report.Stats;
import io.sluice.bench.Report.Table;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.engine.Column;
import io.sluice.result.ResultReader;
import io.sluice.result.ResultStore;
import io.sluice.result.ResultStores;
import io.sluice.result.ResultSummary;
import io.sluice.result.ResultWriter;
import io.sluice.standin.AthenaStandIn;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Pages of a result in the S3 result store, read by the instance that wrote it and by another one:
 * the other instance's first page in a part downloads that whole part (a "cold" page), its later
 * pages in it read the local copy ("warm"). Side by side in one run: the limit of a cold page, a
 * plain GetObject of the same part object, drained. Two stores ({@link ResultStores#open}, as the
 * server opens them, Parquet format) of instances {@code a} and {@code b} on one location of the
 * Athena stand-in's S3 (in this JVM, real AWS SDK), S3 read at {@code s3MBps} as S3 serves one
 * GetObject stream. The result is written row by row through {@code a}'s writer: 5 columns (bigint,
 * varchar, double, varchar date, nullable varchar), the shape of {@code scripts/bench.sh pages}.
 *
 * <p>Run by {@code scripts/bench.sh s3-pages}. System properties: {@code rows} (5000000),
 * {@code s3MBps} (100; 0: the local disk's speed), {@code warmup} (30), {@code rounds} (200).
 * Store-level: no HTTP (section 10 measures pages over HTTP).
 */
public final class S3PageBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BUCKET = "sluice-results";
    /** Rows of each Parquet part the store writes (its layout; checked against the parts found). */
    private static final long PART_ROWS = 262_144;
    private static final int LIMIT = 100;
    private static final List<Column> COLUMNS = List.of(new Column("id", "bigint"), new Column("name", "varchar"),
            new Column("amount", "double"), new Column("day", "varchar"), new Column("maybe", "varchar"));

    private final long rows = Long.getLong("rows", 5_000_000);
    private final long s3MBps = Long.getLong("s3MBps", 100);
    private final int warmup = Integer.getInteger("warmup", 30);
    private final int rounds = Integer.getInteger("rounds", 200);

    public static void main(String[] args) throws Exception {
        BenchServer.configureLogging();
        new S3PageBenchmark().run();
    }

    private void run() throws Exception {
        Report.heading("S3 result store: pages read by another instance, cold and warm",
                String.format(Locale.ROOT, "%,d rows × 5 columns written through instance a; S3 read at %s; "
                                + "%d warm-up + %d rounds of each warm page; pages of %d rows, store-level (no HTTP).",
                        rows, s3MBps == 0 ? "the local disk's speed" : s3MBps + " MB/s", warmup, rounds, LIMIT));
        Path dir = BenchServer.tempDir("sluice-s3-pages");
        AthenaStandIn standIn = AthenaStandIn.builder().blobStoreDir(dir.resolve("s3")).build().start();
        try {
            standIn.createBucket(BUCKET);
            System.setProperty("aws.accessKeyId", standIn.accessKeyId());
            System.setProperty("aws.secretAccessKey", standIn.secretAccessKey());
            String prefix = "bench-" + UUID.randomUUID() + "/";
            try (ResultStore a = store(standIn, dir, "a", prefix); ResultStore b = store(standIn, dir, "b", prefix);
                 S3Client s3 = client(standIn)) {
                String id = UUID.randomUUID().toString();
                long began = System.nanoTime();
                ResultSummary summary = write(a, id);
                double writeSeconds = (System.nanoTime() - began) / 1e9;
                List<S3Object> parts = s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix + id + "/"))
                        .contents().stream().filter(o -> o.key().endsWith(".parquet")).toList();
                if (parts.size() != (rows + PART_ROWS - 1) / PART_ROWS) {
                    throw new IllegalStateException(parts.size() + " parts, expected one per " + PART_ROWS + " rows");
                }
                if (s3MBps > 0) {
                    standIn.faults().s3ReadRate(s3MBps * 1_000_000);
                }
                Report.line(String.format(Locale.ROOT, "Written in %.1f s: %,d rows in %d parts, %.1f MB in all (a part "
                                + "%.2f MB on average).", writeSeconds, summary.rows(), parts.size(),
                        parts.stream().mapToLong(S3Object::size).sum() / 1e6,
                        parts.stream().mapToLong(S3Object::size).average().orElse(0) / 1e6));
                Report.line("");
                measure(a, b, s3, id, parts);
            }
        } finally {
            standIn.close();
            BenchServer.deleteTree(dir);
        }
    }

    private void measure(ResultStore a, ResultStore b, S3Client s3, String id, List<S3Object> parts) throws IOException {
        // Cold: instance b's first page in each part, the part not yet copied; against a GetObject of that part.
        List<Long> download = new ArrayList<>();
        List<Long> cold = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            String key = parts.get(k).key();
            long t = System.nanoTime();
            drain(s3, key);
            download.add(System.nanoTime() - t);
            t = System.nanoTime();
            page(b, id, k * PART_ROWS + LIMIT);
            cold.add(System.nanoTime() - t);
        }
        Map<String, Long> offsets = new LinkedHashMap<>();
        offsets.put("first", 0L);
        offsets.put("middle", rows / 2);
        offsets.put("last", rows - LIMIT);
        Table table = new Table("read", "n", "p50 ms", "p99 ms", "mean ms", "max ms");
        Stats d = Stats.ofNanos(download);
        Stats c = Stats.ofNanos(cold);
        table.row("GetObject of one part, drained (the limit of a cold page)", d.n(), d.p50(), d.p99(), d.mean(), d.max());
        table.row("instance b, first page in each part (cold: the part downloaded)", c.n(), c.p50(), c.p99(), c.mean(), c.max());
        for (Map.Entry<String, Long> position : offsets.entrySet()) {
            for (ResultStore store : List.of(b, a)) {
                Stats s = Stats.ofNanos(warm(store, id, position.getValue()));
                table.row("instance " + (store == a ? "a (wrote it)" : "b") + ", " + position.getKey() + " page (warm)",
                        s.n(), s.p50(), s.p99(), s.mean(), s.max());
            }
        }
        for (ResultStore store : List.of(b, a)) {
            List<Long> opens = new ArrayList<>();
            for (int i = 0; i < warmup + rounds; i++) {
                long t = System.nanoTime();
                store.open(id, 1).orElseThrow(() -> new IllegalStateException("no result " + id));
                if (i >= warmup) {
                    opens.add(System.nanoTime() - t);
                }
            }
            Stats s = Stats.ofNanos(opens);
            table.row("instance " + (store == a ? "a" : "b") + ", the result opened alone (its summary read from S3)",
                    s.n(), s.p50(), s.p99(), s.mean(), s.max());
        }
        table.print();
        Report.line(String.format(Locale.ROOT, "Cold page over its GetObject (p50 / p50): %.2f×, +%.1f ms. Load average "
                + "now %s.", c.p50() / d.p50(), c.p50() - d.p50(), Report.loadAverage()));
    }

    private List<Long> warm(ResultStore store, String id, long offset) throws IOException {
        for (int i = 0; i < warmup; i++) {
            page(store, id, offset);
        }
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            page(store, id, offset);
            nanos.add(System.nanoTime() - t);
        }
        return nanos;
    }

    /** A page as a request reads it: the result opened (its summary read from S3), then the page. */
    private static void page(ResultStore store, String id, long offset) throws IOException {
        ResultReader reader = store.open(id, 1).orElseThrow(() -> new IllegalStateException("no result " + id));
        int got = reader.page(offset, LIMIT).rowsJson().size();
        if (got != LIMIT) {
            throw new IllegalStateException("page at " + offset + " has " + got + " rows");
        }
    }

    private ResultSummary write(ResultStore store, String id) throws IOException {
        try (ResultWriter writer = store.create(id, 1)) {
            writer.columns(COLUMNS);
            for (long i = 0; i < rows; i++) {
                writer.row(new Object[] {i, "name-" + i, i * 1.5, java.time.LocalDate.ofEpochDay(19_723 + i % 365).toString(),
                        i % 10 == 0 ? null : "x"});
            }
            return writer.publish();
        }
    }

    private static void drain(S3Client s3, String key) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(BUCKET).key(key))) {
            InputStream stream = in;
            while (stream.read(buffer) >= 0) {
                // drained
            }
        }
    }

    /** The store {@code instance} opens as the server does, on the stand-in's S3, with a staging folder of its own. */
    private static ResultStore store(AthenaStandIn standIn, Path dir, String instance, String prefix) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("results").put("store", "s3").put("s3Location", "s3://" + BUCKET + "/" + prefix)
                .put("s3Endpoint", standIn.s3Endpoint().toString()).put("s3PathStyle", true)
                .put("s3Region", standIn.region()).put("dir", dir.resolve(instance + "-results").toString())
                .put("linkSecret", "s3-page-benchmark-link-secret-0123456789");
        root.putObject("engines").putObject("duckdb"); // required by the configuration; not used here
        SluiceConfig config = new ConfigLoader(MAPPER, Map.of()).parse(root.toString(), dir);
        return ResultStores.open(config.results(), instance);
    }

    private static S3Client client(AthenaStandIn standIn) {
        return S3Client.builder().endpointOverride(standIn.s3Endpoint()).region(Region.of(standIn.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(standIn.accessKeyId(), standIn.secretAccessKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
    }
}
