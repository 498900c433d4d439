package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

/** The caller's history: newest first, filters, paging; failed and cancelled queries are kept. */
class HistoryApiTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();
    static ApiClient api;
    static List<String> submitted = new ArrayList<>();
    static String failed;
    static String cancelled;

    @BeforeAll
    static void start() {
        api = sluice.api();
        for (int i = 0; i < 7; i++) {
            String id = api.submit("SELECT " + i + " AS history_marker_" + i);
            awaitEnd(api, id);
            submitted.add(id);
        }
        failed = api.submit("SELECT * FROM missing_table_for_history");
        awaitEnd(api, failed);
        cancelled = api.submit(LONG_RUNNING);
        awaitState(api, cancelled, "RUNNING");
        api.post("/api/query/" + cancelled + "/cancel");
    }

    private static List<String> ids(JsonNode data) {
        List<String> ids = new ArrayList<>();
        data.path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    @Test
    void newestFirstWithFailedAndCancelledKept() {
        JsonNode data = api.get("/api/queries").data();
        List<String> ids = ids(data);
        assertThat(ids).hasSize(9);
        assertThat(ids.get(0)).isEqualTo(cancelled);
        assertThat(ids.get(1)).isEqualTo(failed);
        assertThat(ids.get(8)).isEqualTo(submitted.get(0));
        JsonNode first = data.path("items").get(0);
        assertThat(first.path("state").asText()).isEqualTo("CANCELLED");
        assertThat(first.path("query").asText()).isEqualTo(LONG_RUNNING);
        assertThat(data.path("items").get(1).path("error").path("code").asText()).isEqualTo("QUERY_FAILED");
        assertThat(data.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void cursorPagingVisitsEveryQueryOnce() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode data = api.get("/api/queries?limit=4" + (cursor == null ? "" : "&cursor="
                    + URLEncoder.encode(cursor, StandardCharsets.UTF_8))).data();
            seen.addAll(ids(data));
            cursor = data.path("nextCursor").isNull() ? null : data.path("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates().hasSize(9).isEqualTo(ids(api.get("/api/queries").data()));
    }

    @Test
    void filtersByStateAndText() {
        assertThat(ids(api.get("/api/queries?state=FAILED").data())).containsExactly(failed);
        assertThat(ids(api.get("/api/queries?state=cancelled,failed").data())).containsExactly(cancelled, failed);
        assertThat(ids(api.get("/api/queries?state=SUCCEEDED").data())).hasSize(7);
        assertThat(ids(api.get("/api/queries?q=HISTORY_MARKER_3").data())).containsExactly(submitted.get(3));
        // "%" is literal text, not a wildcard: only the long query contains it.
        assertThat(ids(api.get("/api/queries?q=" + URLEncoder.encode("%", StandardCharsets.UTF_8)).data())).containsExactly(cancelled);
        assertThat(ids(api.get("/api/queries?q=_marker_&state=SUCCEEDED&engine=duckdb").data())).hasSize(7);
    }
}
