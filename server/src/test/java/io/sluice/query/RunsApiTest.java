package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A query's runs: a refresh starts a new run and every earlier run keeps its state, times,
 * statistics and error; the run list pages newest first; status describes the latest run and the
 * history counts the runs.
 */
class RunsApiTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();

    @Test
    void everyEarlierRunKeepsWhatItWasWhileStatusShowsTheLatest() {
        ApiClient api = sluice.api();
        String id = api.submit(LONG_RUNNING);
        awaitState(api, id, "RUNNING");
        assertThat(api.get("/api/query/" + id + "/status").data().path("phase").asText()).isEqualTo("EXECUTING");
        assertThat(api.post("/api/query/" + id + "/cancel").status()).isEqualTo(200);
        JsonNode first = api.get("/api/query/" + id + "/status").data();

        assertThat(api.post("/api/query/" + id + "/refresh").status()).isEqualTo(202);
        awaitState(api, id, "RUNNING");
        assertThat(api.post("/api/query/" + id + "/cancel").status()).isEqualTo(200);
        assertThat(api.post("/api/query/" + id + "/refresh").status()).isEqualTo(202);
        awaitState(api, id, "RUNNING");

        JsonNode status = api.get("/api/query/" + id + "/status").data();
        assertThat(status.path("run").asInt()).isEqualTo(3);
        assertThat(status.path("state").asText()).isEqualTo("RUNNING");

        JsonNode runs = api.get("/api/query/" + id + "/runs").data();
        assertThat(runs.path("items")).extracting(r -> r.path("run").asInt()).containsExactly(3, 2, 1);
        assertThat(runs.path("items")).extracting(r -> r.path("state").asText())
                .containsExactly("RUNNING", "CANCELLED", "CANCELLED");
        assertThat(runs.path("nextCursor").isNull()).isTrue();
        JsonNode kept = runs.path("items").get(2);
        for (String field : List.of("submittedAt", "startedAt", "completedAt")) {
            assertThat(kept.path(field)).as(field).isEqualTo(first.path(field));
        }
        assertThat(kept.path("statistics")).isEqualTo(first.path("statistics"));
        assertThat(kept.path("phase").isNull()).isTrue();

        JsonNode item = api.get("/api/queries?limit=1").data().path("items").get(0);
        assertThat(item.path("id").asText()).isEqualTo(id);
        assertThat(item.path("runs").asInt()).isEqualTo(3);
        api.post("/api/query/" + id + "/cancel");
        awaitEnd(api, id);
    }

    @Test
    void theRunListPagesNewestFirstWithACursor() {
        ApiClient api = sluice.api();
        String id = api.submit("SELECT 42 AS runs_marker");
        awaitEnd(api, id);
        for (int i = 0; i < 4; i++) {
            assertThat(api.post("/api/query/" + id + "/refresh").status()).isEqualTo(202);
            awaitEnd(api, id);
        }
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get("/api/query/" + id + "/runs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).data();
            page.path("items").forEach(r -> {
                seen.add(r.path("run").asInt());
                assertThat(r.path("state").asText()).isEqualTo("SUCCEEDED");
                assertThat(r.path("statistics").path("rows").asInt()).isEqualTo(1);
            });
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactly(5, 4, 3, 2, 1);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void badCursorsLimitsAndOtherUsersIdsAreRefusedClearly() {
        ApiClient api = sluice.api();
        String id = api.submit("SELECT 1");
        awaitEnd(api, id);
        assertThat(api.get("/api/query/" + id + "/runs?cursor=nonsense").errorCode()).isEqualTo("INVALID_CURSOR");
        assertThat(api.get("/api/query/" + id + "/runs?limit=0").errorCode()).isEqualTo("INVALID_LIMIT");
        assertThat(api.get("/api/query/" + id + "/runs?limit=x").errorCode()).isEqualTo("INVALID_LIMIT");
        assertThat(api.get("/api/query/00000000-0000-4000-8000-000000000000/runs").status()).isEqualTo(404);
        assertThat(api.get("/api/query/..%2f..%2fetc/runs").status()).isIn(400, 404);
    }
}
