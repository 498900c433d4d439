package io.sluice.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.SluiceInstance;
import io.sluice.standin.AthenaStandIn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
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

    private static final int LEASE_SECONDS = 10;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "server/target/sluice.jar").toAbsolutePath();
        Path dir = Files.createTempDirectory("sluice-cluster-demo");
        List<Process> processes = new ArrayList<>();
        try (AthenaStandIn athena = AthenaStandIn.builder().build().start();
             EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start()) {
            say("PostgreSQL on port %d; S3 and Athena stand-in at %s", pg.getPort(), athena.s3Endpoint());
            SluiceInstance.prepare(athena);
            athena.faults().completionDelay(Duration.ofSeconds(15));
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE sluice");
            }
            Map<String, String> env = SluiceInstance.environment(athena);
            SluiceInstance a = SluiceInstance.start(jar, dir, "a",
                    SluiceInstance.clusterMember(dir, "a", pg.getPort(), "sluice", athena, LEASE_SECONDS), env);
            processes.add(a.process());
            SluiceInstance b = SluiceInstance.start(jar, dir, "b",
                    SluiceInstance.clusterMember(dir, "b", pg.getPort(), "sluice", athena, LEASE_SECONDS), env);
            processes.add(b.process());
            say("instance a on %s, instance b on %s (cluster.leaseSeconds %d)", a.base(), b.base(), LEASE_SECONDS);

            Map<String, SluiceInstance> submittedTo = new LinkedHashMap<>();
            for (int i = 0; i < 6; i++) {
                SluiceInstance to = i % 2 == 0 ? a : b;
                submittedTo.put(to.submit("SELECT " + i + " AS demo_marker", "athena"), to);
            }
            for (int i = 0; i < 4; i++) {
                SluiceInstance to = i % 2 == 0 ? a : b;
                submittedTo.put(to.submit("SELECT count(*) AS events FROM events WHERE event_id % " + (i + 2) + " = 0",
                        "duckdb"), to);
            }
            say("submitted %d queries, in turn to a and b", submittedTo.size());
            SluiceInstance.waitFor(() -> submittedTo.entrySet().stream().filter(e -> e.getValue() == a)
                    .allMatch(e -> !"QUEUED".equals(b.state(e.getKey()))), Duration.ofSeconds(60));
            table(b, submittedTo);

            a.kill();
            long killed = System.nanoTime();
            say("killed instance a (SIGKILL); b takes its runs over once a's lease of %d s has run out", LEASE_SECONDS);
            SluiceInstance.waitFor(() -> submittedTo.keySet().stream().allMatch(id -> b.ended(id)), Duration.ofMinutes(3));
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

    private static void table(SluiceInstance reader, Map<String, SluiceInstance> submittedTo) throws Exception {
        say("  %-36s  %-9s  %-6s  %s", "query", "submitted", "engine", "state");
        for (Map.Entry<String, SluiceInstance> e : submittedTo.entrySet()) {
            JsonNode status = reader.get("/api/query/" + e.getKey() + "/status").path("data");
            String error = status.path("error").isNull() ? "" : " (" + status.path("error").path("code").asText() + ")";
            say("  %-36s  %-9s  %-6s  %s%s", e.getKey(), "to " + e.getValue().name(), status.path("engine").asText(),
                    status.path("state").asText(), error);
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
