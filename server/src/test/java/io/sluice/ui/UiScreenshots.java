package io.sluice.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ScreenshotAnimations;
import com.microsoft.playwright.options.ScreenshotCaret;
import io.sluice.testing.ApiClient;
import io.sluice.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * Takes the README's screenshots of the main states (1280×800, English) from a real Sluice with
 * its sample data in headless Chromium: {@code editor-results.png}, {@code running.png},
 * {@code history.png}, the data sources panel {@code datasources.png}, the tasks panel
 * {@code tasks.png} and the schema browser's workspace tables {@code workspace.png}. The same
 * queries every time; only times and ids differ between runs.
 *
 * <pre>
 * cd server &amp;&amp; mvn -q -B test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.sluice.ui.UiScreenshots -Dexec.args=../docs/screenshots
 * </pre>
 */
public final class UiScreenshots {

    static final String RESULTS_SQL = """
            -- Money movements and API errors, oldest first
            SELECT event_id, event_type, dt, member_code, platform, amount, error_code
            FROM events
            WHERE event_type IN ('Deposit', 'Withdrawal', 'apiError')
            ORDER BY event_id;
            """;
    static final String LONG_SQL = """
            -- Runs until cancelled
            SELECT sum(range % 7) AS total
            FROM range(1000000000000);
            """;
    static final String SUMMARY_SQL = """
            SELECT event_type, count(*) AS events, sum(amount) AS amount
            FROM events
            GROUP BY event_type
            ORDER BY events DESC;
            """;

    private UiScreenshots() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "../docs/screenshots").toAbsolutePath().normalize();
        Files.createDirectories(out);
        Path dir = Files.createTempDirectory("sluice-screenshots-");
        Path sqliteDir = Files.createDirectories(dir.resolve("sqlite"));
        Path itemsDb = DatasourcesUiTest.sqliteFile(sqliteDir.resolve("items.db"));
        try (TestServer server = TestServer.start(dir, c -> configure(c, sqliteDir), Clock.systemUTC());
             Playwright playwright = Browsers.playwright();
             Browser browser = Browsers.launch(playwright);
             BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                     .setViewportSize(UiTestSupport.WIDTH, UiTestSupport.HEIGHT)
                     .setLocale("en-US")
                     .setTimezoneId("UTC"))) {
            context.setDefaultTimeout(30_000);
            Page page = context.newPage();
            page.navigate(server.client().base() + "/");
            assertThat(page.locator("[data-testid=app][data-ready=true]")).isAttached();
            page.getByTestId("language-switch").selectOption("en");

            // Editor with results; the schema browser shows the columns of events.
            page.locator("[data-testid=schema-toggle][data-kind=table][data-name=events]").click();
            assertThat(page.locator("[data-testid=schema-item][data-kind=column][data-name=error_code]")).isVisible();
            run(page, RESULTS_SQL);
            awaitFinished(page, "SUCCEEDED");
            assertThat(page.getByTestId("result-grid")).isVisible();
            assertThat(page.getByTestId("pager-range")).containsText("1–100");
            shot(page, out.resolve("editor-results.png"));

            // Running, with Cancel and the elapsed time.
            run(page, LONG_SQL);
            assertThat(page.getByTestId("cancel-button")).isVisible();
            // "elapsed 2.0 s": wait for two seconds of run time on the page's own clock.
            page.waitForFunction("() => Number((/([0-9.]+) s/.exec(document.querySelector('[data-testid=elapsed]')"
                    + ".textContent) || [])[1]) >= 2");
            shot(page, out.resolve("running.png"));
            page.getByTestId("cancel-button").click();
            assertThat(page.getByTestId("notice-cancelled")).isVisible();

            // A failure and a summary, then the history of all four.
            run(page, "SELEC 1");
            awaitFinished(page, "FAILED");
            run(page, SUMMARY_SQL);
            awaitFinished(page, "SUCCEEDED");
            assertThat(page.getByTestId("result-grid")).isVisible();
            page.getByTestId("side-tab-history").click();
            assertThat(page.getByTestId("history-item")).hasCount(4);
            assertThat(page.getByTestId("history-item").first()).hasAttribute("data-state", "SUCCEEDED");
            shot(page, out.resolve("history.png"));

            // Data sources: a SQLite file that opens, one that is missing, a PostgreSQL server with a password.
            ApiClient api = server.client();
            api.post("/api/datasources", Map.of("id", "shop-lite", "type", "sqlite", "params", Map.of("path", itemsDb.toString())));
            api.post("/api/datasources", Map.of("id", "archive-2019", "type", "sqlite",
                    "params", Map.of("path", sqliteDir.resolve("archive-2019.db").toString())));
            api.post("/api/datasources", Map.of("id", "pg-analytics", "type", "postgresql", "params", Map.of(
                    "host", "db.internal", "port", 5432, "database", "analytics", "user", "analyst",
                    "password", "not-shown", "sslMode", "require")));
            page.getByTestId("side-tab-datasources").click();
            Locator lite = page.locator("[data-testid=datasource-item][data-id=shop-lite]");
            lite.getByTestId("datasource-test").click();
            assertThat(lite.getByTestId("datasource-test-result")).hasAttribute("data-outcome", "ok");
            Locator archive = page.locator("[data-testid=datasource-item][data-id=archive-2019]");
            archive.getByTestId("datasource-test").click();
            assertThat(archive.getByTestId("datasource-test-result")).hasAttribute("data-outcome", "error");
            shot(page, out.resolve("datasources.png"));

            // A federated task that succeeds, a failed one, then the workspace table in the schema browser.
            page.evaluate("sql => window.sluice.setSql(sql)", "SELECT name, price FROM lite.items ORDER BY price");
            page.getByTestId("run-task-button").click();
            page.getByTestId("task-table-name").fill("cheap_items");
            page.getByTestId("task-attach-add").click();
            page.getByTestId("task-attach-alias").fill("lite");
            page.getByTestId("task-attach-datasource").selectOption("shop-lite");
            page.getByTestId("task-submit").click();
            assertThat(page.getByTestId("task-item").first()).hasAttribute("data-state", "SUCCEEDED");
            page.evaluate("sql => window.sluice.setSql(sql)", "SELECT * FROM lite.orders");
            page.getByTestId("run-task-button").click();
            page.getByTestId("task-attach-add").click();
            page.getByTestId("task-attach-alias").fill("lite");
            page.getByTestId("task-attach-datasource").selectOption("shop-lite");
            page.getByTestId("task-submit").click();
            assertThat(page.getByTestId("task-item").first()).hasAttribute("data-state", "FAILED");
            shot(page, out.resolve("tasks.png"));
            page.getByTestId("side-tab-schema").click();
            Locator table = page.locator("[data-testid=workspace-table][data-name=cheap_items]");
            table.getByTestId("workspace-table-toggle").click();
            assertThat(table.getByTestId("workspace-column").first()).isVisible();
            shot(page, out.resolve("workspace.png"));
        } finally {
            UiTestSupport.deleteTree(dir);
        }
        System.out.println("screenshots in " + out);
    }

    /** Datasources on (a key and the folder of SQLite files); async tasks are on by default. */
    private static void configure(ObjectNode config, Path sqliteDir) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        ObjectNode ds = config.putObject("datasources").put("encryptionKey", Base64.getEncoder().encodeToString(key));
        ds.putArray("sqliteDirectories").add(sqliteDir.toString());
    }

    private static void run(Page page, String sql) {
        page.evaluate("sql => window.sluice.setSql(sql)", sql);
        Locator run = page.getByTestId("run-button");
        assertThat(run).isEnabled();
        run.click();
    }

    private static void awaitFinished(Page page, String state) {
        assertThat(page.getByTestId("query-status")).hasAttribute("data-phase", "finished");
        assertThat(page.getByTestId("query-status")).hasAttribute("data-state", state);
    }

    private static void shot(Page page, Path file) {
        page.screenshot(new Page.ScreenshotOptions().setPath(file)
                .setCaret(ScreenshotCaret.HIDE).setAnimations(ScreenshotAnimations.DISABLED));
        System.out.println(file);
    }
}
