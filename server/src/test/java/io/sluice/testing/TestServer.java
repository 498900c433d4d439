package io.sluice.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.Json;
import io.sluice.Sluice;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real Sluice (H2 store, DuckDB engine, results folder) on a random port in a temporary folder,
 * built through the same configuration loader as production.
 */
public final class TestServer implements AutoCloseable {

    private static final ObjectMapper MAPPER = Json.mapper();

    private final Sluice sluice;
    private final ApiClient client;
    private final SluiceConfig config;

    private TestServer(Sluice sluice, SluiceConfig config) {
        this.sluice = sluice;
        this.config = config;
        this.client = new ApiClient(URI.create("http://127.0.0.1:" + sluice.port()), Map.of());
    }

    public static TestServer start(Path dir) {
        return start(dir, c -> { }, Clock.systemUTC());
    }

    /** Starts with the local defaults in {@code dir}, after {@code tweak} edits the JSON config. */
    public static TestServer start(Path dir, Consumer<ObjectNode> tweak, Clock clock) {
        return start(config(dir, tweak), clock);
    }

    public static TestServer start(SluiceConfig config, Clock clock) {
        return new TestServer(Sluice.start(config, clock), config);
    }

    /** The configuration a test server in {@code dir} uses. */
    public static SluiceConfig config(Path dir, Consumer<ObjectNode> tweak) {
        ObjectNode root = configTree(dir);
        tweak.accept(root);
        return new ConfigLoader(MAPPER, Map.of()).parse(root.toString(), dir);
    }

    /**
     * A test server's configuration for {@code dir} as JSON, to edit: loopback on a free port, H2
     * store, results folder and a DuckDB file in {@code dir}.
     */
    public static ObjectNode configTree(Path dir) {
        ObjectNode root = MAPPER.createObjectNode();
        // No grace at a stop: tests close servers with runs still going and need not wait for them.
        root.putObject("server").put("host", "127.0.0.1").put("port", 0).put("instanceId", "test")
                .put("shutdownGraceSeconds", 0);
        root.putObject("store").put("url", "jdbc:h2:file:" + dir.resolve("store/sluice"));
        root.putObject("results").put("dir", dir.resolve("results").toString());
        root.putObject("queries").put("workers", 4);
        ObjectNode duck = root.putObject("engines").put("default", "duckdb").putObject("duckdb");
        duck.put("database", dir.resolve("sluice.duckdb").toString()).put("threads", 2).put("memoryLimit", "1GB");
        duck.putArray("allowedDirectories").add(dir.resolve("files").toString());
        return root;
    }

    public ApiClient client() {
        return client;
    }

    public Sluice sluice() {
        return sluice;
    }

    public SluiceConfig config() {
        return config;
    }

    @Override
    public void close() {
        sluice.close();
    }
}
