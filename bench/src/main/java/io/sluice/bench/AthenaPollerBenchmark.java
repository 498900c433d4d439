package io.sluice.bench;

import io.sluice.engine.athena.AthenaSettings;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.Report.Stats;
import io.sluice.bench.Report.Table;
import io.sluice.standin.AthenaStandIn;
import io.sluice.standin.CallCounts;
import io.sluice.standin.Faults;
import software.amazon.awssdk.services.athena.AthenaClient;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The poller with many Athena queries running at once: API calls per second Sluice makes, and how
 * stale its status is, against the naive design (one GetQueryExecution per query per second).
 *
 * <p>A real Sluice (in this JVM, local defaults plus the Athena engine at the production poll
 * interval, 1 s) and the Athena stand-in (in this JVM, so its call counter is at hand). {@code queries}
 * queries are submitted through {@code POST /api/query} (engine athena) and all run at once:
 * {@code queries − waves × perWave} are held RUNNING by the stand-in ({@code holdMatching}, no
 * thread each), the others are given a completion delay so that they finish in waves during the
 * last phase. Phases, on a fixed schedule from the first submit:
 * <ol>
 *   <li><b>steady</b> ({@code windowSeconds}): all queries RUNNING. The stand-in's calls per
 *       operation over the window; poll rounds (bursts of BatchGetQueryExecution, watched every
 *       2 ms); CPU of the poller thread; and the staleness of the running statistics: a random held
 *       query's {@code dataScannedBytes} in Sluice's status against the stand-in's own figure read
 *       right after (GetQueryExecution by the benchmark, not counted as Sluice's), divided by the
 *       held queries' scan rate.</li>
 *   <li><b>naive baseline</b> ({@code naiveSeconds}): one GetQueryExecution per running query,
 *       rounds started every second, one thread, the same SDK HTTP client kind, against the same
 *       stand-in while Sluice's poller keeps going.</li>
 *   <li><b>waves</b>: {@code waves} waves of {@code perWave} queries finish on the stand-in, 5 s
 *       apart. Each wave is watched through {@code GET /api/queries?state=…&q=wave-NN} every
 *       {@code observeMillis}; a query's staleness is the arrival time of the first answer showing
 *       it terminal minus the stand-in's completion time (Sluice's {@code completedAt}, which is
 *       Athena's CompletionDateTime). SUCCEEDED includes ingesting the (one-row) result.</li>
 * </ol>
 *
 * <p>Run by {@code scripts/bench.sh athena-poller}. System properties: {@code queries} (1000),
 * {@code waves} (10), {@code perWave} (20), {@code setupSeconds} (60: budget for submitting and
 * all RUNNING), {@code windowSeconds} (60), {@code naiveSeconds} (10), {@code observeMillis} (25),
 * {@code probeMillis} (250).
 */
public final class AthenaPollerBenchmark {

    private static final double TARGET_CALLS_PER_SECOND = 25;
    private static final double TARGET_STALENESS_MS = 2000;
    private static final long WAVE_SPACING_MILLIS = 5000;
    private static final String BATCH = "BatchGetQueryExecution";
    private static final String GET = "GetQueryExecution";

    private final int queries = Integer.getInteger("queries", 1000);
    private final int waves = Integer.getInteger("waves", 10);
    private final int perWave = Integer.getInteger("perWave", 20);
    private final long setupMillis = Integer.getInteger("setupSeconds", 60) * 1000L;
    private final long windowMillis = Integer.getInteger("windowSeconds", 60) * 1000L;
    private final long naiveMillis = Integer.getInteger("naiveSeconds", 10) * 1000L;
    private final long observeMillis = Integer.getInteger("observeMillis", 25);
    private final long probeMillis = Integer.getInteger("probeMillis", 250);

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Random random = new Random(42);
    /** GetQueryExecution calls the benchmark itself makes (statistics probes): not Sluice's. */
    private final AtomicLong ownGetCalls = new AtomicLong();

    /** What one window measured. */
    private record Window(String name, double seconds, Map<String, Long> calls, double pollerCpu, double processCpu,
                          List<Round> rounds) {

        double perSecond(String op) {
            return calls.getOrDefault(op, 0L) / seconds;
        }

        double totalPerSecond() {
            return calls.values().stream().mapToLong(Long::longValue).sum() / seconds;
        }
    }

    /** One poll round as the stand-in saw it: a burst of BatchGetQueryExecution calls. */
    private record Round(long startNanos, long endNanos, long calls) {
    }

    public static void main(String[] args) throws Exception {
        new AthenaPollerBenchmark().run();
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        int waveQueries = waves * perWave;
        if (waveQueries > queries) {
            throw new IllegalArgumentException("waves × perWave exceeds queries");
        }
        try (BenchAthena athena = BenchAthena.inProcess(null);
             BenchServer server = BenchServer.start(root -> athena.configure(root, null));
             AthenaClient client = athena.client()) {
            AthenaStandIn standIn = athena.standIn().orElseThrow();
            Report.heading("6. Athena poller: API calls per second and status staleness with "
                    + String.format(Locale.ROOT, "%,d", queries) + " queries running", String.format(Locale.ROOT,
                    "Sluice in this JVM (local defaults + the Athena engine, poll interval %d ms = production default, "
                            + "8 remote workers), the Athena stand-in in this JVM. %,d queries submitted through "
                            + "`POST /api/query` (engine athena), all RUNNING at once: %,d held by the stand-in, %,d "
                            + "finishing in %d waves of %d, 5 s apart, in the last phase. Steady window %d s; naive "
                            + "baseline %d s; status watched every %d ms; statistics probed every %d ms.",
                    server.config().engines().settings("athena", AthenaSettings.class).orElseThrow().pollInterval().toMillis(), queries,
                    queries - waveQueries, waveQueries, waves, perWave, windowMillis / 1000, naiveMillis / 1000,
                    observeMillis, probeMillis));
            CallCounts counter = standIn.calls();
            warmUp(server);

            // The schedule, fixed from the first submit.
            long t0 = System.nanoTime();
            long steadyStart = t0 + ms(setupMillis);
            long steadyEnd = steadyStart + ms(windowMillis);
            long naiveStart = steadyEnd + ms(1000);
            long naiveEnd = naiveStart + ms(naiveMillis);
            long wavesStart = naiveEnd + ms(4000);
            long wavesEnd = wavesStart + ms(WAVE_SPACING_MILLIS * (waves + 1) + 5000);

            // Submit: the held ones, then each wave with a completion delay that ends it on time.
            Faults faults = standIn.faults();
            faults.holdMatching("/\\* held \\*/");
            Map<String, Integer> waveOf = new HashMap<>();
            for (int i = 0; i < queries - waveQueries; i++) {
                server.submit("SELECT " + i + " AS n /* held */", "athena");
            }
            int n = queries - waveQueries;
            for (int w = 0; w < waves; w++) {
                long target = wavesStart + ms(WAVE_SPACING_MILLIS * (w + 1));
                faults.completionDelay(waveTag(w), Duration.ofNanos(target - System.nanoTime()));
                for (int j = 0; j < perWave; j++) {
                    waveOf.put(server.submit("SELECT " + n++ + " AS n /* " + waveTag(w) + " */", "athena"), w);
                }
            }
            double submitSeconds = (System.nanoTime() - t0) / 1e9;
            Map<String, String> engineIds = awaitAllRunning(server, standIn, steadyStart);
            double runningSeconds = (System.nanoTime() - t0) / 1e9;
            List<String> held = engineIds.keySet().stream().filter(id -> !waveOf.containsKey(id)).toList();

            RoundWatcher watcher = new RoundWatcher(counter);
            watcher.start();
            long steadyFrom = Math.max(steadyStart, System.nanoTime() + ms(2000));
            List<Long> statsStaleness = new ArrayList<>();
            Window steady = window("steady: " + String.format(Locale.ROOT, "%,d", queries) + " RUNNING", counter,
                    watcher, steadyFrom, steadyEnd, () -> probeStatistics(server, client, held, engineIds, statsStaleness));
            Naive naive = naive(client, counter, new ArrayList<>(engineIds.values()), naiveStart, naiveEnd);
            Map<String, Long> staleness = new LinkedHashMap<>();
            Map<String, String> endStates = new HashMap<>();
            Window wave = window("waves: " + String.format(Locale.ROOT, "%,d → %,d", queries, queries - waveQueries)
                    + " RUNNING", counter, watcher, wavesStart, wavesEnd,
                    new WaveObserver(server, waveOf, wavesStart, staleness, endStates)::step);
            watcher.stop();
            if (staleness.size() != waveQueries) {
                throw new IllegalStateException("saw " + staleness.size() + " of " + waveQueries
                        + " released queries end within the window");
            }
            print(submitSeconds, runningSeconds, steady, wave, naive, statsStaleness, staleness, endStates,
                    engineIds.size());
        }
        Report.line(String.format(Locale.ROOT, "Benchmark time: %.0f s; load average now %s.",
                (System.nanoTime() - began) / 1e9, Report.loadAverage()));
        Report.line("");
    }

    private static long ms(long millis) {
        return millis * 1_000_000L;
    }

    private static String waveTag(int wave) {
        return String.format(Locale.ROOT, "wave-%02d", wave);
    }

    /** A few queries end to end first, so the paths the measurement uses are compiled. */
    private static void warmUp(BenchServer server) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(server.submit("SELECT " + i + " AS warm_up", "athena"));
        }
        for (String id : ids) {
            JsonNode status = server.awaitEnd(id, Duration.ofMillis(50), Duration.ofSeconds(60));
            if (!status.path("state").asText().equals("SUCCEEDED")) {
                throw new IllegalStateException("warm-up query ended " + status);
            }
        }
        server.get("/api/queries?engine=athena&state=SUCCEEDED&q=warm_up&limit=50").expect(200);
    }

    /**
     * Waits until every query is RUNNING in Sluice with an Athena id, and RUNNING on the stand-in;
     * Sluice id → Athena id. The ids come from Sluice's store ({@link BenchServer#openStore}): the
     * API does not show them.
     */
    private Map<String, String> awaitAllRunning(BenchServer server, AthenaStandIn standIn, long by)
            throws SQLException {
        while (true) {
            Map<String, String> ids = new LinkedHashMap<>();
            int notRunning = 0;
            try (Connection c = server.openStore();
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, state, engine_query_id, query_text FROM queries "
                         + "WHERE engine = 'athena' AND query_text NOT LIKE '%warm_up%'")) {
                while (rs.next()) {
                    if (rs.getString("state").equals("RUNNING") && rs.getString("engine_query_id") != null) {
                        ids.put(rs.getString("id"), rs.getString("engine_query_id"));
                    } else {
                        notRunning++;
                    }
                }
            }
            if (ids.size() == queries && notRunning == 0) {
                long onStandIn = ids.values().stream().filter(e -> {
                    List<String> history = standIn.stateHistory(e);
                    return !history.isEmpty() && history.get(history.size() - 1).equals("RUNNING");
                }).count();
                if (onStandIn == queries) {
                    return ids;
                }
            }
            if (System.nanoTime() > by + ms(60_000)) {
                throw new IllegalStateException(ids.size() + " of " + queries + " RUNNING long after the setup budget");
            }
            BenchServer.sleep(Duration.ofMillis(500));
        }
    }

    /**
     * Runs {@code step} repeatedly from {@code from} to {@code to} (each call decides how long it
     * takes) and measures calls, rounds and CPU over exactly that interval.
     */
    private Window window(String name, CallCounts counter, RoundWatcher watcher, long from, long to, Runnable step) {
        LockSupport.parkNanos(from - System.nanoTime());
        Thread poller = thread("sluice-poller");
        Map<String, Long> before = counter.snapshot();
        long own0 = ownGetCalls.get();
        long cpu0 = threads.getThreadCpuTime(poller.getId());
        long process0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        while (System.nanoTime() < to) {
            step.run();
        }
        Map<String, Long> after = counter.snapshot();
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        Map<String, Long> calls = new TreeMap<>();
        long own = ownGetCalls.get() - own0;
        after.forEach((op, count) -> {
            long d = count - before.getOrDefault(op, 0L) - (op.equals(GET) ? own : 0);
            if (d > 0) {
                calls.put(op, d);
            }
        });
        return new Window(name, seconds, calls, (threads.getThreadCpuTime(poller.getId()) - cpu0) / 1e9 / seconds,
                (os.getProcessCpuTime() - process0) / 1e9 / seconds, watcher.rounds(start, end));
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no thread " + name));
    }

    /** A random held query: its scan as Sluice shows it vs the stand-in's figure now, as an age. */
    private void probeStatistics(BenchServer server, AthenaClient client, List<String> held,
                                 Map<String, String> engineIds, List<Long> staleness) {
        String id = held.get(random.nextInt(held.size()));
        JsonNode shown = server.status(id).path("statistics").path("dataScannedBytes");
        long truth = client.getQueryExecution(r -> r.queryExecutionId(engineIds.get(id))).queryExecution()
                .statistics().dataScannedInBytes();
        ownGetCalls.incrementAndGet();
        if (!shown.isNull() && !shown.isMissingNode()) {
            double bytesPerMilli = Faults.DEFAULT_SCAN_BYTES_PER_SECOND / 1000.0;
            staleness.add((long) ((truth - shown.asLong()) / bytesPerMilli * 1e6));
        }
        BenchServer.sleep(Duration.ofMillis(probeMillis));
    }

    /** What the naive poller did. */
    private record Naive(double seconds, long calls, List<Long> roundNanos, double threadCpu, double processCpu,
                         Map<String, Long> otherCalls) {
    }

    /** One GetQueryExecution per query, a round started every second (at once if the last one overran). */
    private Naive naive(AthenaClient client, CallCounts counter, List<String> engineIds, long from, long to) {
        LockSupport.parkNanos(from - System.nanoTime());
        Map<String, Long> before = counter.snapshot();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long process0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        long calls = 0;
        List<Long> rounds = new ArrayList<>();
        long next = start;
        outer:
        while (true) {
            LockSupport.parkNanos(next - System.nanoTime());
            long roundStart = System.nanoTime();
            for (String id : engineIds) {
                if (System.nanoTime() >= to) {
                    break outer;
                }
                client.getQueryExecution(r -> r.queryExecutionId(id));
                calls++;
            }
            rounds.add(System.nanoTime() - roundStart);
            next = roundStart + ms(1000);
            if (next >= to) {
                break;
            }
        }
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        Map<String, Long> after = counter.snapshot();
        Map<String, Long> other = new TreeMap<>();
        long own = calls;
        after.forEach((op, count) -> {
            long d = count - before.getOrDefault(op, 0L) - (op.equals(GET) ? own : 0);
            if (d > 0) {
                other.put(op, d);
            }
        });
        return new Naive(seconds, calls, rounds, (threads.getCurrentThreadCpuTime() - cpu0) / 1e9 / seconds,
                (os.getProcessCpuTime() - process0) / 1e9 / seconds, other);
    }

    /** Watches the waves through the history API; records each query's staleness when first seen ended. */
    private final class WaveObserver {
        private final BenchServer server;
        private final Map<String, Integer> waveOf;
        private final long wavesStart;
        private final Map<String, Long> staleness;
        private final Map<String, String> endStates;
        private final Map<Integer, Set<String>> pending = new TreeMap<>();

        WaveObserver(BenchServer server, Map<String, Integer> waveOf, long wavesStart, Map<String, Long> staleness,
                     Map<String, String> endStates) {
            this.server = server;
            this.waveOf = waveOf;
            this.wavesStart = wavesStart;
            this.staleness = staleness;
            this.endStates = endStates;
            waveOf.forEach((id, w) -> pending.computeIfAbsent(w, k -> new TreeSet<>()).add(id));
        }

        /** One look at every wave due (from 1 s before its planned end) and not yet all seen. */
        void step() {
            long now = System.nanoTime();
            for (Map.Entry<Integer, Set<String>> e : pending.entrySet()) {
                int w = e.getKey();
                long due = wavesStart + ms(WAVE_SPACING_MILLIS * (w + 1)) - ms(1000);
                if (e.getValue().isEmpty() || now < due) {
                    continue;
                }
                BenchServer.Answer answer = server.get("/api/queries?engine=athena&limit=200"
                        + "&state=SUCCEEDED,FAILED,CANCELLED,TIMED_OUT&q="
                        + URLEncoder.encode(waveTag(w), StandardCharsets.UTF_8));
                long arrivedMillis = System.currentTimeMillis();
                for (JsonNode item : answer.expect(200).data().path("items")) {
                    String id = item.path("id").asText();
                    if (e.getValue().remove(id)) {
                        Instant completed = Instant.parse(item.path("completedAt").asText());
                        staleness.put(id, (arrivedMillis - completed.toEpochMilli()) * 1_000_000L);
                        endStates.put(id, item.path("state").asText());
                    }
                }
            }
            BenchServer.sleep(Duration.ofMillis(observeMillis));
        }
    }

    /** Samples the BatchGetQueryExecution count every 2 ms; bursts separated by 300 ms of quiet are rounds. */
    private static final class RoundWatcher {
        private final CallCounts counter;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<long[]> changes = new ArrayList<>();
        private Thread thread;

        RoundWatcher(CallCounts counter) {
            this.counter = counter;
        }

        void start() {
            thread = new Thread(() -> {
                long last = counter.count(BATCH);
                while (running.get()) {
                    long now = counter.count(BATCH);
                    if (now != last) {
                        synchronized (changes) {
                            changes.add(new long[] {System.nanoTime(), now - last});
                        }
                        last = now;
                    }
                    LockSupport.parkNanos(2_000_000);
                }
            }, "round-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        /** Rounds that started within [from, to). */
        List<Round> rounds(long from, long to) {
            List<long[]> copy;
            synchronized (changes) {
                copy = new ArrayList<>(changes);
            }
            List<Round> rounds = new ArrayList<>();
            long start = -1;
            long end = -1;
            long calls = 0;
            for (long[] c : copy) {
                if (start >= 0 && c[0] - end > ms(300)) {
                    rounds.add(new Round(start, end, calls));
                    start = -1;
                }
                if (start < 0) {
                    start = c[0];
                    calls = 0;
                }
                end = c[0];
                calls += c[1];
            }
            if (start >= 0) {
                rounds.add(new Round(start, end, calls));
            }
            return rounds.stream().filter(r -> r.startNanos() >= from && r.startNanos() < to).toList();
        }
    }

    private void print(double submitSeconds, double runningSeconds, Window steady, Window wave, Naive naive,
                       List<Long> statsStaleness, Map<String, Long> staleness, Map<String, String> endStates,
                       int running) {
        Report.line(String.format(Locale.ROOT, "Setup: %,d queries submitted in %.1f s; all %,d RUNNING (in Sluice, "
                + "with an Athena id, and on the stand-in) %.1f s after the first submit.", queries, submitSeconds,
                running, runningSeconds));
        Report.line("");

        Report.line("### Athena API calls per second");
        Report.line("");
        Table calls = new Table("window", "s", "BatchGetQueryExecution /s", "GetQueryExecution /s", "other /s",
                "total /s", "poller thread CPU", "process CPU");
        for (Window w : List.of(steady, wave)) {
            double other = w.calls().entrySet().stream().filter(e -> !e.getKey().equals(BATCH) && !e.getKey().equals(GET))
                    .mapToLong(Map.Entry::getValue).sum() / w.seconds();
            calls.row("Sluice, " + w.name(), String.format(Locale.ROOT, "%.1f", w.seconds()), two(w.perSecond(BATCH)),
                    two(w.perSecond(GET)), two(other), two(w.totalPerSecond()), percent(w.pollerCpu()),
                    percent(w.processCpu()));
        }
        double naiveRate = naive.calls() / naive.seconds();
        calls.row("naive, measured: one GetQueryExecution per query per second, 1 thread",
                String.format(Locale.ROOT, "%.1f", naive.seconds()), "–", two(naiveRate), "–", two(naiveRate),
                percent(naive.threadCpu()) + " (naive thread)", percent(naive.processCpu()));
        calls.row("naive, computed: " + String.format(Locale.ROOT, "%,d", queries) + " queries × 1 call/s", "–", "–",
                two(queries), "–", two(queries), "–", "–");
        calls.print();
        Report.line("Sluice's steady-window calls by operation: " + steady.calls() + "; waves window: " + wave.calls()
                + ". CPU is a share of one core (this machine has " + Runtime.getRuntime().availableProcessors()
                + "); the process includes the stand-in serving the calls and the benchmark's own probes. The "
                + "statistics probes' own GetQueryExecution calls are not counted as Sluice's.");
        Report.line("");

        Report.line("### Poll rounds (bursts of BatchGetQueryExecution seen by the stand-in)");
        Report.line("");
        Table rounds = new Table("window", "rounds", "calls per round p50", "round period p50 ms", "period p99 ms",
                "period max ms", "batch calls span p50 ms", "span max ms");
        for (Window w : List.of(steady, wave)) {
            List<Round> rs = w.rounds();
            List<Long> periods = new ArrayList<>();
            List<Long> spans = new ArrayList<>();
            List<Long> perRound = new ArrayList<>();
            for (int i = 0; i < rs.size(); i++) {
                if (i > 0) {
                    periods.add(rs.get(i).startNanos() - rs.get(i - 1).startNanos());
                }
                spans.add(rs.get(i).endNanos() - rs.get(i).startNanos());
                perRound.add(rs.get(i).calls() * 1_000_000L);
            }
            Stats p = Stats.ofNanos(periods);
            Stats s = Stats.ofNanos(spans);
            rounds.row(w.name(), rs.size(), Stats.ofNanos(perRound).p50(), p.p50(), p.p99(), p.max(), s.p50(), s.max());
        }
        rounds.print();

        Report.line("### Status staleness (ms)");
        Report.line("");
        Stats end = Stats.ofNanos(new ArrayList<>(staleness.values()));
        Stats stats = Stats.ofNanos(statsStaleness);
        Stats naiveRounds = Stats.ofNanos(naive.roundNanos());
        long succeeded = endStates.values().stream().filter("SUCCEEDED"::equals).count();
        new Table("measurement", "n", "p50 ms", "p99 ms", "mean ms", "max ms")
                .row("Sluice: stand-in completion → status terminal in the API (" + succeeded + " SUCCEEDED, result "
                                + "ingested; observed every " + observeMillis + " ms, answer arrival time)", end.n(),
                        end.p50(), end.p99(), end.mean(), end.max())
                .row("Sluice: age of a RUNNING query's `dataScannedBytes` (statistics)", stats.n(), stats.p50(),
                        stats.p99(), stats.mean(), stats.max())
                .row("naive: duration of one round over all queries (= age of the oldest status)", naiveRounds.n(),
                        naiveRounds.p50(), naiveRounds.p99(), naiveRounds.mean(), naiveRounds.max())
                .print();

        Report.line("### Targets");
        Report.line("");
        new Table("target", "measured", "verdict")
                .row("≤ " + Report.ms(TARGET_CALLS_PER_SECOND) + " API calls/s with " + String.format(Locale.ROOT,
                        "%,d", queries) + " running", two(steady.totalPerSecond()) + " /s (naive: "
                        + two(naiveRate) + " measured, " + queries + " needed)",
                        Report.verdict(steady.totalPerSecond() <= TARGET_CALLS_PER_SECOND))
                .row("status never staler than 2 s: end of a query (max over " + end.n() + ")",
                        Report.ms(end.max()) + " ms (p99 " + Report.ms(end.p99()) + " ms)",
                        Report.verdict(end.max() < TARGET_STALENESS_MS))
                .row("status never staler than 2 s: running statistics (max over " + stats.n() + " probes)",
                        Report.ms(stats.max()) + " ms (p99 " + Report.ms(stats.p99()) + " ms)",
                        Report.verdict(stats.max() < TARGET_STALENESS_MS))
                .print();
    }

    private static String two(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }
}
