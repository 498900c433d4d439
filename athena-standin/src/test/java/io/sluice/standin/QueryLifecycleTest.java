package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.model.BatchGetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;

/**
 * The life of queries under faults, the scan cutoff, stopping and result reuse, on a manual clock
 * so that every time and byte count is exact.
 */
class QueryLifecycleTest {
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final long CUTOFF = 10_000_000L;
    private static final ManualClock CLOCK = new ManualClock(START);
    private static StandInClients c;

    @BeforeAll
    static void start() {
        c = StandInClients.start(AthenaStandIn.builder().clock(CLOCK));
        c.standIn.execute("CREATE SCHEMA life;"
                + "CREATE TABLE life.small AS SELECT range AS id FROM range(10);"
                + "CREATE TABLE life.big AS SELECT range AS id FROM range(1000)");
        c.standIn.scanWeight("life", "big", 1_000_000);
        c.standIn.workGroup("capped", StandInClients.OUTPUT, CUTOFF, false);
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    @AfterEach
    void resetFaults() {
        c.standIn.faults().reset();
    }

    @Test
    void dataScannedIsRowsTimesScanWeight() {
        assertThat(c.run("SELECT count(*) FROM life.small").statistics().dataScannedInBytes()).isEqualTo(1_000);
        assertThat(c.run("SELECT * FROM life.big b JOIN life.small s ON b.id = s.id").statistics()
                .dataScannedInBytes()).isEqualTo(1_000_000_000L + 1_000);
        assertThat(c.run("SHOW TABLES IN life").statistics().dataScannedInBytes()).isZero();
    }

    @Test
    void aQueueDelayKeepsTheQueryQueuedUntilTheClockPassesIt() {
        c.standIn.faults().queueDelay(Duration.ofSeconds(10));
        Instant submitted = CLOCK.instant();
        String id = c.start("SELECT 'queued' AS q");

        assertThat(c.execution(id).status().state()).isEqualTo(QueryExecutionState.QUEUED);
        CLOCK.advance(Duration.ofSeconds(9));
        assertThat(c.execution(id).status().state()).isEqualTo(QueryExecutionState.QUEUED);
        CLOCK.advance(Duration.ofSeconds(1));
        QueryExecution q = c.await(id, QueryExecutionState.SUCCEEDED);

        assertThat(q.statistics().queryQueueTimeInMillis()).isEqualTo(10_000);
        assertThat(q.status().submissionDateTime()).isEqualTo(submitted);
        assertThat(q.status().completionDateTime()).isEqualTo(submitted.plusSeconds(10));
    }

    @Test
    void aFlapShowsTheQueryQueuedAgainAfterItRan() {
        c.standIn.faults().flapToQueued(Duration.ofSeconds(5));
        String id = c.start("SELECT 'flapping' AS f");
        awaitPhase(id, io.sluice.standin.QueryExecution.Phase.FLAPPED);

        assertThat(c.execution(id).status().state()).isEqualTo(QueryExecutionState.QUEUED);
        CLOCK.advance(Duration.ofSeconds(5));
        QueryExecution q = c.await(id, QueryExecutionState.SUCCEEDED);

        assertThat(c.standIn.stateHistory(id)).containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");
        assertThat(q.statistics().queryQueueTimeInMillis()).isEqualTo(5_000);
    }

    @Test
    void aHeldQueryThatAlsoFlapsFallsBackToQueuedOnlyWhenReleased() {
        c.standIn.faults().holdMatching("held-flap").flapToQueued(Duration.ofSeconds(5));
        String id = c.start("SELECT 'held-flap' AS f");
        awaitPhase(id, io.sluice.standin.QueryExecution.Phase.HELD);

        CLOCK.advance(Duration.ofSeconds(60));
        assertThat(c.execution(id).status().state()).isEqualTo(QueryExecutionState.RUNNING);
        c.standIn.faults().releaseHeld();
        awaitPhase(id, io.sluice.standin.QueryExecution.Phase.FLAPPED);
        assertThat(c.execution(id).status().state()).isEqualTo(QueryExecutionState.QUEUED);
        CLOCK.advance(Duration.ofSeconds(5));

        QueryExecution q = c.await(id, QueryExecutionState.SUCCEEDED);
        assertThat(c.standIn.stateHistory(id)).containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");
        assertThat(q.statistics().queryQueueTimeInMillis()).isEqualTo(5_000);
    }

    @Test
    void aCompletionDelayKeepsTheQueryRunningWhileItsScanGrows() {
        c.standIn.faults().completionDelay(Duration.ofSeconds(60));
        String id = c.start("SELECT count(*) FROM life.big");
        awaitPhase(id, io.sluice.standin.QueryExecution.Phase.DELAYED);

        CLOCK.advance(Duration.ofSeconds(2));
        QueryExecution running = c.execution(id);
        assertThat(running.status().state()).isEqualTo(QueryExecutionState.RUNNING);
        assertThat(running.statistics().dataScannedInBytes()).isEqualTo(2 * Faults.DEFAULT_SCAN_BYTES_PER_SECOND);
        assertThat(running.statistics().engineExecutionTimeInMillis()).isEqualTo(2_000);
        CLOCK.advance(Duration.ofSeconds(58));

        QueryExecution done = c.await(id, QueryExecutionState.SUCCEEDED);
        assertThat(done.statistics().dataScannedInBytes()).isEqualTo(1_000_000_000L);
        assertThat(done.statistics().engineExecutionTimeInMillis()).isEqualTo(60_000);
        assertThat(done.statistics().totalExecutionTimeInMillis()).isEqualTo(60_000);
    }

    @Test
    void aHeldQueryScansUntilStoppedAndLeavesHalfItsRows() {
        c.standIn.faults().holdMatching("/\\* hold \\*/");
        String id = c.start("/* hold */ SELECT id FROM life.small ORDER BY id");
        awaitPhase(id, io.sluice.standin.QueryExecution.Phase.HELD);

        CLOCK.advance(Duration.ofSeconds(3));
        assertThat(c.execution(id).statistics().dataScannedInBytes()).isEqualTo(3 * Faults.DEFAULT_SCAN_BYTES_PER_SECOND);
        c.athena.stopQueryExecution(b -> b.queryExecutionId(id));

        QueryExecution q = c.execution(id);
        assertThat(q.status().state()).isEqualTo(QueryExecutionState.CANCELLED);
        assertThat(q.status().stateChangeReason()).isEqualTo("Query cancelled by user");
        assertThat(q.statistics().dataScannedInBytes()).isEqualTo(3 * Faults.DEFAULT_SCAN_BYTES_PER_SECOND);
        String csv = q.resultConfiguration().outputLocation();
        assertThat(c.object(csv)).isEqualTo("\"id\"\n\"0\"\n\"1\"\n\"2\"\n\"3\"\n\"4\"\n");
        assertThat(c.exists(csv + ".metadata")).isFalse();

        CLOCK.advance(Duration.ofSeconds(1));
        c.athena.stopQueryExecution(b -> b.queryExecutionId(id));
        assertThat(c.execution(id).status()).isEqualTo(q.status());
    }

    @Test
    void aQueryFailingAfterItRanLeavesHalfItsRowsWithoutMetadata() {
        c.standIn.faults().failAfterRunning("/\\* lost worker \\*/");
        String id = c.start("/* lost worker */ SELECT id FROM life.small ORDER BY id");

        QueryExecution q = c.await(id, QueryExecutionState.FAILED);
        assertThat(q.status().athenaError().errorCategory()).isEqualTo(1);
        assertThat(q.status().stateChangeReason()).startsWith("GENERIC_INTERNAL_ERROR");
        String csv = q.resultConfiguration().outputLocation();
        assertThat(c.object(csv)).isEqualTo("\"id\"\n\"0\"\n\"1\"\n\"2\"\n\"3\"\n\"4\"\n");
        assertThat(c.exists(csv + ".metadata")).isFalse();
    }

    @Test
    void stoppingAFinishedQueryChangesNothing() {
        QueryExecution done = c.run("SELECT 'finished' AS f");

        c.athena.stopQueryExecution(b -> b.queryExecutionId(done.queryExecutionId()));

        assertThat(c.execution(done.queryExecutionId()).status()).isEqualTo(done.status());
    }

    @Test
    void stoppingAQueuedQueryCancelsItWithoutFiles() {
        c.standIn.faults().queueDelay(Duration.ofMinutes(5));
        String id = c.start("SELECT 'never runs' AS n");

        c.athena.stopQueryExecution(b -> b.queryExecutionId(id));

        QueryExecution q = c.execution(id);
        assertThat(q.status().state()).isEqualTo(QueryExecutionState.CANCELLED);
        assertThat(c.exists(q.resultConfiguration().outputLocation())).isFalse();
    }

    @Test
    void theWorkGroupCutoffCancelsAHeldQueryWhenItsScanReachesTheLimit() {
        c.standIn.faults().holdMatching("cut-off-while-held");
        Instant submitted = CLOCK.instant();
        String id = c.athena.startQueryExecution(b -> b.queryString("SELECT 'cut-off-while-held', id FROM life.small")
                .workGroup("capped")).queryExecutionId();
        awaitPhase(id, io.sluice.standin.QueryExecution.Phase.HELD);

        CLOCK.advance(Duration.ofMillis(999));
        assertThat(c.execution(id).status().state()).isEqualTo(QueryExecutionState.RUNNING);
        CLOCK.advance(Duration.ofMillis(1));

        QueryExecution q = c.execution(id);
        assertThat(q.status().state()).isEqualTo(QueryExecutionState.CANCELLED);
        assertThat(q.status().stateChangeReason()).isEqualTo("Bytes scanned limit was exceeded");
        assertThat(q.statistics().dataScannedInBytes()).isEqualTo(CUTOFF);
        assertThat(q.status().completionDateTime()).isEqualTo(submitted.plusSeconds(1));
        assertThat(c.exists(q.resultConfiguration().outputLocation() + ".metadata")).isFalse();
    }

    @Test
    void theWorkGroupCutoffCancelsAQueryThatWouldScanMoreThanTheLimit() {
        String id = c.athena.startQueryExecution(b -> b.queryString("SELECT count(*) FROM life.big")
                .workGroup("capped")).queryExecutionId();

        QueryExecution q = c.await(id, QueryExecutionState.CANCELLED);
        assertThat(q.status().stateChangeReason()).isEqualTo("Bytes scanned limit was exceeded");
        assertThat(q.statistics().dataScannedInBytes()).isEqualTo(CUTOFF);
    }

    @Test
    void anIdenticalQueryReusesARecentResult() {
        String sql = "SELECT count(*) AS reuse_probe FROM life.small";
        QueryExecution first = c.run(sql);

        QueryExecution reused = c.execution(startReusing(sql, 60));
        assertThat(reused.status().state()).isEqualTo(QueryExecutionState.SUCCEEDED);
        assertThat(reused.statistics().resultReuseInformation().reusedPreviousResult()).isTrue();
        assertThat(reused.statistics().dataScannedInBytes()).isZero();
        assertThat(reused.resultConfiguration().outputLocation()).isEqualTo(first.resultConfiguration().outputLocation());
        assertThat(c.rows(reused.queryExecutionId())).isEqualTo(c.rows(first.queryExecutionId()));

        CLOCK.advance(Duration.ofMinutes(61));
        QueryExecution fresh = c.await(startReusing(sql, 60), QueryExecutionState.SUCCEEDED);
        assertThat(fresh.statistics().resultReuseInformation().reusedPreviousResult()).isFalse();
        assertThat(fresh.statistics().dataScannedInBytes()).isEqualTo(1_000);
    }

    @Test
    void batchGetAnswersKnownIdsAndListsUnknownOnes() {
        String one = c.run("SELECT 1 AS one").queryExecutionId();
        String two = c.run("SELECT 2 AS two").queryExecutionId();
        String unknown = "11111111-2222-3333-4444-555555555555";

        BatchGetQueryExecutionResponse batch = c.athena.batchGetQueryExecution(b -> b.queryExecutionIds(one, unknown, two));

        assertThat(batch.queryExecutions()).extracting(QueryExecution::queryExecutionId).containsExactly(one, two);
        assertThat(batch.unprocessedQueryExecutionIds()).singleElement().satisfies(missing -> {
            assertThat(missing.queryExecutionId()).isEqualTo(unknown);
            assertThat(missing.errorMessage()).isEqualTo("QueryExecution " + unknown + " was not found");
        });
    }

    @Test
    void stoppingAQueryWhileItWritesRowsKeepsTheRowsWrittenSoFar() {
        String id = c.start("SELECT range AS n, repeat('x', 50) AS pad FROM range(100000000)");
        poll().until(() -> {
            java.nio.file.Path file = c.standIn.query(id).resultFile();
            return c.standIn.query(id).phase() == io.sluice.standin.QueryExecution.Phase.EXECUTING && file != null
                    && Files.exists(file) && Files.size(file) > 100_000;
        });

        c.athena.stopQueryExecution(b -> b.queryExecutionId(id));

        QueryExecution q = c.execution(id);
        assertThat(q.status().state()).isEqualTo(QueryExecutionState.CANCELLED);
        assertThat(q.status().stateChangeReason()).isEqualTo("Query cancelled by user");
        String csv = c.object(q.resultConfiguration().outputLocation());
        assertThat(csv).startsWith("\"n\",\"pad\"\n\"0\",").endsWith("\n");
        assertThat(csv.split("\n").length).isBetween(100, 100_000_000);
        assertThat(c.exists(q.resultConfiguration().outputLocation() + ".metadata")).isFalse();
    }

    @Test
    void aThousandHeldQueriesRunAtOnceWithoutAThreadEach() throws Exception {
        c.standIn.faults().holdMatching("many-held");
        int threadsBefore = Thread.activeCount();
        List<String> ids = new ArrayList<>();
        // Plain HTTP rather than the SDK: this measures the stand-in, not the client.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> started = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(c.standIn.athenaEndpoint() + "/"))
                        .header("X-Amz-Target", "AmazonAthena.StartQueryExecution")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"QueryString\":\"SELECT 'many-held' AS marker, "
                                + i + " AS i\",\"ClientRequestToken\":\"" + StandInClients.token() + "\"}"))
                        .build();
                started.add(submitters.submit(() -> Json.MAPPER.readTree(
                        http.send(request, HttpResponse.BodyHandlers.ofString()).body()).get("QueryExecutionId").asText()));
            }
            for (Future<String> future : started) {
                ids.add(future.get());
            }
        } finally {
            submitters.shutdown();
        }
        // Polled slowly: a thousand statuses are 20 batch calls, which compete with the stand-in for the CPU.
        ConditionFactory slowPoll = poll().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250));
        slowPoll.until(() -> states(ids).stream().allMatch(s -> s == QueryExecutionState.RUNNING));
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(Thread.activeCount() - threadsBefore).isLessThan(50);

        c.standIn.faults().releaseHeld();

        slowPoll.until(() -> states(ids).stream().allMatch(s -> s == QueryExecutionState.SUCCEEDED));
    }

    private static List<QueryExecutionState> states(List<String> ids) {
        List<QueryExecutionState> states = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 50) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + 50));
            c.athena.batchGetQueryExecution(b -> b.queryExecutionIds(batch)).queryExecutions()
                    .forEach(q -> states.add(q.status().state()));
        }
        return states;
    }

    private static String startReusing(String sql, int maxAgeMinutes) {
        return c.athena.startQueryExecution(b -> b.queryString(sql).resultReuseConfiguration(r -> r
                .resultReuseByAgeConfiguration(a -> a.enabled(true).maxAgeInMinutes(maxAgeMinutes))))
                .queryExecutionId();
    }

    private static void awaitPhase(String id, io.sluice.standin.QueryExecution.Phase phase) {
        poll().until(() -> c.standIn.query(id).phase() == phase);
    }

    private static ConditionFactory poll() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5));
    }
}
