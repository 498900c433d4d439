package io.sluice.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Athena engine's AWS calls against the stand-in, through the real SDK: counted by service and
 * operation, and the attempts Athena throttled (ThrottlingException, TooManyRequestsException)
 * counted apart, although the SDK's retries made every call succeed in the end.
 */
class AthenaCallMetricsApiTest {

    @TempDir
    Path dir;
    AthenaFixture athena;

    @AfterEach
    void stop() {
        if (athena != null) {
            athena.close();
        }
    }

    @Test
    void callsAreCountedByOperationAndThrottledAttemptsApart() {
        athena = AthenaFixture.start(dir, root ->
                ((ObjectNode) root.get("engines").get("duckdb")).put("sampleData", false));
        AthenaStandIn standIn = athena.standIn();
        // Every second poll is throttled, and the second start refused with TooManyRequestsException; the
        // queries stay RUNNING for a while, so the poller asks several times.
        standIn.faults().throttle(0.5, "BatchGetQueryExecution").tooManyRequests(0.5, "StartQueryExecution")
                .completionDelay(Duration.ofMillis(800));
        String first = athena.submit("SELECT count(*) AS n FROM analytics.events");
        String second = athena.submit("SELECT event_type, count(*) AS n FROM analytics.events GROUP BY 1");
        assertThat(awaitEnd(athena.api(), first)).isEqualTo("SUCCEEDED");
        assertThat(awaitEnd(athena.api(), second)).isEqualTo("SUCCEEDED");
        long resultBytes = resultBytes(first) + resultBytes(second);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PrometheusText now = PrometheusText.scrape(athena.api());
            for (String operation : new String[]{"StartQueryExecution", "BatchGetQueryExecution"}) {
                Map<String, String> athenaOp = Map.of("service", "Athena", "operation", operation);
                double calls = now.sum("sluice_aws_calls_total", athenaOp);
                double throttled = now.sum("sluice_aws_throttled_total", athenaOp);
                assertThat(throttled).as(operation).isPositive();
                // Each attempt the stand-in saw is a call's last (successful) attempt or a throttled one.
                assertThat(calls + throttled).as(operation).isEqualTo(standIn.calls().count(operation));
                assertThat(now.sum("sluice_aws_calls_total", Map.of("service", "Athena", "operation", operation,
                        "outcome", "FAILURE"))).as(operation).isZero();
            }
            assertThat(now.sum("sluice_aws_calls_total", Map.of("service", "Athena",
                    "operation", "StartQueryExecution", "outcome", "SUCCESS"))).isEqualTo(2);
            assertThat(now.sum("sluice_aws_throttled_total", Map.of("operation", "StartQueryExecution"))).isEqualTo(1);
            // The start-up check: the workgroup, and a probe object put and deleted in S3.
            assertThat(now.sum("sluice_aws_calls_total", Map.of("service", "Athena", "operation", "GetWorkGroup")))
                    .isEqualTo(1);
            assertThat(now.sum("sluice_aws_calls_total", Map.of("service", "S3", "operation", "PutObject",
                    "outcome", "SUCCESS"))).isEqualTo(1);
            assertThat(now.sum("sluice_query_runs_total", Map.of("engine", "athena", "state", "SUCCEEDED")))
                    .isEqualTo(2);
            assertThat(now.sum("sluice_query_run_duration_seconds_count", Map.of("engine", "athena"))).isEqualTo(2);
            assertThat(now.sum("sluice_result_stored_bytes_total", Map.of("engine", "athena")))
                    .isEqualTo(resultBytes);
        });
    }

    private long resultBytes(String id) {
        return athena.api().get("/api/query/" + id + "/status").data().path("statistics").path("resultBytes")
                .asLong();
    }
}
