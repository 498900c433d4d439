package io.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Sluice as a separate JVM ({@code io.sluice.Main} on this test run's classpath), started from a
 * JSON configuration, so a test can kill it for real ({@code kill -9}: {@link #kill}) and start
 * it again on the same store. Its JSON log goes to a file in {@code target/process-logs/}, kept
 * after the test; the port it bound is read from its "listening" line.
 */
public final class SluiceProcess implements AutoCloseable {

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final Pattern LISTENING = Pattern.compile("Sluice listening on [^:\\s]+:(\\d+)");

    private final Process process;
    private final Path log;
    private final int port;
    private final ApiClient client;

    private SluiceProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.client = new ApiClient(URI.create("http://127.0.0.1:" + port), Map.of());
    }

    /**
     * Starts Sluice with {@code config} (written to {@code dir/name.json}) and waits until it
     * listens.
     *
     * @param env extra environment variables (AWS credentials for the Athena stand-in, say)
     */
    public static SluiceProcess start(Path dir, String name, ObjectNode config, Map<String, String> env) {
        try {
            Files.createDirectories(dir);
            Path configFile = dir.resolve(name + ".json");
            Files.writeString(configFile, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            // Kept after the test (its temporary folder is not), so that a failure on CI can be read.
            Path logs = Files.createDirectories(Path.of("target", "process-logs"));
            Path log = logs.resolve(name + "-" + System.nanoTime() + ".log").toAbsolutePath();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx512m");
            command.add("-XX:+UseSerialGC");
            command.add("--add-opens=java.base/java.nio=ALL-UNNAMED"); // Arrow (DuckDB results), as the jar's manifest says
            // The production logging (JSON lines at INFO), not the tests' quiet logback-test.xml.
            command.add("-Dlogback.configurationFile=logback.xml");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add("io.sluice.Main");
            command.add("--config");
            command.add(configFile.toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("SLUICE_LOG_LEVEL", "INFO");
            builder.environment().putAll(env);
            Process process = builder.start();
            int port = awaitPort(process, log);
            return new SluiceProcess(process, log, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The test server's configuration for a server in {@code dir} ({@link TestServer#configTree}),
     * lighter for a process of its own: one DuckDB thread, a small memory limit, no sample data.
     */
    public static ObjectNode defaultConfig(Path dir) {
        ObjectNode root = TestServer.configTree(dir);
        ((ObjectNode) root.get("server")).put("instanceId", "crash-test");
        ((ObjectNode) root.path("engines").path("duckdb")).put("threads", 1).put("memoryLimit", "256MB")
                .put("sampleData", false);
        return root;
    }

    private static int awaitPort(Process process, Path log) {
        int[] port = new int[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("Sluice exited with " + process.exitValue() + " before listening; log:\n"
                        + tail(log));
            }
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                port[0] = Integer.parseInt(m.group(1));
                return true;
            }
            return false;
        });
        return port[0];
    }

    public ApiClient api() {
        return client;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** Kills the process at once (SIGKILL: no shutdown hook, nothing flushed) and waits for it to die. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("Sluice did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends SIGTERM (the shutdown hook runs: a graceful stop) and returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the process politely (SIGTERM: the shutdown hook runs) and waits for it to end. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** The last lines of the process's log, for failure messages. */
    public String logTail() {
        return tail(log);
    }

    /** Log lines (JSON) at level ERROR or with a stack trace. */
    public List<JsonNode> errorLines() {
        List<JsonNode> lines = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode node = MAPPER.readTree(line);
                if ("ERROR".equals(node.path("level").asText()) || node.has("stack")) {
                    lines.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
