package io.sluice.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.ScreenshotAnimations;
import com.microsoft.playwright.options.ScreenshotCaret;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.Queries;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard (#dashboard) and the editor's cost guards in a real Chromium against a real Sluice
 * whose Athena engine runs on the stand-in: ann (a user) and bob have run paid queries, ann's
 * monthly budget is spent; an admin sees the usage per user. The charts render with data (SVG of
 * non-zero size), the budget warning shows, "Open in editor" opens the query, the lint's findings
 * are asked about before a run ("Run anyway" / "Cancel"), and a refused run names when the budget
 * resets.
 *
 * <p>With {@code -Dsluice.screenshots=../docs/screenshots} it writes
 * {@code dashboard.png} and {@code lint-warning.png} there (else into target/ui-screenshots).
 */
class DashboardUiTest extends UiTestSupport {

    private static final String SECRET = "dashboard-ui-test-proxy-secret";
    private static final String ANN = "ann@example.com";
    private static final String BOB = "bob@example.com";
    private static final String ADMIN = "admin@example.com";
    private static final String ANN_SQL = "SELECT event_type AS ann_marker, count(*) AS n FROM events GROUP BY 1 ORDER BY 1";
    private static final String BOB_SQL = "SELECT dt AS bob_marker, count(*) AS n FROM events GROUP BY 1 ORDER BY 1";

    private AthenaFixture athena;
    /** Whose identity the page's requests carry (the proxy's headers). */
    private String user = ANN;

    @Override
    protected TestServer startServer(Path dir) {
        athena = AthenaFixture.start(dir, DashboardUiTest::configure);
        return athena.server();
    }

    /** Auth behind a proxy with an admin; a user budget any query spends, a total one far away. */
    private static void configure(ObjectNode c) {
        ObjectNode auth = c.putObject("auth").put("enabled", true).put("proxySecret", SECRET);
        auth.putArray("admins").add(ADMIN);
        c.putObject("budgets").put("monthlyUsdPerUser", 0.00001).put("monthlyUsdTotal", 1000).put("warnFraction", 0.8);
        ((ObjectNode) c.path("engines").path("athena")).put("maxScannedBytes", 1024L * 1024 * 1024 * 1024);
    }

    @Override
    protected void stopServer() {
        if (athena != null) {
            athena.close();
        }
    }

    private ApiClient as(String who) {
        return server.client().with("X-Sluice-Proxy-Secret", SECRET).with("X-Email", who);
    }

    @Override
    protected void load() {
        context.setExtraHTTPHeaders(Map.of("X-Sluice-Proxy-Secret", SECRET, "X-Email", user));
        super.load();
    }

    /** ann's and bob's paid queries. */
    @BeforeAll
    void spend() {
        for (Map.Entry<String, String> run : Map.of(ANN, ANN_SQL, BOB, BOB_SQL).entrySet()) {
            ApiClient client = as(run.getKey());
            ApiClient.Response r = client.post("/api/query", Map.of("query", run.getValue(), "engine", "athena"));
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            Queries.awaitState(client, r.data().path("id").asText(), "SUCCEEDED");
        }
    }

    @AfterEach
    void asAnn() {
        user = ANN;
    }

    @Test
    void chartsRenderWithDataTheBudgetWarningShowsAndATopQueryOpensInTheEditor() {
        openDashboard();
        for (String chart : new String[]{"chart-monthly-canvas", "chart-daily-canvas"}) {
            Locator svg = tid(chart).locator("svg");
            assertThat(svg).isVisible();
            BoundingBox box = svg.boundingBox();
            assertThat(box.width).as(chart).isGreaterThan(100);
            assertThat(box.height).as(chart).isGreaterThan(100);
            assertThat(tid(chart).locator("svg path").count()).as(chart + " has drawn bars").isGreaterThan(5);
            assertThat(Double.parseDouble(tid(chart).getAttribute("data-sum"))).as(chart + " sum").isGreaterThan(0);
        }
        assertThat(tid("chart-monthly-canvas")).hasAttribute("data-points", "12");
        assertThat(tid("chart-daily-canvas")).hasAttribute("data-points", "30");

        // ann's budget is spent: its card says so with the reset time; the total budget is fine.
        Locator own = page.locator("[data-testid=budget-card][data-scope=user]");
        assertThat(own).hasAttribute("data-level", "exceeded");
        assertThat(own.getByTestId("budget-warning")).isVisible();
        assertThat(own.getByTestId("budget-warning")).containsText("resets");
        assertThat(page.locator("[data-testid=budget-card][data-scope=total]")).hasAttribute("data-level", "ok");

        // Her query among the most expensive; no table per user for a user.
        Locator mine = tid("top-query").filter(new Locator.FilterOptions().setHasText("ann_marker"));
        assertThat(mine).hasCount(1);
        assertThat(tid("top-query").filter(new Locator.FilterOptions().setHasText("bob_marker"))).hasCount(0);
        assertThat(tid("dash-users")).isHidden();
        shot("dashboard.png");

        int tabsBefore = tid("editor-tab").count();
        mine.getByTestId("top-query-open").click();
        assertThat(page.getByTestId("app")).hasAttribute("data-page", "editor");
        assertThat(tid("editor-tab")).hasCount(tabsBefore + 1);
        assertThat(tid("engine-select")).hasValue("athena");
        assertThat(sql()).isEqualTo(ANN_SQL);
    }

    @Test
    void anAdminSeesTheUsagePerUser() {
        user = ADMIN;
        context.setExtraHTTPHeaders(Map.of("X-Sluice-Proxy-Secret", SECRET, "X-Email", ADMIN));
        reload();
        openDashboard();
        assertThat(tid("dash-users")).isVisible();
        assertThat(page.locator("[data-testid=usage-user][data-user='" + ANN + "']")).isVisible();
        assertThat(page.locator("[data-testid=usage-user][data-user='" + BOB + "']")).isVisible();
        assertThat(page.locator("[data-testid=usage-user][data-user='" + BOB + "'] [data-testid=usage-user-cost]"))
                .hasText(Pattern.compile("\\$0\\.\\d+"));
        assertThat(tid("top-query").filter(new Locator.FilterOptions().setHasText("bob_marker"))).hasCount(1);
    }

    @Test
    void aRefusedRunNamesTheSpentBudgetAndWhenItResets() {
        tid("engine-select").selectOption("athena");
        assertThat(tid("max-scan")).isVisible();
        setSql("SELECT event_id FROM events WHERE dt = '2024-10-01' LIMIT 10");
        tid("run-button").click();
        runAnywayIfLinted();
        Locator notice = page.locator("[data-testid=notice-error][data-message-code=BUDGET_EXCEEDED]");
        assertThat(notice).isVisible();
        assertThat(notice).containsText("Your monthly budget");
        assertThat(notice).containsText("resets");
        assertThat(tid("retry-button")).hasCount(0);
    }

    @Test
    void lintFindingsAreAskedAboutBeforeAnAthenaRun() {
        user = ADMIN;
        context.setExtraHTTPHeaders(Map.of("X-Sluice-Proxy-Secret", SECRET, "X-Email", ADMIN));
        reload();
        tid("engine-select").selectOption("athena");
        assertThat(tid("database-select")).hasValue("analytics");
        String sql = "SELECT * FROM events";
        setSql(sql);
        long submitsBefore = countRequests(r -> r.equals("POST /api/query"));

        tid("run-button").click();
        assertThat(tid("confirm-dialog")).isVisible();
        assertThat(tid("confirm-item").first()).isVisible();
        assertThat(tid("confirm-ok")).hasText("Run anyway");
        shot("lint-warning.png");
        tid("confirm-cancel").click();
        assertThat(tid("confirm-dialog")).isHidden();
        assertThat(countRequests(r -> r.equals("POST /api/query"))).isEqualTo(submitsBefore);

        tid("run-button").click();
        tid("confirm-ok").click();
        awaitFinished("SUCCEEDED");
        assertThat(countRequests(r -> r.equals("POST /api/query"))).isEqualTo(submitsBefore + 1);
    }

    private void openDashboard() {
        tid("nav-dashboard").click();
        assertThat(page.getByTestId("app")).hasAttribute("data-page", "dashboard");
        assertThat(page.locator("[data-testid=dashboard][data-loaded=true]")).isAttached();
    }

    private void shot(String name) {
        Path dir = Path.of(System.getProperty("sluice.screenshots", "target/ui-screenshots"));
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name))
                .setCaret(ScreenshotCaret.HIDE).setAnimations(ScreenshotAnimations.DISABLED));
    }
}
