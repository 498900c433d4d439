package io.sluice.engine.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Athena results past the athena engine's {@code maxResultRows} or {@code maxResultBytes} are
 * ingested up to the limit from Athena's CSV, and the query succeeds marked truncated.
 */
class AthenaResultLimitsApiTest {

    private static final int MAX_ROWS = 100;
    private static final int MAX_BYTES = 2048;

    @TempDir
    static Path dir;
    static AthenaFixture athena;
    static ApiClient api;

    @BeforeAll
    static void start() {
        athena = AthenaFixture.start(dir, c -> ((ObjectNode) c.get("engines").get("athena"))
                .put("maxResultRows", MAX_ROWS).put("maxResultBytes", MAX_BYTES));
        api = athena.api();
    }

    @AfterAll
    static void stop() {
        athena.close();
    }

    @Test
    void moreRowsThanTheLimitAreIngestedUpToItAndTheQuerySucceeds() {
        String id = athena.submit("SELECT event_id FROM analytics.events ORDER BY event_id");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");

        JsonNode status = api.get("/api/query/" + id + "/status").data();
        assertThat(status.path("truncated").asBoolean()).isTrue();
        assertThat(status.path("truncation").path("reason").asText()).isEqualTo("MAX_RESULT_ROWS");
        assertThat(status.path("truncation").path("limit").asLong()).isEqualTo(MAX_ROWS);
        JsonNode page = api.get("/api/query/" + id + "/results?limit=1000").data();
        assertThat(page.path("totalRows").asLong()).isEqualTo(MAX_ROWS);
        assertThat(page.path("truncated").asBoolean()).isTrue();
        for (int i = 0; i < MAX_ROWS; i++) {
            assertThat(page.path("rows").get(i).get(0).asLong()).isEqualTo(i);
        }
    }

    @Test
    void moreBytesThanTheLimitAreIngestedUpToItAndTheQuerySucceeds() {
        String id = athena.submit("SELECT event_id, event_type, dt FROM analytics.events ORDER BY event_id");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");

        JsonNode status = api.get("/api/query/" + id + "/status").data();
        assertThat(status.path("truncation").path("reason").asText()).isEqualTo("MAX_RESULT_BYTES");
        assertThat(status.path("truncation").path("limit").asLong()).isEqualTo(MAX_BYTES);
        assertThat(status.path("statistics").path("resultBytes").asLong()).isLessThanOrEqualTo(MAX_BYTES);
        long rows = status.path("statistics").path("rows").asLong();
        assertThat(rows).isBetween(50L, (long) MAX_ROWS - 1);
        JsonNode history = api.get("/api/queries?engine=athena&limit=200").data().path("items");
        boolean listed = false;
        for (JsonNode item : history) {
            if (item.path("id").asText().equals(id)) {
                listed = true;
                assertThat(item.path("truncated").asBoolean()).isTrue();
            }
        }
        assertThat(listed).isTrue();
        JsonNode last = api.get("/api/query/" + id + "/results?offset=" + (rows - 1)).data().path("rows").get(0);
        assertThat(last.get(0).asLong()).isEqualTo(rows - 1);
    }

    @Test
    void aSmallResultIsComplete() {
        String id = athena.submit("SELECT count(*) AS n FROM analytics.events");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        JsonNode page = api.get("/api/query/" + id + "/results").data();
        assertThat(page.path("truncated").asBoolean()).isFalse();
        assertThat(page.path("truncation").isNull()).isTrue();
        assertThat(page.path("rows").get(0).get(0).asLong()).isEqualTo(3000);
    }
}
