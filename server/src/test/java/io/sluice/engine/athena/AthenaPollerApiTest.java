package io.sluice.engine.athena;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import io.sluice.standin.CallCounts;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitEngineAccepted;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The poller against the stand-in: batches of 50 ids, the call budget, live statistics, backoff
 * while Athena refuses the poll, and no GetQueryExecution of its own.
 */
class AthenaPollerApiTest {

    @TempDir
    Path dir;
    AthenaFixture athena;

    @AfterEach
    void stop() {
        if (athena != null) {
            athena.close();
        }
    }

    private ApiClient api() {
        return athena.api();
    }

    private static Consumer<ObjectNode> athenaSetting(String key, int value) {
        return root -> ((ObjectNode) root.get("engines").get("athena")).put(key, value);
    }

    @Test
    void runningQueriesArePolledFiftyToACallWithinTheCallBudgetAndIngestedWithoutGetQueryExecution() {
        // 120 queries are 3 calls a round; 10 calls a second allow a round every 300 ms, not every 100 ms.
        athena = AthenaFixture.start(dir, athenaSetting("maxPollCallsPerSecond", 10));
        AthenaStandIn standIn = athena.standIn();
        standIn.faults().holdMatching("batch_marker");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            ids.add(athena.submit("SELECT " + i + " AS batch_marker"));
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                ids.stream().allMatch(id -> api().state(id).equals("RUNNING")));

        CallCounts calls = standIn.calls();
        calls.reset();
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.batchSizes().getOrDefault(20, 0L) >= 5);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        Map<Integer, Long> sizes = calls.batchSizes();
        // Every round: 50 + 50 + 20 ids. The reset and the snapshot may each fall inside a round,
        // cutting off up to two calls of 50 at either end.
        assertThat(sizes.keySet()).containsOnly(50, 20);
        assertThat(sizes.get(50)).isBetween(2 * sizes.get(20) - 2, 2 * sizes.get(20) + 2);
        // Five rounds' last calls are four round intervals apart at least (the first may come at once).
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(4 * 300 - 50);
        assertThat(calls.count("GetQueryExecution")).isZero();

        standIn.faults().releaseHeld();
        for (int i = 0; i < ids.size(); i++) {
            assertThat(awaitEnd(api(), ids.get(i))).isEqualTo("SUCCEEDED");
        }
        assertThat(api().get("/api/query/" + ids.get(7) + "/results").data().path("rows").get(0).get(0).asInt())
                .isEqualTo(7);
        // The poll that saw them succeed told where the results are: no GetQueryExecution per query.
        assertThat(calls.count("GetQueryExecution")).isZero();
        assertThat(calls.count("GetQueryResults")).isZero();
    }

    @Test
    void theRoundIntervalStretchesOnlyWhereTheCallBudgetWouldBePassed() {
        Duration second = Duration.ofSeconds(1);
        assertThat(AthenaEngine.roundInterval(second, 15, 0)).isEqualTo(second);
        assertThat(AthenaEngine.roundInterval(second, 15, 750)).isEqualTo(second);      // 15 calls
        assertThat(AthenaEngine.roundInterval(second, 15, 751)).isEqualTo(Duration.ofMillis(1067)); // 16 calls
        assertThat(AthenaEngine.roundInterval(second, 15, 1_000)).isEqualTo(Duration.ofMillis(1334)); // 20 calls
        assertThat(AthenaEngine.roundInterval(Duration.ofMillis(100), 10, 120)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void runningStatisticsInStatusAreAtMostAboutARoundOld() {
        athena = AthenaFixture.start(dir, c -> { });
        athena.standIn().faults().holdMatching("fresh_marker"); // scans 10 MB a second while held
        String id = athena.submit("SELECT 1 AS fresh_marker");
        awaitState(api(), id, "RUNNING");
        String executionId = athena.executionId("fresh_marker");
        long oneSecondOfScan = 10_000_000L;
        long previousTruth = 0;
        // Samples ~300 ms apart over more than 2 s: a value written every 2 s would be > 1 s old in some.
        for (int sample = 0; sample < 8; sample++) {
            long after = previousTruth;
            await().atMost(Duration.ofSeconds(10)).until(() -> truth(executionId) >= after + 3_000_000L);
            long shown = api().get("/api/query/" + id + "/status").data().path("statistics")
                    .path("dataScannedBytes").asLong();
            long truth = truth(executionId); // read after: the gap is at least the shown value's age
            assertThat(truth - shown).as("sample %d: shown %d, Athena %d", sample, shown, truth)
                    .isLessThanOrEqualTo(oneSecondOfScan);
            previousTruth = truth;
        }
    }

    private long truth(String executionId) {
        return athena.athenaClient().getQueryExecution(r -> r.queryExecutionId(executionId)).queryExecution()
                .statistics().dataScannedInBytes();
    }

    @Test
    void whileAthenaRefusesThePollRoundsBackOffAndTheQueryCarriesOnAfterwards() {
        athena = AthenaFixture.start(dir, c -> { });
        AthenaStandIn standIn = athena.standIn();
        standIn.faults().holdMatching("refused_marker");
        String id = athena.submit("SELECT 3 AS refused_marker");
        awaitState(api(), id, "RUNNING");
        awaitEngineAccepted(athena.server().sluice(), id);

        // Refused (not retried by the SDK): each failed round is one call, so the calls show the rounds.
        standIn.faults().deny("BatchGetQueryExecution");
        long before = standIn.calls().count("BatchGetQueryExecution");
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> standIn.calls().count("BatchGetQueryExecution") >= before + 5);
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        // Delays of 200, 400, 800 and 1,600 ms between five failed rounds (at a 100 ms interval).
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(200 + 400 + 800 + 1_600 - 100);
        assertThat(api().state(id)).isEqualTo("RUNNING");

        standIn.faults().reset();
        standIn.faults().releaseHeld();
        assertThat(awaitEnd(api(), id)).isEqualTo("SUCCEEDED");
        assertThat(api().get("/api/query/" + id + "/results").data().path("rows").get(0).get(0).asInt()).isEqualTo(3);
        // Back to a round every interval.
        long after = standIn.calls().count("BatchGetQueryExecution");
        String next = athena.submit("SELECT 4 AS after_refusal");
        assertThat(awaitEnd(api(), next)).isEqualTo("SUCCEEDED");
        assertThat(standIn.calls().count("BatchGetQueryExecution")).isGreaterThan(after);
    }

    @Test
    void sustainedThrottlingOfThePollKeepsQueriesRunningAndTheyEndOnceItStops() {
        athena = AthenaFixture.start(dir, c -> { });
        AthenaStandIn standIn = athena.standIn();
        standIn.faults().holdMatching("throttled_marker");
        String id = athena.submit("SELECT 5 AS throttled_marker");
        awaitState(api(), id, "RUNNING");
        awaitEngineAccepted(athena.server().sluice(), id);

        standIn.faults().throttle(1.0, "BatchGetQueryExecution");
        standIn.faults().releaseHeld(); // Athena has finished it; Sluice cannot see that yet
        long before = standIn.calls().count("BatchGetQueryExecution");
        await().atMost(Duration.ofSeconds(30)).until(() -> standIn.calls().count("BatchGetQueryExecution") >= before + 4);
        assertThat(api().state(id)).isEqualTo("RUNNING"); // a failing poll neither fails nor loses the query

        standIn.faults().reset();
        assertThat(awaitEnd(api(), id)).isEqualTo("SUCCEEDED");
        assertThat(api().get("/api/query/" + id + "/results").data().path("rows").get(0).get(0).asInt()).isEqualTo(5);
    }
}
