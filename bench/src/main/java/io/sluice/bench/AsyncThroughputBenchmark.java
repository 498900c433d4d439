package io.sluice.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.bench.Report.Table;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Trivial DuckDB queries per second through the asynchronous API, end to end: {@code clients}
 * threads submit {@code SELECT n} as fast as the gateway takes them ({@code POST /api/query}; a
 * submit answered 429 {@code TOO_MANY_QUERIES} because the user already has
 * {@code queries.maxQueuedPerUser} queries waiting (1,000 here) is sent again after 50 ms, as a
 * well-behaved client would), and the clock stops when the last of {@code queries} has ended
 * (every run stored as SUCCEEDED: insert, start, result file and end, each commit on file before it
 * is answered). Side by side in the same run: the same statements through one DuckDB JDBC
 * connection per client thread (the engine's own limit), and Sluice with {@code cluster.enabled}
 * and a 5 s lease (a heartbeat every 250 ms, twice the default rate), whose difference to the
 * single instance is what the heartbeat costs.
 *
 * <p>System properties: {@code queries} (default 3,000), {@code clients} (default 16),
 * {@code warmup} (default 500).
 */
public final class AsyncThroughputBenchmark {

    private final int queries = Integer.getInteger("queries", 3_000);
    private final int clients = Integer.getInteger("clients", 16);
    private final int warmup = Integer.getInteger("warmup", 500);
    private final AtomicLong refused = new AtomicLong();
    /** Turns each server takes. */
    private static final int ROUNDS = 2;

    public static void main(String[] args) throws Exception {
        new AsyncThroughputBenchmark().run();
    }

    private void run() throws Exception {
        Report.heading("Trivial DuckDB queries per second through the asynchronous API", String.format(Locale.ROOT,
                "%d queries (`SELECT n`) from %d client threads after %d warm-up queries, %d rounds per server "
                        + "taken in turn; the clock stops when the last one has SUCCEEDED. Server: in this JVM, H2 file store, 4 workers. Baseline: the same "
                        + "statements on DuckDB JDBC directly, one connection per client thread.",
                queries, clients, warmup, ROUNDS));
        Table table = new Table("setup", "queries/s", "target", "");
        double direct;
        double single = 0;
        double clustered = 0;
        List<String> rounds = new ArrayList<>();
        // Both servers live through the whole run and take turns, so neither gains from going second
        // (a warmer JIT, a quieter machine): the rate of each is the mean of its rounds.
        try (BenchServer one = BenchServer.start(AsyncThroughputBenchmark::queueOfAThousand);
             BenchServer member = BenchServer.start(clusterOf(5))) {
            direct = directRate(one);
            for (int round = 1; round <= ROUNDS; round++) {
                double s = gatewayRate(one);
                double c = gatewayRate(member);
                single += s / ROUNDS;
                clustered += c / ROUNDS;
                rounds.add(String.format(Locale.ROOT, "round %d: %.0f and %.0f", round, s, c));
            }
        }
        table.row("DuckDB JDBC directly (the engine's limit)", String.format(Locale.ROOT, "%,.0f", direct), "–", "");
        table.row("Sluice, one instance", String.format(Locale.ROOT, "%,.0f", single), "≥ 300",
                Report.verdict(single >= 300));
        table.row("Sluice, cluster.enabled, heartbeat every 250 ms", String.format(Locale.ROOT, "%,.0f", clustered),
                "≥ 300", Report.verdict(clustered >= 300));
        table.print();
        Report.line(String.format(Locale.ROOT, "Rounds (one instance and cluster member): %s. Heartbeat cost: %.1f %% "
                + "of the single instance's rate; submits sent again after a 429 (queue full): %,d; load average at "
                + "the end %s.", String.join("; ", rounds), 100 * (single - clustered) / single, refused.get(),
                Report.loadAverage()));
        Report.line("");
    }

    /** A cluster member on its own store: a shared results folder and a link secret, as cluster mode requires. */
    private static Consumer<ObjectNode> clusterOf(int leaseSeconds) {
        return root -> {
            queueOfAThousand(root);
            ((ObjectNode) root.get("results")).put("sharedFolder", true)
                    .put("linkSecret", "bench-link-secret-0123456789abcdef");
            root.putObject("cluster").put("enabled", true).put("leaseSeconds", leaseSeconds);
        };
    }

    /** A backlog deep enough to keep every worker busy between a client's 429 and its next submit. */
    private static void queueOfAThousand(ObjectNode root) {
        ((ObjectNode) root.get("queries")).put("maxQueuedPerUser", 1_000);
    }

    private double gatewayRate(BenchServer server) throws Exception {
        submitAll(server, warmup);
        awaitIdle(server);
        long started = System.nanoTime();
        submitAll(server, queries);
        awaitIdle(server);
        return queries / ((System.nanoTime() - started) / 1e9);
    }

    private void submitAll(BenchServer server, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
                        submitUntilTaken(server, "SELECT " + n + " AS n");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Submits, sending again while the user's queue is full (429), as a client honouring backpressure does. */
    private void submitUntilTaken(BenchServer server, String sql) throws InterruptedException {
        while (true) {
            BenchServer.Answer answer = server.post("/api/query", Map.of("query", sql));
            if (answer.status() == 202) {
                return;
            }
            answer.expect(429);
            refused.incrementAndGet();
            Thread.sleep(50);
        }
    }

    /**
     * Waits until no query is queued or running (every submitted one has ended). It looks every
     * 20 ms: a few requests against thousands of queries, and at most 20 ms added to a run of
     * several seconds.
     */
    private static void awaitIdle(BenchServer server) throws InterruptedException {
        while (true) {
            BenchServer.Answer answer = server.get("/api/queries?state=QUEUED,RUNNING&limit=1").expect(200);
            if (answer.json().path("data").path("items").isEmpty()) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private double directRate(BenchServer server) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            long started = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    try (Connection connection = server.openDirect(); Statement statement = connection.createStatement()) {
                        for (int n = next.getAndIncrement(); n < queries; n = next.getAndIncrement()) {
                            try (ResultSet rs = statement.executeQuery("SELECT " + n + " AS n")) {
                                rs.next();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return queries / ((System.nanoTime() - started) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
