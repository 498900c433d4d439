package io.sluice.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.Queries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.sluice.task.TaskFixture.awaitEnd;
import static io.sluice.task.TaskFixture.awaitState;
import static io.sluice.task.TaskFixture.submit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Async tasks through the HTTP API on a real server: a task's SELECT becomes a table in its owner's
 * workspace, queryable from the editor by its owner only; what cannot run is refused before any
 * task exists; cancel interrupts; retry keeps the configuration; another user's task is 404.
 */
class TaskApiTest {

    @TempDir
    static Path dir;
    static TaskFixture fx;

    @BeforeAll
    static void start() {
        fx = new TaskFixture(dir);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void aTaskResultBecomesATableItsOwnerQueriesFromTheEditor() {
        String sql = "  SELECT range AS n, 'v' || range AS label FROM range(1000)\n ";
        Map<String, Object> datasource = new java.util.LinkedHashMap<>();
        datasource.put("id", "kept-as-sent");
        datasource.put("name", null);
        String id = submit(fx.alice, Map.of("sql", sql, "custom_table_name", "numbers_a", "datasource", datasource));
        JsonNode task = awaitEnd(fx.alice, id);
        assertThat(task.path("state").asText()).as(task.toString()).isEqualTo("SUCCEEDED");
        assertThat(task.path("metadata").path("sql").asText()).isEqualTo(sql.trim());
        assertThat(task.path("metadata").path("datasource").toString()).isEqualTo("{\"id\":\"kept-as-sent\",\"name\":null}");
        JsonNode info = task.path("result_info");
        assertThat(info.path("table_name").asText()).isEqualTo("numbers_a");
        assertThat(info.path("row_count").asLong()).isEqualTo(1000);
        assertThat(info.path("columns").get(0).path("name").asText()).isEqualTo("n");
        assertThat(info.path("columns").get(1).path("type").asText()).isEqualTo("varchar");
        assertThat(info.path("is_federated").asBoolean()).isFalse();
        assertThat(info.path("attached_databases")).isEmpty();

        // The owner's editor sees the table beside the engine's own data (the sample tables).
        ApiClient.Response q = fx.alice.post("/api/duckdb/query",
                Map.of("sql", "SELECT count(*) AS c, sum(n) AS s FROM workspace.numbers_a"));
        assertThat(q.status()).as(q.toString()).isEqualTo(200);
        assertThat(q.data().path("rows").get(0).get(0).asLong()).isEqualTo(1000);
        assertThat(q.data().path("rows").get(0).get(1).asLong()).isEqualTo(499500);

        ApiClient.Response tables = fx.alice.get("/api/workspace/tables");
        assertThat(tables.data().path("items").findValuesAsText("name")).contains("numbers_a");
        JsonNode listed = null;
        for (JsonNode t : tables.data().path("items")) {
            if (t.path("name").asText().equals("numbers_a")) {
                listed = t;
            }
        }
        assertThat(listed.path("rows").asLong()).isEqualTo(1000);
        assertThat(listed.path("source").path("kind").asText()).isEqualTo("task");
        assertThat(listed.path("source").path("id").asText()).isEqualTo(id);

        // Another user: no such task, no such table.
        assertThat(fx.bob.get("/api/async_tasks/" + id).status()).isEqualTo(404);
        assertThat(fx.bob.get("/api/workspace/tables").data().path("items").findValuesAsText("name"))
                .doesNotContain("numbers_a");
        ApiClient.Response theirs = fx.bob.post("/api/duckdb/query", Map.of("sql", "SELECT * FROM workspace.numbers_a"));
        assertThat(theirs.status()).isNotEqualTo(200);
        assertThat(fx.bob.delete("/api/workspace/tables/numbers_a").status()).isEqualTo(404);
        assertThat(fx.bob.post("/api/async_tasks/" + id + "/cancel").status()).isEqualTo(404);
        assertThat(fx.bob.post("/api/async_tasks/" + id + "/retry").status()).isEqualTo(404);

        // The owner drops it.
        ApiClient.Response dropped = fx.alice.delete("/api/workspace/tables/numbers_a");
        assertThat(dropped.status()).as(dropped.toString()).isEqualTo(200);
        assertThat(fx.alice.get("/api/workspace/tables").data().path("items").findValuesAsText("name"))
                .doesNotContain("numbers_a");
    }

    @Test
    void whatCannotRunIsRefusedBeforeAnyTaskExists() {
        ApiClient client = fx.alice.with("X-Email", "carol@example.com");
        List<Map<String, Object>> bodies = List.of(
                Map.of("sql", "   "),
                Map.of("sql", "SELECT 1", "attach_databases", List.of(Map.of("alias", "", "connection_id", "x"))),
                Map.of("sql", "SELECT 1", "attach_databases", List.of(Map.of("alias", "a", "connection_id", " "))),
                Map.of("sql", "SELECT 1", "attach_databases", List.of(Map.of("alias", "a", "connection_id", "x"),
                        Map.of("alias", "A", "connection_id", "y"))),
                Map.of("sql", "SELECT 1", "attach_databases", List.of(Map.of("alias", "a\"; DROP", "connection_id", "x"))),
                Map.of("sql", "SELECT 1", "attach_databases", List.of(Map.of("alias", "workspace", "connection_id", "x"))),
                Map.of("sql", "SELECT 1", "custom_table_name", "bad name; DROP TABLE x"),
                Map.of("sql", "SELECT 1", "task_type", "export"),
                Map.of("sql", "DROP TABLE sales"),
                Map.of("sql", "SELECT 1; SELECT 2"),
                Map.of("sql", "SELEC 1"));
        for (Map<String, Object> body : bodies) {
            ApiClient.Response r = client.post("/api/async_query", body);
            assertThat(r.status()).as(body + " -> " + r).isEqualTo(400);
            assertThat(r.errorCode()).as(body + " -> " + r).isEqualTo("VALIDATION_ERROR");
            assertThat(r.json().path("error").path("details").path("field").asText()).isNotEmpty();
        }
        ApiClient.Response unknown = client.post("/api/async_query", Map.of("sql", "SELECT 1",
                "attach_databases", List.of(Map.of("alias", "pg", "connection_id", "no-such-db"))));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("CONNECTION_NOT_FOUND");
        assertThat(unknown.json().path("error").path("details").path("connection_id").asText()).isEqualTo("no-such-db");
        assertThat(unknown.json().path("message").asText()).contains("no-such-db");
        assertThat(client.get("/api/async_tasks").data().path("items")).isEmpty();
    }

    @Test
    void cancelInterruptsARunningTaskAndRetryKeepsItsConfiguration() {
        String id = submit(fx.alice, Map.of("sql", Queries.LONG_RUNNING, "custom_table_name", "never_made"));
        awaitState(fx.alice, id, "RUNNING");
        ApiClient.Response cancel = fx.alice.post("/api/async_tasks/" + id + "/cancel");
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        JsonNode ended = awaitEnd(fx.alice, id);
        assertThat(ended.path("state").asText()).isEqualTo("CANCELLED");
        assertThat(ended.path("error").path("code").asText()).isEqualTo("TASK_CANCELLED");
        assertThat(fx.alice.post("/api/async_tasks/" + id + "/cancel").errorCode()).isEqualTo("TASK_ALREADY_FINISHED");
        assertThat(fx.alice.get("/api/workspace/tables").data().path("items").findValuesAsText("name"))
                .doesNotContain("never_made");

        ApiClient.Response retry = fx.alice.post("/api/async_tasks/" + id + "/retry");
        assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
        String second = retry.data().path("task_id").asText();
        assertThat(second).isNotEqualTo(id);
        assertThat(retry.data().path("retry_of").asText()).isEqualTo(id);
        assertThat(retry.data().path("metadata")).isEqualTo(ended.path("metadata"));
        awaitState(fx.alice, second, "RUNNING");
        fx.alice.post("/api/async_tasks/" + second + "/cancel");
        assertThat(awaitEnd(fx.alice, second).path("state").asText()).isEqualTo("CANCELLED");

        // A finished (succeeded) task cannot be retried.
        String ok = submit(fx.alice, Map.of("sql", "SELECT 1 AS one"));
        assertThat(awaitEnd(fx.alice, ok).path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(fx.alice.post("/api/async_tasks/" + ok + "/retry").errorCode()).isEqualTo("TASK_NOT_RETRYABLE");
        assertThat(awaitEnd(fx.alice, ok).path("result_info").path("table_name").asText())
                .isEqualTo("task_" + ok.replace("-", ""));
    }

    @Test
    void aFailingTaskNamesItsErrorAndATakenTableNameIsRefused() {
        String id = submit(fx.alice, Map.of("sql", "SELECT * FROM no_such_table_anywhere"));
        JsonNode failed = awaitEnd(fx.alice, id);
        assertThat(failed.path("state").asText()).isEqualTo("FAILED");
        assertThat(failed.path("error").path("code").asText()).isEqualTo("QUERY_FAILED");
        assertThat(failed.path("error").path("message").asText()).contains("no_such_table_anywhere");
        assertThat(failed.path("error").path("details").path("reason").asText()).doesNotContain(dir.toString());

        String first = submit(fx.alice, Map.of("sql", "SELECT 1 AS x", "custom_table_name", "taken"));
        assertThat(awaitEnd(fx.alice, first).path("state").asText()).isEqualTo("SUCCEEDED");
        ApiClient.Response again = fx.alice.post("/api/async_query", Map.of("sql", "SELECT 2 AS x",
                "custom_table_name", "TAKEN"));
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("TABLE_EXISTS");
    }

    @Test
    void theTaskListPagesNewestFirstAndFiltersByState() {
        ApiClient dave = fx.alice.with("X-Email", "dave@example.com");
        String a = submit(dave, Map.of("sql", "SELECT 1 AS a"));
        awaitEnd(dave, a);
        String b = submit(dave, Map.of("sql", "SELECT * FROM nowhere_at_all"));
        awaitEnd(dave, b);
        String c = submit(dave, Map.of("sql", "SELECT 3 AS c"));
        awaitEnd(dave, c);
        ApiClient.Response first = dave.get("/api/async_tasks?limit=2");
        assertThat(first.data().path("items").findValuesAsText("task_id")).containsExactly(c, b);
        String cursor = first.data().path("nextCursor").asText();
        ApiClient.Response second = dave.get("/api/async_tasks?limit=2&cursor=" + cursor);
        assertThat(second.data().path("items").findValuesAsText("task_id")).containsExactly(a);
        assertThat(second.data().path("nextCursor").isNull()).isTrue();
        assertThat(dave.get("/api/async_tasks?state=failed").data().path("items").findValuesAsText("task_id"))
                .containsExactly(b);
        assertThat(dave.get("/api/async_tasks?state=bogus").errorCode()).isEqualTo("INVALID_PARAMETER");
        assertThat(dave.get("/api/async_tasks?cursor=zzz").errorCode()).isEqualTo("INVALID_CURSOR");
        assertThat(dave.get("/api/async_tasks/not-an-id").errorCode()).isEqualTo("TASK_NOT_FOUND");
    }

    @Test
    void aFinishedQueryIsSavedAsAWorkspaceTableAndJoinsLocalData() {
        String query = fx.alice.submit("SELECT range AS k, range * 2 AS v FROM range(500)");
        assertThat(Queries.awaitEnd(fx.alice, query)).isEqualTo("SUCCEEDED");
        ApiClient.Response saved = fx.alice.post("/api/query/" + query + "/save-as-table", Map.of("table_name", "saved_q"));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(202);
        JsonNode task = awaitEnd(fx.alice, saved.data().path("task_id").asText());
        assertThat(task.path("state").asText()).as(task.toString()).isEqualTo("SUCCEEDED");
        assertThat(task.path("result_info").path("row_count").asLong()).isEqualTo(500);
        assertThat(task.path("result_info").path("columns").findValuesAsText("type")).containsExactly("bigint", "bigint");
        ApiClient.Response q = fx.alice.post("/api/duckdb/query",
                Map.of("sql", "SELECT sum(s.v) FROM workspace.saved_q s JOIN range(10) r ON s.k = r.range"));
        assertThat(q.status()).as(q.toString()).isEqualTo(200);
        assertThat(q.data().path("rows").get(0).get(0).asLong()).isEqualTo(90);

        assertThat(fx.bob.post("/api/query/" + query + "/save-as-table", Map.of("table_name", "stolen")).status())
                .isEqualTo(404);
        assertThat(fx.alice.post("/api/query/" + query + "/save-as-table", Map.of("table_name", "1bad")).errorCode())
                .isEqualTo("VALIDATION_ERROR");
    }
}
