package io.sluice.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The editor's surroundings in a real headless Chromium against a real Sluice: history (search,
 * state filter, open, rerun), the language switch, the schema browser and tabs across reloads.
 */
class WorkspaceUiTest extends UiTestSupport {

    private static String tag() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Test
    void historyListsQueriesNewestFirstFiltersThemAndRerunsOne() {
        String tag = tag();
        String okSql = "SELECT '" + tag + "' AS tag, 42 AS answer";
        String failedSql = "SELEC '" + tag + "'";
        runToResults(okSql);
        String okId = activeQueryId();
        run(failedSql);
        awaitFinished("FAILED");
        String failedId = activeQueryId();

        tid("side-tab-history").click();
        assertThat(tid("history-panel")).isVisible();
        Locator items = tid("history-item");
        // Newest first: the failed query, then the successful one (older tests' queries follow).
        assertThat(items.nth(0)).hasAttribute("data-query-id", failedId);
        assertThat(items.nth(1)).hasAttribute("data-query-id", okId);
        Locator ok = page.locator("[data-testid=history-item][data-query-id='" + okId + "']");
        assertThat(ok).hasAttribute("data-state", "SUCCEEDED");
        assertThat(ok.getByTestId("history-state-badge")).hasText("Succeeded");
        assertThat(ok.getByTestId("history-sql")).hasText(okSql);
        assertThat(ok.getByTestId("history-duration")).containsText(" s");
        // The engine (DuckDB here) neither meters scanned data nor prices queries, as its capabilities
        // say: the item shows neither; the running statistics neither.
        assertThat(ok.getByTestId("history-scanned")).hasCount(0);
        assertThat(ok.getByTestId("history-cost")).hasCount(0);
        assertThat(tid("stat-scanned")).isHidden();
        assertThat(tid("stat-cost")).isHidden();
        Locator failed = page.locator("[data-testid=history-item][data-query-id='" + failedId + "']");
        assertThat(failed.getByTestId("history-state-badge")).hasText("Failed");

        // Search by text: only this test's two queries.
        tid("history-search").fill(tag);
        assertThat(items).hasCount(2);
        // The state filter: FAILED, then SUCCEEDED.
        tid("history-state").selectOption("FAILED");
        assertThat(items).hasCount(1);
        assertThat(items.first()).hasAttribute("data-query-id", failedId);
        tid("history-state").selectOption("SUCCEEDED");
        assertThat(items).hasCount(1);
        assertThat(items.first()).hasAttribute("data-query-id", okId);
        // A search that matches nothing says so.
        tid("history-search").fill(tag + "-nothing");
        assertThat(items).hasCount(0);
        assertThat(tid("history-status")).hasText("No queries yet.");
        tid("history-search").fill(tag);
        assertThat(items).hasCount(1);
        assertThat(items.first()).hasAttribute("data-query-id", okId);

        // Rerun: the same query id runs again (POST /refresh) and its results appear in a tab.
        items.first().getByTestId("history-rerun").click();
        page.waitForCondition(() -> countRequests(r -> r.equals("POST /api/query/" + okId + "/refresh")) == 1);
        awaitFinished("SUCCEEDED");
        assertThat(page.locator("[data-testid=editor-tab]:has([aria-selected=true])"))
                .hasAttribute("data-query-id", okId);
        assertThat(tid("result-grid")).isVisible();
        assertThat(tid("grid-column").first()).hasAttribute("data-name", "tag");
        assertThat(tid("grid-cell").first()).hasText(tag);
        assertThat(sql()).isEqualTo(okSql);
        JsonNode status = api.get("/api/query/" + okId + "/status").data();
        assertThat(status.path("run").asInt()).isEqualTo(2);
        assertThat(status.path("state").asText()).isEqualTo("SUCCEEDED");
        // Still listed once (a rerun is the same query), newest activity first.
        assertThat(items).hasCount(1);

        // Open: the failed query's tab comes back with its SQL and its red notice.
        tid("history-state").selectOption("FAILED");
        // The list before the filter also has one item: wait for the filtered one before clicking.
        assertThat(items).hasCount(1);
        assertThat(items.first()).hasAttribute("data-query-id", failedId);
        items.first().getByTestId("history-open").click();
        assertThat(page.locator("[data-testid=editor-tab]:has([aria-selected=true])"))
                .hasAttribute("data-query-id", failedId);
        assertThat(tid("notice-failed")).isVisible();
        assertThat(tid("notice-failed")).hasAttribute("data-message-code", "SYNTAX_ERROR");
        assertThat(sql()).isEqualTo(failedSql);

        // Open a successful query whose tab was closed: a tab comes back with its SQL and its results.
        page.locator("[data-testid=editor-tab][data-query-id='" + okId + "'] [data-testid=editor-tab-close]").click();
        assertThat(page.locator("[data-testid=editor-tab][data-query-id='" + okId + "']")).hasCount(0);
        tid("history-state").selectOption("SUCCEEDED");
        assertThat(items).hasCount(1);
        assertThat(items.first()).hasAttribute("data-query-id", okId);
        items.first().getByTestId("history-open").click();
        assertThat(page.locator("[data-testid=editor-tab]:has([aria-selected=true])"))
                .hasAttribute("data-query-id", okId);
        awaitFinished("SUCCEEDED");
        assertThat(tid("result-grid")).isVisible();
        assertThat(tid("grid-column").first()).hasAttribute("data-name", "tag");
        assertThat(tid("grid-cell").first()).hasText(tag);
        assertThat(tid("grid-cell").nth(1)).hasText("42");
        assertThat(sql()).isEqualTo(okSql);
        assertThat(countRequests(r -> r.equals("POST /api/query/" + okId + "/refresh"))).isEqualTo(1);
    }

    @Test
    void aNarrowWindowKeepsEverythingUsableWithoutSidewaysScrolling() {
        page.setViewportSize(480, 800);
        assertThat(tid("run-button")).isVisible();
        assertThat(tid("language-switch")).isVisible();
        assertThat(overflowsHorizontally()).as("the page scrolls sideways at 480 px").isFalse();
        Locator run = tid("run-button");
        assertThat(run.boundingBox().x + run.boundingBox().width).isLessThanOrEqualTo(480);

        // The language switch works here too.
        tid("language-switch").selectOption("zh-CN");
        assertThat(run).containsText("运行");
        tid("language-switch").selectOption("en");
        assertThat(run).containsText("Run");

        // A wide result (every column of events) stays inside its own scrolling box.
        runToResults("SELECT * FROM events ORDER BY event_id LIMIT 20");
        assertThat(tid("grid-row")).hasCount(20);
        assertThat(overflowsHorizontally()).as("the page scrolls sideways with a wide result").isFalse();
        Locator grid = tid("grid-container");
        assertThat(grid.boundingBox().x + grid.boundingBox().width).isLessThanOrEqualTo(480);
        assertThat((Boolean) grid.evaluate("el => el.scrollWidth > el.clientWidth"))
                .as("the grid scrolls sideways inside its box").isTrue();

        // The side panels too.
        tid("side-tab-history").click();
        assertThat(tid("history-item").first()).isVisible();
        assertThat(overflowsHorizontally()).as("the page scrolls sideways with the history").isFalse();
        // The page's own files were loaded from the server (and, by the check after each test, nothing else).
        assertThat(requestUrls).anyMatch(url -> url.startsWith(baseUrl) && url.endsWith(".js"));
    }

    @Test
    void languageSwitchChangesTheTextsAndIsRememberedAcrossReloads() {
        // The browser asks for English: the UI starts in English.
        assertThat(tid("language-switch")).hasValue("en");
        assertThat(tid("run-button")).containsText("Run");
        assertThat(tid("side-tab-history")).hasText("History");
        assertThat(page.locator("html")).hasAttribute("lang", "en");
        // A failed query: its notice is rendered from the server's messageCode in the UI's language.
        run("SELEC 1");
        awaitFinished("FAILED");
        assertThat(tid("notice-failed").getByTestId("notice-title")).hasText("The query failed.");
        assertThat(tid("notice-failed").getByTestId("notice-message")).hasText("The query has a syntax error");

        tid("language-switch").selectOption("zh-CN");
        assertThat(tid("run-button")).containsText("运行");
        assertThat(tid("run-button")).not().containsText("Run");
        assertThat(tid("side-tab-history")).hasText("历史");
        assertThat(tid("side-tab-schema")).hasText("库表");
        assertThat(tid("state-badge")).hasText("失败");
        assertThat(tid("notice-failed").getByTestId("notice-title")).hasText("查询失败。");
        assertThat(tid("notice-failed").getByTestId("notice-message")).hasText("查询存在语法错误");
        assertThat(page.locator("html")).hasAttribute("lang", "zh-CN");

        // Remembered: after a reload (the browser still prefers English) the UI is in Chinese,
        // and requests ask the server for Chinese.
        reload();
        assertThat(tid("language-switch")).hasValue("zh-CN");
        assertThat(tid("run-button")).containsText("运行");
        assertThat(tid("side-tab-history")).hasText("历史");
        assertThat(tid("notice-failed").getByTestId("notice-title")).hasText("查询失败。");
        assertThat(page.evaluate("() => localStorage.getItem('sluice.locale')")).isEqualTo("zh-CN");
        var request = page.waitForRequest(r -> r.url().contains("/api/"), () -> tid("side-tab-history").click());
        assertThat(request.headerValue("accept-language")).startsWith("zh-CN");

        // And back to English, remembered too.
        tid("language-switch").selectOption("en");
        assertThat(tid("run-button")).containsText("Run");
        assertThat(tid("side-tab-history")).hasText("History");
        assertThat(tid("notice-failed").getByTestId("notice-title")).hasText("The query failed.");
        reload();
        assertThat(tid("language-switch")).hasValue("en");
        assertThat(tid("run-button")).containsText("Run");
        assertThat(page.locator("html")).hasAttribute("lang", "en");
    }

    @Test
    void schemaBrowserInsertsColumnAndTableNamesAtTheCursor() {
        JsonNode duckdb = null;
        for (JsonNode engine : api.get("/api/config").data().path("engines")) {
            if (engine.path("name").asText().equals("duckdb")) {
                duckdb = engine;
            }
        }
        assertThat(duckdb).isNotNull();
        String catalog = duckdb.path("defaultCatalog").asText();
        String database = duckdb.path("defaultDatabase").asText();

        tid("side-tab-schema").click();
        assertThat(tid("schema-panel")).isVisible();
        // The selected catalog and database are open: their tables show.
        assertThat(page.locator("[data-testid=schema-toggle][data-kind=catalog][data-name='" + catalog + "']"))
                .hasAttribute("aria-expanded", "true");
        assertThat(page.locator("[data-testid=schema-toggle][data-kind=database][data-path='" + catalog + "." + database + "']"))
                .hasAttribute("aria-expanded", "true");
        Locator eventsItem = page.locator("[data-testid=schema-item][data-kind=table][data-name=events]");
        assertThat(eventsItem).isVisible();
        assertThat(page.locator("[data-testid=schema-item][data-kind=table][data-name=members]")).isVisible();

        // The cursor at the end of "SELECT ".
        setSql("SELECT ");
        page.locator("[data-testid=editor] .cm-content").click();
        page.keyboard().press("Control+End");

        // Columns of events, with their types; a click on dt inserts it at the cursor.
        page.locator("[data-testid=schema-toggle][data-kind=table][data-name=events]").click();
        Locator dt = page.locator("[data-testid=schema-item][data-kind=column][data-name=dt]");
        assertThat(dt).isVisible();
        assertThat(page.locator("[data-testid=schema-node][data-kind=column][data-name=dt]")
                .getByTestId("schema-column-type")).hasText("VARCHAR", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setIgnoreCase(true));
        dt.click();
        assertThat(page.locator("[data-testid=editor] .cm-content")).hasText("SELECT dt");
        assertThat(sql()).isEqualTo("SELECT dt");

        // The editor kept the focus: keep typing, then insert the table name.
        page.keyboard().type(" FROM ");
        eventsItem.click();
        assertThat(page.locator("[data-testid=editor] .cm-content")).hasText("SELECT dt FROM events");
        assertThat(sql()).isEqualTo("SELECT dt FROM events");

        // And the statement built that way runs.
        tid("run-button").click();
        awaitFinished("SUCCEEDED");
        assertThat(tid("grid-column")).hasCount(1);
        assertThat(tid("grid-column")).hasAttribute("data-name", "dt");
        assertThat(tid("row-count")).containsText("100,000");
    }

    @Test
    void tabsAndTheirSqlSurviveAReload() {
        Locator tabs = tid("editor-tab");
        assertThat(tabs).hasCount(1);
        Locator content = page.locator("[data-testid=editor] .cm-content");

        // Tab 1: typed by hand (CodeMirror closes the quote; typing the closing one steps over it).
        content.click();
        page.keyboard().press("Control+A");
        page.keyboard().type("SELECT 'one' AS first_tab");
        assertThat(content).hasText("SELECT 'one' AS first_tab");

        // Tab 2: a new tab, typed, run with Ctrl+Enter.
        tid("editor-tab-new").click();
        assertThat(tabs).hasCount(2);
        assertThat(tabs.nth(1).getByTestId("editor-tab-select")).hasAttribute("aria-selected", "true");
        assertThat(tabs.nth(1).getByTestId("editor-tab-select")).containsText("Query 2");
        assertThat(page.evaluate("() => window.sluice.getSql()")).isEqualTo("");
        content.click();
        page.keyboard().type("SELECT 'two' AS second_tab");
        page.keyboard().press("Control+Enter");
        awaitFinished("SUCCEEDED");
        assertThat(tid("grid-column")).hasAttribute("data-name", "second_tab");
        String secondQuery = activeQueryId();

        // Tab 3, closed again: closed tabs stay closed.
        tid("editor-tab-new").click();
        assertThat(tabs).hasCount(3);
        tabs.nth(2).getByTestId("editor-tab-close").click();
        assertThat(tabs).hasCount(2);
        tabs.nth(1).getByTestId("editor-tab-select").click();

        reload();
        assertThat(tabs).hasCount(2);
        assertThat(tabs.nth(0).getByTestId("editor-tab-select")).containsText("Query 1");
        assertThat(tabs.nth(1).getByTestId("editor-tab-select")).containsText("Query 2");
        // The active tab is still tab 2, with its SQL and its finished query's results.
        assertThat(tabs.nth(1).getByTestId("editor-tab-select")).hasAttribute("aria-selected", "true");
        assertThat(tabs.nth(1)).hasAttribute("data-query-id", secondQuery);
        assertThat(content).hasText("SELECT 'two' AS second_tab");
        awaitFinished("SUCCEEDED");
        assertThat(tid("grid-column")).hasAttribute("data-name", "second_tab");
        assertThat(tid("grid-cell")).hasText("two");

        // Tab 1 has its own SQL and no query.
        tabs.nth(0).getByTestId("editor-tab-select").click();
        assertThat(tabs.nth(0).getByTestId("editor-tab-select")).hasAttribute("aria-selected", "true");
        assertThat(content).hasText("SELECT 'one' AS first_tab");
        assertThat(sql()).isEqualTo("SELECT 'one' AS first_tab");
        assertThat(tabs.nth(0)).hasAttribute("data-query-id", "");
        assertThat(tid("result-grid")).isHidden();
        assertThat(tid("results-empty")).isVisible();
    }
}
