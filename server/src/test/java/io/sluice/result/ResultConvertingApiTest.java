package io.sluice.result;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sort, filter or aggregate of a large Athena result still being converted from Athena's CSV to
 * Parquet waits at most {@code results.conversionWaitSeconds}, then answers 409 RESULT_CONVERTING
 * (ask again in {@code details.retryAfterSeconds}); plain pages are answered from the CSV meanwhile,
 * and once the conversion ends the same requests are answered. Here the wait is 0, so the first
 * requests meet the conversion under way.
 */
class ResultConvertingApiTest {

    private static final int ROWS = 600_000;

    @TempDir
    Path dir;

    @Test
    void viewsOfAResultStillBeingConvertedAskTheClientToComeBack() throws Exception {
        String id = Results.queryWithCsvFormResult(dir, Results.numberedCsv(ROWS, -1));

        try (TestServer server = TestServer.start(dir, c -> ((ObjectNode) c.get("results")).put("conversionWaitSeconds", 0),
                Clock.systemUTC())) {
            ApiClient api = server.client().with("Accept-Language", "en");
            String base = "/api/query/" + id;
            ApiClient.Response sorted = api.get(base + "/results?sort=n:desc&limit=1");
            assertThat(sorted.status()).as(sorted.toString()).isEqualTo(409);
            assertThat(sorted.errorCode()).isEqualTo("RESULT_CONVERTING");
            assertThat(sorted.json().path("error").path("details").path("retryAfterSeconds").asInt()).isEqualTo(5);
            assertThat(sorted.json().path("error").path("message").asText()).contains("Try again");
            // Plain pages do not wait for it.
            assertThat(api.get(base + "/results?offset=" + (ROWS - 1)).data().path("rows").toString())
                    .isEqualTo("[[" + (ROWS - 1) + ",\"s" + (ROWS - 1) + "\"]]");

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get(base + "/results?sort=n:desc&limit=1").status() == 200);
            assertThat(api.get(base + "/results?sort=n:desc&limit=1").data().path("rows").toString())
                    .isEqualTo("[[" + (ROWS - 1) + ",\"s" + (ROWS - 1) + "\"]]");
            ApiClient.Response counted = api.get(base + "/aggregate?measures=count,sum:n&filter=lt:n:10");
            assertThat(counted.status()).as(counted.toString()).isEqualTo(200);
            assertThat(counted.data().path("rows").toString()).isEqualTo("[[10,45]]");
        }
    }
}
