package io.sluice.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Request;
import io.sluice.Json;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Async tasks in a real headless Chromium against a real Sluice with datasources and tasks on:
 * "Run as task" with a SQLite database attached as {@code lite}, the task followed to SUCCEEDED,
 * its result table opened in the editor, listed in the schema browser's Workspace section and
 * dropped; a failing task's error and its retry; a slow task cancelled.
 *
 * <p>Needs the server side of the tasks ({@code /api/async_query}, {@code /api/async_tasks},
 * {@code /api/workspace/tables}, {@code tasks.enabled} in {@code /api/config}).
 */
class TasksUiTest extends UiTestSupport {

    private Path sqliteDir;
    private Path itemsDb;

    @Override
    protected TestServer startServer(Path dir) {
        sqliteDir = dir.resolve("sqlite");
        try {
            Files.createDirectories(sqliteDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        itemsDb = DatasourcesUiTest.sqliteFile(sqliteDir.resolve("items.db"));
        return TestServer.start(dir, this::configure, Clock.systemUTC());
    }

    private void configure(ObjectNode config) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        ObjectNode ds = config.putObject("datasources")
                .put("encryptionKey", Base64.getEncoder().encodeToString(key))
                .put("connectTimeoutSeconds", 5);
        ds.putArray("sqliteDirectories").add(sqliteDir.toString());
        enableTasks(config);
    }

    /** Async tasks on (the server's key for it; /api/config then answers {@code tasks.enabled: true}). */
    private static void enableTasks(ObjectNode config) {
        config.putObject("tasks").put("enabled", true);
    }

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Registers a SQLite datasource through the API (the panel itself is DatasourcesUiTest's). */
    private String sqliteDatasource(String prefix, Path file) {
        String id = unique(prefix).replace('_', '-');
        JsonNode created = api.post("/api/datasources", Map.of("type", "sqlite", "id", id,
                "params", Map.of("path", file.toString()))).data();
        assertThat(created.path("id").asText()).isEqualTo(id);
        return id;
    }

    /** Opens "Run as task" for {@code sql}, names the table, attaches {@code datasource} as {@code alias}, submits. */
    private void runAsTask(String sql, String table, String alias, String datasource) {
        setSql(sql);
        assertThat(tid("run-task-button")).isVisible();
        tid("run-task-button").click();
        assertThat(tid("task-dialog")).isVisible();
        assertThat(tid("task-sql")).hasText(sql);
        if (table != null) {
            tid("task-table-name").fill(table);
        }
        if (alias != null) {
            tid("task-attach-add").click();
            Locator row = tid("task-attach-row").last();
            row.getByTestId("task-attach-alias").fill(alias);
            row.getByTestId("task-attach-datasource").selectOption(datasource);
        }
        tid("task-submit").click();
        assertThat(tid("task-dialog")).isHidden();
        assertThat(tid("tasks-panel")).isVisible();
    }

    private Locator newestTask() {
        return tid("task-item").first();
    }

    @Test
    void aFederatedTaskSucceedsItsTableOpensShowsInTheWorkspaceAndIsDropped() {
        String datasource = sqliteDatasource("lite", itemsDb);
        String table = unique("items_copy");
        List<String> submitted = new CopyOnWriteArrayList<>();
        page.onRequest((Request r) -> {
            if ("POST".equals(r.method()) && r.url().endsWith("/api/async_query")) {
                submitted.add(r.postData());
            }
        });

        // The client's own checks first: a table name that is no identifier, an empty alias.
        setSql("SELECT * FROM lite.items");
        tid("run-task-button").click();
        tid("task-table-name").fill("1-bad name");
        tid("task-attach-add").click();
        tid("task-submit").click();
        assertThat(tid("task-table-name-error")).isVisible();
        assertThat(tid("task-attach-alias-error")).hasText("Enter an alias");
        assertThat(tid("task-attach-datasource-error")).isVisible();
        assertThat(tid("task-dialog")).isVisible();
        assertThat(submitted).isEmpty();
        tid("task-cancel").click();
        assertThat(tid("task-dialog")).isHidden();

        runAsTask("SELECT * FROM lite.items", table, "lite", datasource);
        assertThat(submitted).hasSize(1);
        JsonNode body = read(submitted.get(0));
        assertThat(body.path("sql").asText()).isEqualTo("SELECT * FROM lite.items");
        assertThat(body.path("task_type").asText()).isEqualTo("query");
        assertThat(body.path("custom_table_name").asText()).isEqualTo(table);
        assertThat(body.path("attach_databases")).hasSize(1);
        assertThat(body.path("attach_databases").get(0).path("alias").asText()).isEqualTo("lite");
        assertThat(body.path("attach_databases").get(0).path("connection_id").asText()).isEqualTo(datasource);

        Locator task = newestTask();
        assertThat(task).hasAttribute("data-table-name", table);
        assertThat(task).hasAttribute("data-state", "SUCCEEDED");
        assertThat(task.getByTestId("task-state-badge")).hasText("Succeeded");
        assertThat(task.getByTestId("task-rows")).containsText("3");
        assertThat(task.getByTestId("task-aliases")).containsText("lite");
        assertThat(task.getByTestId("task-cancel")).hasCount(0);
        assertThat(task.getByTestId("task-retry")).hasCount(0);

        // Open result table: its first rows in the editor, run.
        task.getByTestId("task-open").click();
        assertThat(page.locator("[data-testid=editor] .cm-content")).containsText("workspace." + table);
        assertThat(sql()).isEqualTo("SELECT * FROM workspace." + table + " LIMIT 100");
        awaitFinished("SUCCEEDED");
        assertThat(tid("grid-row")).hasCount(3);
        assertThat(tid("grid-column").nth(1)).hasAttribute("data-name", "name");

        // The schema browser's Workspace section lists it; a click inserts workspace.<table>.
        tid("side-tab-schema").click();
        Locator listed = page.locator("[data-testid=workspace-table][data-name='" + table + "']");
        assertThat(listed).isVisible();
        assertThat(listed.getByTestId("workspace-table-meta")).hasText("3 rows · 3 columns");
        setSql("SELECT count(*) FROM ");
        page.locator("[data-testid=editor] .cm-content").click();
        page.keyboard().press("Control+End");
        listed.getByTestId("workspace-table-insert").click();
        assertThat(page.locator("[data-testid=editor] .cm-content")).hasText("SELECT count(*) FROM workspace." + table);
        assertThat(sql()).isEqualTo("SELECT count(*) FROM workspace." + table);

        // Drop asks first, then removes it.
        listed.getByTestId("workspace-table-drop").click();
        assertThat(tid("confirm-dialog")).isVisible();
        assertThat(tid("confirm-title")).containsText(table);
        tid("confirm-ok").click();
        assertThat(listed).hasCount(0);
        JsonNode tables = api.get("/api/workspace/tables").data().path("items");
        tables.forEach(t -> assertThat(t.path("name").asText()).isNotEqualTo(table));
    }

    @Test
    void aFailingTaskShowsItsErrorAndItsRetrySucceeds() throws SQLException {
        Path file = DatasourcesUiTest.sqliteFile(sqliteDir.resolve(unique("later") + ".db"));
        String datasource = sqliteDatasource("later", file);
        String table = unique("later_copy");

        // The table is not there yet: the task fails, with its error.
        runAsTask("SELECT * FROM src.later_items", table, "src", datasource);
        Locator failed = newestTask();
        assertThat(failed).hasAttribute("data-state", "FAILED");
        Locator error = failed.getByTestId("task-error");
        assertThat(error).isVisible();
        assertThat(error).not().hasAttribute("data-message-code", "");
        assertThat(failed.getByTestId("task-error-message")).not().isEmpty();
        // The engine's own words name what is missing.
        assertThat(error).containsText("later_items");
        assertThat(failed.getByTestId("task-open")).hasCount(0);
        String failedId = failed.getAttribute("data-task-id");

        // Once the table exists, Retry runs it again as a new task that succeeds.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE later_items (id INTEGER, label TEXT)");
            s.execute("INSERT INTO later_items VALUES (1, 'one'), (2, 'two')");
        }
        failed.getByTestId("task-retry").click();
        Locator retried = page.locator("[data-testid=task-item]:has([data-testid=task-retry-of])").first();
        assertThat(retried).hasAttribute("data-state", "SUCCEEDED");
        assertThat(retried).not().hasAttribute("data-task-id", failedId);
        assertThat(retried.getByTestId("task-rows")).containsText("2");
        assertThat(retried.getByTestId("task-open")).isVisible();
        JsonNode again = api.get("/api/async_tasks/" + retried.getAttribute("data-task-id")).data();
        assertThat(again.path("retry_of").asText()).isEqualTo(failedId);
        // The failed task stays in the list, as it was.
        assertThat(page.locator("[data-testid=task-item][data-task-id='" + failedId + "']"))
                .hasAttribute("data-state", "FAILED");
    }

    @Test
    void aSlowTaskIsCancelled() {
        runAsTask("SELECT count(*) FROM range(10000000000)", null, null, null);
        Locator task = newestTask();
        Locator cancel = task.getByTestId("task-cancel");
        assertThat(cancel).isVisible();
        assertThat(cancel).isEnabled();
        cancel.click();
        assertThat(task).hasAttribute("data-state", "CANCELLED");
        assertThat(task.getByTestId("task-state-badge")).hasText("Cancelled");
        assertThat(task.getByTestId("task-cancel")).hasCount(0);
        assertThat(task.getByTestId("task-retry")).isVisible();
        assertThat(countRequests(r -> r.matches("POST /api/async_tasks/[^/]+/cancel"))).isEqualTo(1);
    }

    private static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
