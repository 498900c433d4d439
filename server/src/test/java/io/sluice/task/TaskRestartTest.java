package io.sluice.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.Queries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import static io.sluice.task.TaskFixture.awaitEnd;
import static io.sluice.task.TaskFixture.awaitState;
import static io.sluice.task.TaskFixture.submit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tasks survive a restart as queries do: a task interrupted by a stop, or left RUNNING by a process
 * that died, ends FAILED with SERVER_RESTARTED and can be retried; a task that was still waiting runs
 * after the restart; finished tasks and their tables are kept.
 */
class TaskRestartTest {

    @TempDir
    Path dir;

    @Test
    void interruptedTasksFailWithServerRestartedAndWaitingOnesRunAfterTheRestart() throws Exception {
        TaskFixture fx = new TaskFixture(dir);
        String key = fx.key;
        String done = submit(fx.alice, Map.of("sql", "SELECT 7 AS seven", "custom_table_name", "kept"));
        assertThat(awaitEnd(fx.alice, done).path("state").asText()).isEqualTo("SUCCEEDED");
        String stopped = submit(fx.alice, Map.of("sql", Queries.LONG_RUNNING));
        awaitState(fx.alice, stopped, "RUNNING");
        String crashed = submit(fx.alice, Map.of("sql", "SELECT 1 AS crashed"));
        awaitEnd(fx.alice, crashed);
        fx.close(); // a graceful stop interrupts the running task

        // As if the process had died mid-task, and another task was acknowledged but never started.
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("store/sluice"), "sa", "");
             Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE tasks SET state = 'RUNNING', result_info = NULL, finished_at = NULL WHERE id = '"
                    + crashed + "'");
            s.executeUpdate("INSERT INTO tasks (id, owner, state, spec, retry_of, cancel_requested, instance_id, "
                    + "created_at, version) SELECT '00000000-0000-4000-8000-000000000001', owner, 'PENDING', "
                    + "'{\"sql\":\"SELECT 5 AS five\",\"task_type\":\"query\",\"attach_databases\":[]}', NULL, FALSE, "
                    + "instance_id, created_at, 0 FROM tasks WHERE id = '" + done + "'");
        }

        TaskFixture again = new TaskFixture(dir, key);
        try {
            JsonNode interrupted = awaitEnd(again.alice, stopped);
            assertThat(interrupted.path("state").asText()).isEqualTo("FAILED");
            assertThat(interrupted.path("error").path("code").asText()).isEqualTo("SERVER_RESTARTED");
            JsonNode died = awaitEnd(again.alice, crashed);
            assertThat(died.path("state").asText()).isEqualTo("FAILED");
            assertThat(died.path("error").path("code").asText()).isEqualTo("SERVER_RESTARTED");
            JsonNode waited = awaitEnd(again.alice, "00000000-0000-4000-8000-000000000001");
            assertThat(waited.path("state").asText()).as(waited.toString()).isEqualTo("SUCCEEDED");
            assertThat(awaitEnd(again.alice, done).path("state").asText()).isEqualTo("SUCCEEDED");

            ApiClient.Response q = again.alice.post("/api/duckdb/query", Map.of("sql", "SELECT seven FROM workspace.kept"));
            assertThat(q.data().path("rows").get(0).get(0).asInt()).isEqualTo(7);

            ApiClient.Response retry = again.alice.post("/api/async_tasks/" + crashed + "/retry");
            assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
            assertThat(awaitEnd(again.alice, retry.data().path("task_id").asText()).path("state").asText())
                    .isEqualTo("SUCCEEDED");
        } finally {
            again.close();
        }
    }
}
