package io.sluice.retention;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.api.Responder;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.MutableClock;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention through the API, with a clock the test moves: a result older than
 * {@code retention.resultDays} answers RESULT_NOT_AVAILABLE saying it was removed and that a refresh
 * brings it back; a query whose latest run ended more than {@code retention.historyDays} ago is
 * gone, while active and recent ones stay. Rounds run at once through {@link Retention#runOnce}.
 */
class RetentionApiTest {

    /** Shared by the tests, which only move it forward and measure from where it stands. */
    static final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(c -> c.putObject("retention")
            .put("resultDays", 30).put("historyDays", 90), clock);

    private static Retention.Round round() {
        return sluice.server().sluice().retention().runOnce().orElseThrow();
    }

    @Test
    void aResultOlderThanResultDaysIsRemovedAndARefreshBringsItBack() {
        ApiClient api = sluice.api().with("Accept-Language", "en");
        String id = api.submit("SELECT 42 AS answer");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");

        clock.advance(Duration.ofDays(29));
        round();
        assertThat(api.get("/api/query/" + id + "/results").status()).as("29 days: kept").isEqualTo(200);

        clock.advance(Duration.ofDays(2));
        Instant removedAt = clock.instant();
        assertThat(round().results()).isGreaterThanOrEqualTo(1);

        Response results = api.get("/api/query/" + id + "/results");
        assertThat(results.status()).isEqualTo(404);
        assertThat(results.errorCode()).isEqualTo("RESULT_NOT_AVAILABLE");
        JsonNode details = results.json().path("error").path("details");
        assertThat(details.path("reason").asText()).isEqualTo("RETENTION");
        assertThat(details.path("retentionDays").asInt()).isEqualTo(30);
        assertThat(details.path("removedAt").asText()).isEqualTo(Responder.format(removedAt));
        assertThat(results.json().path("message").asText())
                .isEqualTo("The result was removed 30 days after the query finished (result retention); "
                        + "refresh the query to run it again and get the result back");
        assertThat(sluice.api().with("Accept-Language", "zh-CN").get("/api/query/" + id + "/results")
                .json().path("message").asText()).contains("30 天").contains("刷新");
        for (String path : new String[] {"/value?row=0&column=0", "/download"}) {
            Response other = api.get("/api/query/" + id + path);
            assertThat(other.status()).as(path).isEqualTo(404);
            assertThat(other.errorCode()).as(path).isEqualTo("RESULT_NOT_AVAILABLE");
            assertThat(other.json().path("error").path("details").path("retentionDays").asInt()).as(path).isEqualTo(30);
        }
        assertThat(api.state(id)).as("the query itself stays").isEqualTo("SUCCEEDED");

        assertThat(api.post("/api/query/" + id + "/refresh").status()).isEqualTo(202);
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        round();
        Response again = api.get("/api/query/" + id + "/results");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.data().path("rows").get(0).get(0).asInt()).isEqualTo(42);
        assertThat(api.get("/api/query/" + id + "/download").status()).isEqualTo(200);
    }

    @Test
    void queriesOlderThanHistoryDaysAreRemovedButActiveAndRecentOnesStay() {
        ApiClient api = sluice.api();
        String old = api.submit("SELECT 1");
        String failed = api.submit("SELECT * FROM no_such_table");
        String active = api.submit(LONG_RUNNING);
        assertThat(awaitEnd(api, old)).isEqualTo("SUCCEEDED");
        assertThat(awaitEnd(api, failed)).isEqualTo("FAILED");
        awaitState(api, active, "RUNNING");

        clock.advance(Duration.ofDays(91));
        String recent = api.submit("SELECT 2");
        assertThat(awaitEnd(api, recent)).isEqualTo("SUCCEEDED");
        assertThat(round().queries()).isGreaterThanOrEqualTo(2);

        for (String gone : new String[] {old, failed}) {
            Response status = api.get("/api/query/" + gone + "/status");
            assertThat(status.status()).isEqualTo(404);
            assertThat(status.errorCode()).isEqualTo("QUERY_NOT_FOUND");
            assertThat(api.get("/api/query/" + gone + "/runs").status()).isEqualTo(404);
        }
        assertThat(api.state(active)).isEqualTo("RUNNING");
        assertThat(api.get("/api/query/" + recent + "/results").status()).isEqualTo(200);
        assertThat(api.get("/api/queries?limit=200").data().path("items")).extracting(q -> q.path("id").asText())
                .contains(active, recent).doesNotContain(old, failed);

        assertThat(api.post("/api/query/" + active + "/cancel").status()).isEqualTo(200);
        awaitEnd(api, active);
    }

    @Test
    void theEffectiveConfigurationShowsRetention() {
        JsonNode retention = sluice.api().get("/api/config").data().path("retention");
        assertThat(retention.path("resultDays").asInt()).isEqualTo(30);
        assertThat(retention.path("historyDays").asInt()).isEqualTo(90);
        assertThat(retention.path("intervalMinutes").asInt()).isEqualTo(60);
    }
}
