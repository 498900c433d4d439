package io.sluice.bench;

import io.sluice.engine.duckdb.DuckDbSettings;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.Json;
import io.sluice.Sluice;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.engine.duckdb.DuckDbEngine;
import io.sluice.result.FolderResultStore;
import io.sluice.result.ResultFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A real Sluice for a benchmark: the local defaults (H2 store, DuckDB engine with the sample data,
 * results folder, 4 workers) in a temporary folder, on a random port, in this JVM; an HTTP client
 * on it (HTTP/1.1, keep-alive); and a direct DuckDB JDBC connection to the same database file for
 * the baselines. {@link #close} stops the service and deletes the folder.
 *
 * <p>System properties: {@code sluice.bench.dir} (where the temporary folder goes; default the
 * JVM's temp dir), {@code sluice.bench.log} (the server's JSON log; default a file in the temp dir),
 * {@code sluice.bench.duckdbThreads} (DuckDB's threads; default one per core, as the server's own
 * default), {@code sluice.bench.fsync} ({@code results.fsync}; unset: the server's default, off).
 */
final class BenchServer implements AutoCloseable {

    /** The engine's settings, used for the direct baseline connection too (threads: the local default, one per core). */
    static final int DUCKDB_THREADS = Integer.getInteger("sluice.bench.duckdbThreads",
            Runtime.getRuntime().availableProcessors());
    static final String DUCKDB_MEMORY = "2GB";

    static {
        configureLogging();
    }

    /**
     * Before any logger exists: the server logs as in production, but to a file. Idempotent; called
     * by anything that may log before a server starts (the Athena stand-in).
     */
    static void configureLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-bench.xml");
        }
        if (System.getProperty("sluice.bench.log") == null) {
            System.setProperty("sluice.bench.log",
                    Path.of(System.getProperty("java.io.tmpdir"), "sluice-bench.log").toString());
        }
    }

    private static final ObjectMapper MAPPER = Json.mapper();

    private final Path dir;
    private final SluiceConfig config;
    private final Sluice sluice;
    private final HttpClient http;
    private final URI base;

    private BenchServer(Path dir, SluiceConfig config, Sluice sluice) {
        this.dir = dir;
        this.config = config;
        this.sluice = sluice;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.base = URI.create("http://127.0.0.1:" + sluice.port());
    }

    static BenchServer start() throws IOException {
        return start(root -> {
        });
    }

    /** Like {@link #start()}, with {@code tweak} editing the configuration first (e.g. adding an Athena engine). */
    static BenchServer start(Consumer<ObjectNode> tweak) throws IOException {
        Path dir = tempDir("sluice-bench");
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("server").put("host", "127.0.0.1").put("port", 0).put("instanceId", "bench");
        // -Dsluice.bench.h2Settings=";WRITE_DELAY=500" measures H2 without a commit reaching the file
        // before it returns (not durable: what the default store gives up for durability).
        root.putObject("store").put("url", "jdbc:h2:file:" + dir.resolve("store/sluice")
                + System.getProperty("sluice.bench.h2Settings", ""));
        ObjectNode results = root.putObject("results").put("dir", dir.resolve("results").toString());
        String fsync = System.getProperty("sluice.bench.fsync");
        if (fsync != null) {
            results.put("fsync", Boolean.parseBoolean(fsync));
        }
        root.putObject("queries").put("workers", 4);
        ObjectNode duck = root.putObject("engines").put("default", "duckdb").putObject("duckdb");
        duck.put("database", dir.resolve("sluice.duckdb").toString()).put("sampleData", true).put("readOnly", true)
                .put("threads", DUCKDB_THREADS).put("memoryLimit", DUCKDB_MEMORY);
        duck.putArray("allowedDirectories").add(dir.resolve("files").toString());
        tweak.accept(root);
        SluiceConfig config = new ConfigLoader(MAPPER, Map.of()).parse(root.toString(), dir);
        try {
            return new BenchServer(dir, config, Sluice.start(config, Clock.systemUTC()));
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /**
     * A result store of its own for in-process ingestion, in the row format of earlier versions,
     * with the server's {@code results.fsync}
     * ({@code sluice.bench.fsync}, default off as in the server's configuration; note that
     * {@code FolderResultStore}'s one- and two-argument constructors default to fsync on).
     */
    static FolderResultStore resultStore(Path root) throws IOException {
        return new FolderResultStore(root, FolderResultStore.DEFAULT_INDEX_STRIDE, fsync());
    }

    /**
     * As {@link #resultStore}, writing Parquet (the server's default format) with the benchmarks'
     * DuckDB threads and memory.
     */
    static FolderResultStore parquetResultStore(Path root) throws IOException {
        return new FolderResultStore(root, "bench", ResultFormat.PARQUET,
                FolderResultStore.DEFAULT_INDEX_STRIDE, fsync(), io.sluice.result.PageBudget.DEFAULT, DUCKDB_THREADS,
                DUCKDB_MEMORY);
    }

    /** {@code sluice.bench.fsync}: {@code results.fsync} for the benchmarks (default off, the server's default). */
    static boolean fsync() {
        return Boolean.parseBoolean(System.getProperty("sluice.bench.fsync", "false"));
    }

    /** A new temporary folder under {@code sluice.bench.dir} (default: the JVM's temp dir). */
    static Path tempDir(String prefix) throws IOException {
        String parent = System.getProperty("sluice.bench.dir");
        return parent != null
                ? Files.createTempDirectory(Files.createDirectories(Path.of(parent)), prefix)
                : Files.createTempDirectory(prefix);
    }

    Sluice sluice() {
        return sluice;
    }

    SluiceConfig config() {
        return config;
    }

    /** The temporary folder everything of this server lives in (deleted by {@link #close}). */
    Path dir() {
        return dir;
    }

    /**
     * Athena's query execution id of a query, read from Sluice's store (its H2 database, opened a
     * second time in this JVM: the API does not show the id); null while it has none.
     */
    String engineQueryId(String id) throws SQLException {
        try (Connection c = openStore();
             java.sql.PreparedStatement s = c.prepareStatement("SELECT engine_query_id FROM queries WHERE id = ?")) {
            s.setString(1, id);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** A connection to Sluice's own store (H2 in this JVM shares the open database), for reading. */
    Connection openStore() throws SQLException {
        return DriverManager.getConnection(config.store().url(), config.store().user(), config.store().password());
    }

    Path resultsDir() {
        return config.results().dir();
    }

    Path duckdbFile() {
        return config.engines().settings("duckdb", DuckDbSettings.class).orElseThrow().database();
    }

    /**
     * A DuckDB JDBC connection of its own to the engine's database file, read-only: the baseline
     * every gateway number is compared with. DuckDB keeps one database instance per file and
     * process and refuses a second configuration, so this asks with exactly the engine's settings
     * ({@link DuckDbEngine#connectionProperties}) and gets a new connection to the same
     * instance: same buffer pool, same threads, no gateway in between.
     */
    Connection openDirect() throws SQLException {
        Properties p = DuckDbEngine.connectionProperties(config.engines().settings("duckdb", DuckDbSettings.class).orElseThrow(), true);
        return DriverManager.getConnection("jdbc:duckdb:" + duckdbFile(), p);
    }

    /** One HTTP answer: status and body text. */
    record Answer(int status, String body) {

        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        JsonNode data() {
            return json().path("data");
        }

        Answer expect(int expected) {
            if (status != expected) {
                throw new IllegalStateException("expected HTTP " + expected + ", got " + status + ": "
                        + (body.length() > 500 ? body.substring(0, 500) + "…" : body));
            }
            return this;
        }
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    Answer post(String path, Map<String, ?> body) {
        return send(postRequest(path, body));
    }

    CompletableFuture<Answer> postAsync(String path, Map<String, ?> body) {
        return http.sendAsync(postRequest(path, body), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Answer(r.statusCode(), r.body()));
    }

    /** Submits SQL through {@code POST /api/query}; the query's id. */
    String submit(String sql) {
        return post("/api/query", Map.of("query", sql)).expect(202).data().path("id").asText();
    }

    /** Submits SQL to a named engine through {@code POST /api/query}; the query's id. */
    String submit(String sql, String engine) {
        return post("/api/query", Map.of("query", sql, "engine", engine)).expect(202).data().path("id").asText();
    }

    JsonNode status(String id) {
        return get("/api/query/" + id + "/status").expect(200).data();
    }

    /** Polls the status every {@code interval} until the query is terminal; the last status. */
    JsonNode awaitEnd(String id, Duration interval, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            JsonNode status = status(id);
            String state = status.path("state").asText();
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("query " + id + " still " + state + " after " + limit);
            }
            sleep(interval);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            sluice.close();
        } finally {
            deleteTree(dir);
        }
    }

    private HttpRequest postRequest(String path, Map<String, ?> body) {
        try {
            return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body))).build();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
