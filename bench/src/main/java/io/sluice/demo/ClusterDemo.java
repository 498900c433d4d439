package io.sluice.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two Sluice instances as one (scripts/cluster-demo.sh): a PostgreSQL store, results on an
 * S3-compatible server (the Athena stand-in's), Athena queries on the stand-in. Queries go to both
 * instances in turn; instance A is killed with SIGKILL while its Athena queries run; instance B
 * takes them over and finishes them, and serves their results. Everything it starts lives in a
 * temporary folder and stops at the end.
 */
public final class ClusterDemo {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int LEASE_SECONDS = 10;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "server/target/sluice.jar").toAbsolutePath();
        Path dir = Files.createTempDirectory("sluice-cluster-demo");
        List<Process> processes = new ArrayList<>();
        try (AthenaStandIn athena = AthenaStandIn.builder().build().start();
             EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start()) {
            say("PostgreSQL on port %d; S3 and Athena stand-in at %s", pg.getPort(), athena.s3Endpoint());
            athena.createBucket("demo");
            athena.workGroup("primary", "s3://demo/athena/", null, false);
            athena.faults().completionDelay(Duration.ofSeconds(15));
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE sluice");
            }
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", athena.accessKeyId(),
                    "AWS_SECRET_ACCESS_KEY", athena.secretAccessKey(), "AWS_REGION", athena.region());
            Instance a = Instance.start(jar, dir, "a", config(dir, "a", pg, athena), env);
            processes.add(a.process);
            Instance b = Instance.start(jar, dir, "b", config(dir, "b", pg, athena), env);
            processes.add(b.process);
            say("instance a on %s, instance b on %s (cluster.leaseSeconds %d)", a.base, b.base, LEASE_SECONDS);

            Map<String, Instance> submittedTo = new LinkedHashMap<>();
            for (int i = 0; i < 6; i++) {
                Instance to = i % 2 == 0 ? a : b;
                submittedTo.put(to.submit("SELECT " + i + " AS demo_marker", "athena"), to);
            }
            for (int i = 0; i < 4; i++) {
                Instance to = i % 2 == 0 ? a : b;
                submittedTo.put(to.submit("SELECT count(*) AS events FROM events WHERE event_id % " + (i + 2) + " = 0",
                        "duckdb"), to);
            }
            say("submitted %d queries, in turn to a and b", submittedTo.size());
            waitFor(() -> submittedTo.entrySet().stream().filter(e -> e.getValue() == a)
                    .allMatch(e -> !"QUEUED".equals(b.state(e.getKey()))), Duration.ofSeconds(60));
            table(b, submittedTo);

            a.process.destroyForcibly().waitFor();
            long killed = System.nanoTime();
            say("killed instance a (SIGKILL); b takes its runs over once a's lease of %d s has run out", LEASE_SECONDS);
            waitFor(() -> submittedTo.keySet().stream().allMatch(id -> b.ended(id)), Duration.ofMinutes(3));
            say("every query ended %.1f s after the kill:", (System.nanoTime() - killed) / 1e9);
            table(b, submittedTo);
            String fromA = submittedTo.entrySet().stream().filter(e -> e.getValue() == a).findFirst().orElseThrow().getKey();
            JsonNode rows = b.get("/api/query/" + fromA + "/results").path("data").path("rows");
            say("b serves the result of %s (submitted to a): %s", fromA, rows);
        } finally {
            processes.forEach(Process::destroyForcibly);
            deleteTree(dir);
        }
    }

    private static ObjectNode config(Path dir, String name, EmbeddedPostgres pg, AthenaStandIn athena) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("server").put("host", "127.0.0.1").put("port", freePort()).put("instanceId", name)
                .put("shutdownGraceSeconds", 5);
        root.putObject("store").put("url", "jdbc:postgresql://localhost:" + pg.getPort() + "/sluice")
                .put("user", "postgres").put("password", "");
        root.putObject("results").put("store", "s3").put("s3Location", "s3://demo/sluice/")
                .put("s3Endpoint", athena.s3Endpoint().toString()).put("s3PathStyle", true)
                .put("s3Region", athena.region()).put("dir", dir.resolve(name + "-results").toString())
                .put("linkSecret", "cluster-demo-link-secret-0123456789");
        root.putObject("cluster").put("enabled", true).put("leaseSeconds", LEASE_SECONDS);
        ObjectNode engines = root.putObject("engines").put("default", "duckdb");
        engines.putObject("duckdb").put("database", dir.resolve(name + ".duckdb").toString()).put("sampleData", true)
                .put("threads", 1).put("memoryLimit", "256MB");
        engines.putObject("athena").put("region", athena.region()).put("workgroup", "primary")
                .put("outputLocation", "s3://demo/athena/").put("endpoint", athena.athenaEndpoint().toString())
                .put("s3Endpoint", athena.s3Endpoint().toString()).put("s3PathStyle", true)
                .put("pollIntervalMillis", 500)
                .put("pricingFile", Path.of("config/athena-pricing.json").toAbsolutePath().toString());
        return root;
    }

    private static void table(Instance reader, Map<String, Instance> submittedTo) throws Exception {
        say("  %-36s  %-9s  %-6s  %s", "query", "submitted", "engine", "state");
        for (Map.Entry<String, Instance> e : submittedTo.entrySet()) {
            JsonNode status = reader.get("/api/query/" + e.getKey() + "/status").path("data");
            String error = status.path("error").isNull() ? "" : " (" + status.path("error").path("code").asText() + ")";
            say("  %-36s  %-9s  %-6s  %s%s", e.getKey(), "to " + e.getValue().name, status.path("engine").asText(),
                    status.path("state").asText(), error);
        }
    }

    /** One Sluice process. */
    private record Instance(String name, Process process, URI base) {

        static Instance start(Path jar, Path dir, String name, ObjectNode config, Map<String, String> env)
                throws Exception {
            Path file = dir.resolve(name + ".json");
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-jar", jar.toString(), "--config", file.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
            builder.environment().putAll(env);
            Instance instance = new Instance(name, builder.start(),
                    URI.create("http://127.0.0.1:" + config.path("server").path("port").asInt()));
            waitFor(() -> instance.healthy(), Duration.ofSeconds(120));
            return instance;
        }

        boolean healthy() {
            try {
                return HTTP.send(HttpRequest.newBuilder(base.resolve("/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }

        String submit(String sql, String engine) throws Exception {
            String body = JSON.writeValueAsString(Map.of("query", sql, "engine", engine));
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/query"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body()).path("data").path("id").asText();
        }

        JsonNode get(String path) throws Exception {
            return JSON.readTree(HTTP.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }

        String state(String id) {
            try {
                return get("/api/query/" + id + "/status").path("data").path("state").asText();
            } catch (Exception e) {
                return "";
            }
        }

        boolean ended(String id) {
            return List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT").contains(state(id));
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting after " + atMost.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
