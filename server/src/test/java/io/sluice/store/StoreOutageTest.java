package io.sluice.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.EmbeddedDatabases;
import io.sluice.testing.Queries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The PostgreSQL store stops for a while under running queries and comes back: meanwhile every
 * route that needs the store answers 503 {@code STORE_UNAVAILABLE} at once, readiness says so and
 * liveness does not; queries that finished during the outage (a DuckDB result already on disk, an
 * Athena query that Athena finished) reach their true end as soon as the store is back.
 */
class StoreOutageTest {

    @TempDir
    Path dir;

    @Test
    void runsThatEndDuringAnOutageEndInTheirTrueStateOnceTheStoreIsBack() throws Exception {
        Path pgData = dir.resolve("pg");
        EmbeddedDatabases.Postgres pg = EmbeddedDatabases.postgres(pgData, 0);
        int pgPort = pg.port();
        EmbeddedDatabases.Store store = pg.createDatabase();
        try (AthenaFixture athena = AthenaFixture.start(dir.resolve("sluice"), root -> {
            ((ObjectNode) root.get("store")).put("url", store.url()).put("user", store.user())
                    .put("password", store.password());
            ((ObjectNode) root.path("engines").path("duckdb")).put("threads", 1);
        })) {
            ApiClient api = athena.api();
            athena.standIn().faults().holdMatching("outage_marker");
            String held = athena.submit("SELECT 42 AS outage_marker");
            Queries.awaitEngineAccepted(athena.server().sluice(), held);
            List<String> local = new ArrayList<>();
            String work = calibratedWork(api, Duration.ofSeconds(6));
            for (int i = 0; i < 3; i++) {
                local.add(api.submit(work));
            }
            for (String id : local) {
                Queries.awaitState(api, id, "RUNNING");
            }

            pg.close();
            Instant storeStopped = Instant.now();
            // Athena finishes its query during the outage; the DuckDB queries finish and store their results.
            athena.standIn().faults().releaseHeld();
            Path results = dir.resolve("sluice/results");
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() ->
                    local.stream().allMatch(id -> Files.exists(results.resolve(id).resolve("1/summary.json"))));

            long started = System.nanoTime();
            ApiClient.Response status = api.get("/api/query/" + local.get(0) + "/status");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(status.status()).isEqualTo(503);
            assertThat(status.errorCode()).isEqualTo("STORE_UNAVAILABLE");
            assertThat(api.post("/api/query", Map.of("query", "SELECT 1")).errorCode()).isEqualTo("STORE_UNAVAILABLE");
            ApiClient.Response ready = api.get("/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.messageCode()).isEqualTo("STORE_UNAVAILABLE");
            assertThat(api.get("/health").status()).isEqualTo(200);

            EmbeddedDatabases.Postgres again = EmbeddedDatabases.postgres(pgData, pgPort);
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> api.get("/health/ready").status() == 200);
                for (String id : local) {
                    assertThat(Queries.awaitEnd(api, id)).as("local query %s", id).isEqualTo("SUCCEEDED");
                    JsonNode s = api.get("/api/query/" + id + "/status").data();
                    // It ended during the outage: its end is stored with the time it really ended.
                    assertThat(Instant.parse(s.path("completedAt").asText())).isAfter(storeStopped);
                    assertThat(api.get("/api/query/" + id + "/results").data().path("rows").get(0).get(0).asLong())
                            .isPositive();
                }
                assertThat(Queries.awaitEnd(api, held)).isEqualTo("SUCCEEDED");
                assertThat(api.get("/api/query/" + held + "/results").data().path("rows").get(0).get(0).asInt())
                        .isEqualTo(42);
                assertThat(Queries.awaitEnd(api, api.submit("SELECT 1"))).isEqualTo("SUCCEEDED");
            } finally {
                again.close();
            }
        }
    }

    /**
     * A DuckDB query that runs about {@code target} on this machine now: the time of a smaller one,
     * measured, scaled up. The outage must begin while it runs and end after it finished.
     */
    private static String calibratedWork(ApiClient api, Duration target) {
        long rows = 50_000_000L;
        String probe = work(rows);
        ApiClient.Response r = api.post("/api/duckdb/query", Map.of("sql", probe));
        assertThat(r.status()).as("calibration: %s", r).isEqualTo(200);
        double seconds = Math.max(0.05, r.data().path("statistics").path("executionSeconds").asDouble());
        return work((long) (rows * target.toMillis() / 1000.0 / seconds));
    }

    private static String work(long rows) {
        return "SELECT count(*) AS n FROM range(" + rows + ") WHERE range % 3 = 0";
    }
}
