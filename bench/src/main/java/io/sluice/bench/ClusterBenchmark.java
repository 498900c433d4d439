package io.sluice.bench;

import io.sluice.bench.Report.Stats;
import io.sluice.bench.Report.Table;
import io.sluice.standin.AthenaStandIn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Sluice as a cluster of processes on one PostgreSQL store, results on the Athena stand-in's S3
 * server, {@code queries} Athena queries running on the stand-in (they never finish during the
 * measurement, so every instance keeps polling them):
 * <ul>
 *   <li>status latency ({@code GET /api/query/{id}/status}) with {@code pollers} concurrent
 *       clients, each asking for its query's status, pausing {@code thinkMillis}, asking again, for
 *       {@code seconds}: one instance, then two instances taking the requests in turn (as a load
 *       balancer would) — side by side in one run, each on a store of its own;</li>
 *   <li>adoption time: the two-instance cluster's first instance is killed with SIGKILL, and the
 *       clock runs until the store shows every one of its runs owned by the survivor (against
 *       {@code cluster.leaseSeconds} plus one poll interval).</li>
 * </ul>
 * Instances are separate JVMs of {@code server/target/sluice.jar} ({@code -Xmx512m}).
 *
 * <p>System properties: {@code pollers} (default 200), {@code queries} (default 200),
 * {@code seconds} (default 20), {@code thinkMillis} (default 500: the web editor polls a running query every 500 ms for its first 5 s, then every second), {@code leaseSeconds} (default 10).
 */
public final class ClusterBenchmark {

    private final int pollers = Integer.getInteger("pollers", 200);
    private final int queries = Integer.getInteger("queries", 200);
    private final int seconds = Integer.getInteger("seconds", 20);
    private final int thinkMillis = Integer.getInteger("thinkMillis", 500);
    private final int leaseSeconds = Integer.getInteger("leaseSeconds", 10);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        BenchServer.configureLogging();
        new ClusterBenchmark().run(Path.of(args.length > 0 ? args[0] : "server/target/sluice.jar").toAbsolutePath());
    }

    private void run(Path jar) throws Exception {
        Report.heading("Several instances: status latency and adoption time", String.format(Locale.ROOT,
                "%d pollers, each asking for one of %d running Athena queries' status every %d ms for %d s (after "
                        + "5 s of warm-up); instances are separate JVMs on one PostgreSQL store, results on S3 "
                        + "(the stand-in's), Athena polled every 500 ms; cluster.leaseSeconds %d.",
                pollers, queries, thinkMillis, seconds, leaseSeconds));
        Path dir = Files.createTempDirectory("sluice-cluster-bench");
        List<SluiceInstance> started = new ArrayList<>();
        try (AthenaStandIn athena = AthenaStandIn.builder().build().start();
             EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start()) {
            SluiceInstance.prepare(athena);
            athena.faults().completionDelay(Duration.ofHours(1));
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE one_instance");
                s.execute("CREATE DATABASE two_instances");
            }
            Table table = new Table("setup", "requests/s", "p50", "p99", "max");

            SluiceInstance solo = start(jar, dir, "solo", pg, "one_instance", athena, started);
            List<String> soloQueries = submit(List.of(solo));
            Stats one = measure(List.of(solo), soloQueries, table, "one instance");
            solo.kill();

            SluiceInstance a = start(jar, dir, "a", pg, "two_instances", athena, started);
            SluiceInstance b = start(jar, dir, "b", pg, "two_instances", athena, started);
            List<String> pairQueries = submit(List.of(a, b));
            Stats two = measure(List.of(a, b), pairQueries, table, "two instances, requests in turn");
            table.print();
            Report.line(String.format(Locale.ROOT, "Two instances against one: p99 %.2f×, p50 %.2f×.",
                    two.p99() / one.p99(), two.p50() / one.p50()));
            Report.line("");

            double adoption = adoptionSeconds(a, pg, pairQueries);
            Table adopted = new Table("after SIGKILL of an instance with " + pairQueries.size() / 2 + " Athena runs",
                    "seconds", "bound (lease + one poll interval)");
            adopted.row("every run owned by the survivor", String.format(Locale.ROOT, "%.1f", adoption),
                    String.format(Locale.ROOT, "%.1f", leaseSeconds + 0.5));
            adopted.print();
            Report.line("Load average at the end " + Report.loadAverage() + ".");
            Report.line("");
        } finally {
            for (SluiceInstance instance : started) {
                instance.kill();
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private SluiceInstance start(Path jar, Path dir, String name, EmbeddedPostgres pg, String database,
                                 AthenaStandIn athena, List<SluiceInstance> started) throws Exception {
        var config = SluiceInstance.clusterMember(dir, name, pg.getPort(), database, athena, leaseSeconds);
        config.putObject("queries").put("maxQueuedPerUser", 10_000);
        SluiceInstance instance = SluiceInstance.start(jar, dir, name, config, SluiceInstance.environment(athena));
        started.add(instance);
        return instance;
    }

    /** {@code queries} Athena queries, submitted to the instances in turn; waits until all run. */
    private List<String> submit(List<SluiceInstance> instances) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            ids.add(instances.get(i % instances.size()).submit("SELECT " + i + " AS cluster_bench", "athena"));
        }
        SluiceInstance.waitFor(() -> ids.stream().allMatch(id -> "RUNNING".equals(instances.get(0).state(id))),
                Duration.ofMinutes(2));
        return ids;
    }

    private Stats measure(List<SluiceInstance> instances, List<String> ids, Table table, String setup)
            throws Exception {
        poll(instances, ids, Duration.ofSeconds(5), null);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long began = System.nanoTime();
        poll(instances, ids, Duration.ofSeconds(seconds), latencies);
        double elapsed = (System.nanoTime() - began) / 1e9;
        Stats stats = Stats.ofNanos(latencies);
        table.row(setup, String.format(Locale.ROOT, "%,.0f", stats.n() / elapsed), Report.ms(stats.p50()),
                Report.ms(stats.p99()), Report.ms(stats.max()));
        return stats;
    }

    /** Runs the pollers for {@code length}; each request's latency into {@code latencies} unless null. */
    private void poll(List<SluiceInstance> instances, List<String> ids, Duration length, List<Long> latencies)
            throws InterruptedException {
        long deadline = System.nanoTime() + length.toNanos();
        AtomicLong turn = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < pollers; p++) {
            String id = ids.get(p % ids.size());
            Thread thread = new Thread(() -> {
                long[] own = new long[4096];
                int n = 0;
                while (System.nanoTime() < deadline) {
                    SluiceInstance to = instances.get((int) (turn.getAndIncrement() % instances.size()));
                    HttpRequest request = HttpRequest.newBuilder(to.base().resolve("/api/query/" + id + "/status")).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    long took = System.nanoTime() - t0;
                    if (n == own.length) {
                        own = Arrays.copyOf(own, n * 2);
                    }
                    own[n++] = took;
                    try {
                        Thread.sleep(thinkMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (latencies != null) {
                    for (int i = 0; i < n; i++) {
                        latencies.add(own[i]);
                    }
                }
            }, "poller-" + p);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " status requests failed");
        }
    }

    /** Kills {@code victim} and times until the store shows none of the queries owned by it. */
    private double adoptionSeconds(SluiceInstance victim, EmbeddedPostgres pg, List<String> ids) throws Exception {
        victim.kill();
        long killed = System.nanoTime();
        try (Connection c = pg.getDatabase("postgres", "two_instances").getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT COUNT(*) FROM query_runs WHERE claimed_by = ? AND state = 'RUNNING'")) {
            s.setString(1, victim.name());
            while (true) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        return (System.nanoTime() - killed) / 1e9;
                    }
                }
                Thread.sleep(20);
            }
        }
    }
}
