package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One Sluice process started from the service's jar with a JSON configuration (its log next to the
 * configuration), for the cluster demo and the cluster benchmark: submit, read, state, kill.
 */
public record SluiceInstance(String name, Process process, URI base) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Starts {@code java -jar jar --config dir/name.json} and waits until it is ready. */
    public static SluiceInstance start(Path jar, Path dir, String name, ObjectNode config, Map<String, String> env)
            throws IOException {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString(), "--config", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        SluiceInstance instance = new SluiceInstance(name, builder.start(),
                URI.create("http://127.0.0.1:" + config.path("server").path("port").asInt()));
        waitFor(instance::ready, Duration.ofSeconds(120));
        return instance;
    }

    /** The bucket of a cluster's Athena output and shared results, on the stand-in's S3 server. */
    public static final String BUCKET = "sluice-cluster";

    /** The stand-in's bucket and {@code primary} workgroup, as {@link #clusterMember} expects them. */
    public static void prepare(AthenaStandIn athena) {
        athena.createBucket(BUCKET);
        athena.workGroup("primary", "s3://" + BUCKET + "/athena/", null, false);
    }

    /**
     * A cluster member's configuration: a PostgreSQL store (database {@code database} on
     * {@code pgPort}), results on the stand-in's S3 server, DuckDB with the sample data, Athena on the
     * stand-in polled every 500 ms.
     */
    public static ObjectNode clusterMember(Path dir, String name, int pgPort, String database, AthenaStandIn athena,
                                           int leaseSeconds) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("server").put("host", "127.0.0.1").put("port", freePort()).put("instanceId", name)
                .put("shutdownGraceSeconds", 5);
        root.putObject("store").put("url", "jdbc:postgresql://localhost:" + pgPort + "/" + database)
                .put("user", "postgres").put("password", "");
        root.putObject("results").put("store", "s3").put("s3Location", "s3://" + BUCKET + "/sluice/")
                .put("s3Endpoint", athena.s3Endpoint().toString()).put("s3PathStyle", true)
                .put("s3Region", athena.region()).put("dir", dir.resolve(name + "-results").toString())
                .put("linkSecret", "cluster-demo-link-secret-0123456789");
        root.putObject("cluster").put("enabled", true).put("leaseSeconds", leaseSeconds);
        ObjectNode engines = root.putObject("engines").put("default", "duckdb");
        engines.putObject("duckdb").put("database", dir.resolve(name + ".duckdb").toString()).put("sampleData", true)
                .put("threads", 1).put("memoryLimit", "256MB");
        engines.putObject("athena").put("region", athena.region()).put("workgroup", "primary")
                .put("outputLocation", "s3://" + BUCKET + "/athena/").put("endpoint", athena.athenaEndpoint().toString())
                .put("s3Endpoint", athena.s3Endpoint().toString()).put("s3PathStyle", true)
                .put("pollIntervalMillis", 500)
                .put("pricingFile", Path.of("config/athena-pricing.json").toAbsolutePath().toString());
        return root;
    }

    /** The environment an instance needs for the stand-in: its credentials and region. */
    public static Map<String, String> environment(AthenaStandIn athena) {
        return Map.of("AWS_ACCESS_KEY_ID", athena.accessKeyId(), "AWS_SECRET_ACCESS_KEY", athena.secretAccessKey(),
                "AWS_REGION", athena.region());
    }

    /** A free loopback port for an instance's configuration. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} every 100 ms until it holds. */
    public static void waitFor(BooleanSupplier condition, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting after " + atMost.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(base.resolve("/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Submits through {@code POST /api/query}; the new query's id. */
    public String submit(String sql, String engine) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("query", sql, "engine", engine));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/query"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("submit answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("data").path("id").asText();
    }

    /** A GET's JSON body. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The query's state, or "" when it cannot be read. */
    public String state(String id) {
        try {
            return get("/api/query/" + id + "/status").path("data").path("state").asText();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    public boolean ended(String id) {
        return List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT").contains(state(id));
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
