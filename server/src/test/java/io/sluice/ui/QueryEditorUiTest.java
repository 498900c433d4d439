package io.sluice.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.BoundingBox;
import io.sluice.testing.Queries;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The editor's main flows in a real headless Chromium against a real Sluice (DuckDB, sample data):
 * run → results → page 2; NULL versus empty text; cancel; a syntax error; the download link.
 */
class QueryEditorUiTest extends UiTestSupport {

    @Test
    void runShowsResultsWithTypesAndPageTwoHoldsRows101To200() {
        String sql = "SELECT * FROM events ORDER BY event_id";
        run(sql);
        // While it runs or is submitted, Run is disabled; afterwards the grid shows page 1.
        awaitFinished("SUCCEEDED");
        assertThat(tid("result-grid")).isVisible();
        assertThat(tid("row-count")).containsText("100,000");
        assertThat(tid("pager-range")).containsText("1–100");
        assertThat(tid("grid-row")).hasCount(100);
        assertThat(tid("run-button")).isEnabled();

        // What the API says the data is: columns with their types, and rows 101–200.
        String id = activeQueryId();
        // The completion time is the API's, in the browser's time zone (UTC here) and language.
        Instant completedAt = Instant.parse(api.get("/api/query/" + id + "/status").data().path("completedAt").asText());
        assertThat(tid("completed-at")).hasText("completed " + DateTimeFormatter.ofPattern("MM/dd/yyyy, HH:mm:ss")
                .withZone(ZoneOffset.UTC).format(completedAt));
        JsonNode page2 = api.get("/api/query/" + id + "/results?offset=100&limit=100").data();
        assertThat(page2.path("rows")).hasSize(100);

        // Column names and types in the header, as the engine reported them.
        Locator columns = tid("grid-column");
        JsonNode apiColumns = page2.path("columns");
        assertThat(columns).hasCount(apiColumns.size());
        for (int i = 0; i < apiColumns.size(); i++) {
            String name = apiColumns.get(i).path("name").asText();
            String type = apiColumns.get(i).path("type").asText();
            assertThat(columns.nth(i)).hasAttribute("data-name", name);
            assertThat(columns.nth(i)).hasAttribute("data-type", type);
            assertThat(columns.nth(i)).containsText(name);
            assertThat(columns.nth(i).getByTestId("grid-column-type")).hasText(type);
        }
        assertThat(columns.nth(0)).hasAttribute("data-name", "event_id");
        assertThat(columns.nth(0)).hasAttribute("data-type", "bigint");

        // Page 2: rows 101–200, row numbers and values checked against the data.
        tid("pager-next").click();
        assertThat(tid("pager-range")).containsText("101–200");
        assertThat(tid("pager-page-input")).hasValue("2");
        Locator rows = tid("grid-row");
        assertThat(rows).hasCount(100);
        assertThat(rows.first().locator("th")).hasText("101");
        assertThat(rows.last().locator("th")).hasText("200");
        for (int r : new int[]{0, 1, 57, 99}) {
            List<String> expected = new ArrayList<>();
            page2.path("rows").get(r).forEach(v -> expected.add(v.isNull() ? "NULL" : v.asText()));
            assertThat(rowCells(r)).as("row %d of page 2", 101 + r).isEqualTo(expected);
        }
        // The sample data: event_id counts from 0, so row 101 holds event 100 and row 200 event 199.
        assertThat(rows.first().getByTestId("grid-cell").first()).hasText("100");
        assertThat(rows.last().getByTestId("grid-cell").first()).hasText("199");

        // And back.
        tid("pager-prev").click();
        assertThat(tid("pager-range")).containsText("1–100");
        assertThat(rows.first().locator("th")).hasText("1");
    }

    @Test
    void nullIsShownDifferentlyFromEmptyText() {
        runToResults("""
                SELECT * FROM (VALUES (1, 'text', NULL), (2, '', 'NULL'), (3, NULL, ''))
                  AS t(id, a, b) ORDER BY id""");
        Locator rows = tid("grid-row");
        assertThat(rows).hasCount(3);
        Locator nullCell = rows.nth(2).getByTestId("grid-cell").nth(1);
        Locator emptyCell = rows.nth(1).getByTestId("grid-cell").nth(1);
        Locator nullText = rows.nth(1).getByTestId("grid-cell").nth(2);

        // SQL NULL: a NULL badge, marked data-null.
        assertThat(nullCell).hasAttribute("data-null", "true");
        assertThat(nullCell.getByTestId("null-value")).isVisible();
        assertThat(nullCell.getByTestId("null-value")).hasText("NULL");
        assertThat(nullCell.getByTestId("empty-value")).hasCount(0);

        // The empty string: an empty cell, marked data-empty, no NULL badge.
        assertThat(emptyCell).hasAttribute("data-empty", "true");
        assertThat(emptyCell).not().hasAttribute("data-null", "true");
        assertThat(emptyCell.getByTestId("null-value")).hasCount(0);
        assertThat(emptyCell.getByTestId("empty-value")).hasCount(1);
        assertThat(emptyCell).hasText("");

        // The text 'NULL' is plain text, not the badge.
        assertThat(nullText).hasText("NULL");
        assertThat(nullText.getByTestId("null-value")).hasCount(0);
        assertThat(nullText).not().hasAttribute("data-null", "true");

        // The badge looks different from text (its own style), and the same on the other column.
        String badgeStyle = computedStyle(nullCell.getByTestId("null-value"), "font-style")
                + computedStyle(nullCell.getByTestId("null-value"), "color");
        String textStyle = computedStyle(nullText, "font-style") + computedStyle(nullText, "color");
        assertThat(badgeStyle).isNotEqualTo(textStyle);
        assertThat(rows.nth(0).getByTestId("grid-cell").nth(2)).hasAttribute("data-null", "true");
        assertThat(rows.nth(2).getByTestId("grid-cell").nth(2)).hasAttribute("data-empty", "true");
    }

    @Test
    void cancelShowsAYellowNoticeAndRunIsUsableAgainWithinTwoSeconds() {
        run(Queries.LONG_RUNNING);
        Locator cancel = tid("cancel-button");
        assertThat(cancel).isVisible();
        assertThat(cancel).isEnabled();
        assertThat(tid("run-button")).isDisabled();
        assertThat(tid("spinner")).isVisible();
        assertThat(tid("running-text")).hasText("Running…");
        assertThat(tid("elapsed")).isVisible();
        String id = activeQueryId();
        Queries.awaitState(api, id, "RUNNING");

        // Live statistics: queue time in seconds with two decimals; the elapsed time grows.
        assertThat(tid("stat-queue")).hasText(Pattern.compile("^\\d+\\.\\d{2} s$"));
        assertThat(tid("elapsed")).hasText(Pattern.compile("^elapsed \\d+\\.\\d s$"));
        double elapsed = elapsedSeconds();
        page.waitForCondition(() -> elapsedSeconds() >= elapsed + 0.3);

        // A double click: the first click disables the button at once, the second does nothing.
        // The page notes when Run becomes enabled again, measured from the first click.
        long started = System.nanoTime();
        @SuppressWarnings("unchecked")
        Map<String, Object> afterFirstClick = (Map<String, Object>) page.evaluate("""
                () => {
                  const cancel = document.querySelector('[data-testid=cancel-button]');
                  const run = document.querySelector('[data-testid=run-button]');
                  const t0 = performance.now();
                  window.__runUsableAfterMs = null;
                  new MutationObserver((_, observer) => {
                    if (!run.disabled) {
                      window.__runUsableAfterMs = performance.now() - t0;
                      observer.disconnect();
                    }
                  }).observe(run, { attributes: true, attributeFilter: ['disabled'] });
                  cancel.click();
                  const state = { disabled: cancel.disabled, text: cancel.textContent.trim() };
                  cancel.click();
                  return state;
                }""");
        assertThat(afterFirstClick.get("disabled")).as("Cancel disabled right after the first click").isEqualTo(true);
        assertThat((String) afterFirstClick.get("text")).isEqualTo("Cancelling…");

        page.waitForFunction("() => !document.querySelector('[data-testid=run-button]').disabled");
        long usableAfterMs = (System.nanoTime() - started) / 1_000_000;
        double inPageMs = ((Number) page.evaluate("() => window.__runUsableAfterMs")).doubleValue();
        LOG.info("cancel: Run usable again after {} ms (page), {} ms (test, incl. round trips)",
                Math.round(inPageMs), usableAfterMs);
        assertThat(inPageMs).as("ms from the Cancel click until Run is enabled (in the page)").isLessThan(2000);
        assertThat(usableAfterMs).as("ms from the Cancel click until Run is enabled (seen by the test)").isLessThan(2000);

        // The yellow notice, with the code, and Retry.
        Locator notice = tid("notice-cancelled");
        assertThat(notice).isVisible();
        assertThat(notice).hasAttribute("data-message-code", "QUERY_CANCELLED");
        assertThat(notice.getByTestId("notice-title")).hasText("The query was cancelled.");
        assertThat(notice.getByTestId("retry-button")).isVisible();
        double hue = hue(computedStyle(notice, "background-color"));
        assertThat(hue).as("hue of the cancelled notice's background (yellow)").isBetween(45.0, 65.0);
        assertThat(tid("query-status")).hasAttribute("data-state", "CANCELLED");
        assertThat(tid("state-badge")).hasText("Cancelled");
        assertThat(cancel).isHidden();
        assertThat(tid("spinner")).isHidden();
        // The focus did not fall to <body> when Cancel hid: it is on Retry.
        assertThat(notice.getByTestId("retry-button")).isFocused();

        // One cancel request reached the server, and the server agrees.
        assertThat(countRequests(r -> r.equals("POST /api/query/" + id + "/cancel"))).isEqualTo(1);
        assertThat(api.state(id)).isEqualTo("CANCELLED");

        // Retry runs the same query again (a refresh of the same id), and it can be cancelled again.
        notice.getByTestId("retry-button").click();
        assertThat(cancel).isVisible();
        assertThat(tid("notice-cancelled")).isHidden();
        Queries.awaitState(api, id, "RUNNING");
        assertThat(countRequests(r -> r.equals("POST /api/query/" + id + "/refresh"))).isEqualTo(1);
        cancel.click();
        assertThat(tid("notice-cancelled")).isVisible();
        assertThat(tid("run-button")).isEnabled();

        // Run is usable: a new query runs to its results.
        runToResults("SELECT 7 AS after_cancel");
        assertThat(tid("grid-column")).hasAttribute("data-name", "after_cancel");
        assertThat(tid("grid-cell")).hasText("7");
    }

    @Test
    void syntaxErrorShowsARedNoticeWithTheEnginesMessageAndRetry() {
        run("SELEC 1");
        awaitFinished("FAILED");
        Locator notice = tid("notice-failed");
        assertThat(notice).isVisible();
        assertThat(notice).hasAttribute("data-message-code", "SYNTAX_ERROR");
        assertThat(notice.getByTestId("notice-title")).hasText("The query failed.");

        // The engine's own message, exactly as the API reports it.
        String id = activeQueryId();
        JsonNode error = api.get("/api/query/" + id + "/status").data().path("error");
        assertThat(error.path("code").asText()).isEqualTo("SYNTAX_ERROR");
        String engineMessage = error.path("message").asText();
        assertThat(engineMessage).contains("syntax error").contains("SELEC");
        assertThat(notice.getByTestId("notice-detail")).hasText(engineMessage);

        // Red: the danger colours.
        assertThat(hue(computedStyle(notice, "color"))).as("hue of the failed notice's text").satisfiesAnyOf(
                h -> assertThat(h).isLessThan(15.0), h -> assertThat(h).isGreaterThan(345.0));
        assertThat(hue(computedStyle(notice, "background-color"))).as("hue of the failed notice's background")
                .satisfiesAnyOf(h -> assertThat(h).isLessThan(15.0), h -> assertThat(h).isGreaterThan(345.0));
        assertThat(tid("result-grid")).isHidden();
        assertThat(tid("run-button")).isEnabled();

        // Retry reruns the same statement (refresh of the same id); it fails again the same way.
        notice.getByTestId("retry-button").click();
        page.waitForCondition(() -> countRequests(r -> r.equals("POST /api/query/" + id + "/refresh")) == 1);
        awaitFinished("FAILED");
        assertThat(tid("notice-failed")).isVisible();
        assertThat(tid("notice-failed")).hasAttribute("data-message-code", "SYNTAX_ERROR");
        assertThat(tid("notice-failed").getByTestId("notice-detail")).hasText(engineMessage);
        assertThat(api.get("/api/query/" + id + "/status").data().path("run").asInt()).isEqualTo(2);
    }

    @Test
    void downloadLinkDeliversTheWholeResultAsCsv() throws IOException {
        // 250 rows (three pages), with NULL, empty text, quotes and commas.
        runToResults("""
                SELECT n, CASE WHEN n % 3 = 0 THEN NULL WHEN n % 3 = 1 THEN '' ELSE 'v "' || n || '", ok' END AS s
                FROM range(250) AS t(n) ORDER BY n""");
        assertThat(tid("row-count")).containsText("250");
        String id = activeQueryId();

        Locator button = tid("download-button");
        assertThat(button).isVisible();
        Download download = page.waitForDownload(button::click);
        assertThat(download.failure()).isNull();
        assertThat(download.suggestedFilename()).isEqualTo("sluice-" + id + ".csv");
        assertThat(download.url()).startsWith(baseUrl + "api/files/");

        // The page's link: same origin, a download attribute, the file name.
        Locator link = tid("download-link");
        assertThat(link).isVisible();
        assertThat(link).hasAttribute("href", java.util.regex.Pattern.compile("^/api/files/.+"));
        assertThat(link).hasAttribute("download", "sluice-" + id + ".csv");
        assertThat(link).hasAttribute("data-partial", "false");
        assertThat(link).containsText("sluice-" + id + ".csv");
        assertThat(tid("download-expires")).isVisible();
        assertThat(tid("download-partial")).isHidden();

        StringBuilder expected = new StringBuilder("\"n\",\"s\"\n");
        for (int n = 0; n < 250; n++) {
            String s = n % 3 == 0 ? "" : n % 3 == 1 ? "\"\"" : "\"v \"\"" + n + "\"\", ok\"";
            expected.append('"').append(n).append("\",").append(s).append('\n');
        }
        String csv = Files.readString(download.path(), StandardCharsets.UTF_8);
        assertThat(csv).isEqualTo(expected.toString());

        // The same link works from the page's own origin (cookies, headers) through the request API.
        var response = page.request().get(baseUrl + link.getAttribute("href").substring(1));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("content-type")).startsWith("text/csv");
        assertThat(response.text()).isEqualTo(expected.toString());
    }

    @Test
    void formatButtonFormatsTheWholeTextAndTheShortcutOnlyTheSelection() {
        setSql("select a, count(*) as n from events where b = 1 group by a");
        tid("format-button").click();
        page.waitForCondition(() -> sql().equals(
                "SELECT\n  a,\n  count(*) AS n\nFROM\n  events\nWHERE\n  b = 1\nGROUP BY\n  a\n"));
        assertThat(content()).containsText("GROUP BY");
        assertThat(content()).isFocused();

        // Shift+Alt+F with line 2 selected: only line 2 changes, its ';' inside a string kept.
        setSql("select 1 as one;\nselect x from t where y = 'a;b';\n");
        content().click();
        page.keyboard().press("Control+Home");
        page.keyboard().press("ArrowDown");
        page.keyboard().press("Shift+End");
        page.keyboard().press("Shift+Alt+F");
        page.waitForCondition(() -> sql().equals(
                "select 1 as one;\nSELECT\n  x\nFROM\n  t\nWHERE\n  y = 'a;b';\n"));
    }

    @Test
    void ctrlEnterRunsTheStatementUnderTheCursorOrTheSelection() {
        setSql("SELECT 1 AS a;\nSELECT 2 AS b;");
        content().click();
        page.keyboard().press("Control+End");
        Request second = page.waitForRequest(r -> r.method().equals("POST") && r.url().endsWith("/api/query"),
                () -> page.keyboard().press("Control+Enter"));
        assertThat(submittedQuery(second)).isEqualTo("SELECT 2 AS b");
        awaitFinished("SUCCEEDED");
        assertThat(tid("grid-column")).hasCount(1);
        assertThat(tid("grid-column")).hasAttribute("data-name", "b");
        assertThat(tid("grid-cell")).hasText("2");

        // A selection runs as it is (its one trailing ';' left out).
        page.keyboard().press("Control+Home");
        page.keyboard().press("Shift+End");
        Request first = page.waitForRequest(r -> r.method().equals("POST") && r.url().endsWith("/api/query"),
                () -> page.keyboard().press("Control+Enter"));
        assertThat(submittedQuery(first)).isEqualTo("SELECT 1 AS a");
        assertThat(tid("grid-column")).hasAttribute("data-name", "a");
        assertThat(tid("grid-cell")).hasText("1");
    }

    @Test
    void autocompleteOffersTablesAndColumnsFromTheCatalog() {
        content().click();
        page.keyboard().press("Control+A");
        page.keyboard().type("SELECT * FROM ev");
        page.keyboard().press("Control+Space");
        Locator events = completion("events");
        assertThat(events).isVisible();
        events.click();
        assertThat(content()).hasText("SELECT * FROM events");
        assertThat(sql()).isEqualTo("SELECT * FROM events");

        // A column of the table the statement names, with its table and type beside it.
        setSql("SELECT  FROM events");
        content().click();
        page.keyboard().press("Control+Home");
        for (int i = 0; i < "SELECT ".length(); i++) {
            page.keyboard().press("ArrowRight");
        }
        page.keyboard().type("event_t");
        page.keyboard().press("Control+Space");
        Locator eventType = completion("event_type");
        assertThat(eventType).isVisible();
        assertThat(eventType.locator(".cm-completionDetail"))
                .hasText(Pattern.compile("^events · varchar$", Pattern.CASE_INSENSITIVE));
        eventType.click();
        assertThat(sql()).isEqualTo("SELECT event_type FROM events");
    }

    @Test
    void aLongValueKeepsItsCellNarrowAndOpensInFull() {
        runToResults("SELECT repeat('x', 5000) AS long_text, 1 AS n");
        Locator cell = tid("grid-cell").first();
        BoundingBox box = cell.boundingBox();
        assertThat(box.width).as("width of the long value's cell").isLessThanOrEqualTo(330);
        assertThat(box.height).as("height of the long value's cell").isLessThan(40);
        assertThat(tid("grid-cell").nth(1)).isVisible();
        assertThat(overflowsHorizontally()).as("the page scrolls sideways").isFalse();

        cell.getByTestId("cell-expand").click();
        Locator dialog = tid("value-dialog");
        assertThat(dialog).isVisible();
        assertThat(tid("value-dialog-title")).containsText("long_text");
        assertThat((Integer) tid("value-dialog-text").evaluate("el => el.textContent.length")).isEqualTo(5000);
        assertThat(tid("value-dialog-text").textContent()).isEqualTo("x".repeat(5000));
        tid("value-dialog-close").click();
        assertThat(dialog).isHidden();
    }

    @Test
    void theKeyboardAloneRunsAndCancelsAndTheFocusStaysVisibleAndInPlace() {
        // Tab: the skip link comes first and is shown; Enter jumps into the editor.
        page.keyboard().press("Tab");
        Locator skip = tid("skip-link");
        assertThat(skip).isFocused();
        assertThat(skip.boundingBox().y).as("the focused skip link is on screen").isGreaterThanOrEqualTo(0);
        page.keyboard().press("Enter");
        assertThat(content()).isFocused();
        page.keyboard().press("Control+A");
        page.keyboard().type("SELECT 1 AS k");
        page.keyboard().press("Control+Enter");
        awaitFinished("SUCCEEDED");
        assertThat(tid("grid-column")).hasAttribute("data-name", "k");

        // Escape, Tab leaves the editor (Tab alone indents) for Run, with a visible focus ring.
        // (A first Escape closes the completion list that typing opened.)
        content().click();
        page.keyboard().press("Escape");
        assertThat(page.locator(".cm-tooltip-autocomplete")).hasCount(0);
        page.keyboard().press("Escape");
        page.keyboard().press("Tab");
        Locator run = tid("run-button");
        assertThat(run).isFocused();
        assertThat((Boolean) run.evaluate("el => el.matches(':focus-visible')")).isTrue();
        assertThat(computedStyle(run, "outline-style")).isNotEqualTo("none");
        assertThat(computedStyle(run, "outline-width")).isNotEqualTo("0px");

        // Enter runs; the focus moves to Cancel; Enter cancels; the focus lands on Retry, not <body>.
        setSql(Queries.LONG_RUNNING);
        page.keyboard().press("Enter");
        Locator cancel = tid("cancel-button");
        assertThat(cancel).isFocused();
        page.keyboard().press("Enter");
        assertThat(tid("notice-cancelled")).isVisible();
        assertThat(cancel).isHidden();
        Locator retry = tid("retry-button");
        assertThat(retry).isFocused();
        assertThat((Boolean) retry.evaluate("el => el.matches(':focus-visible')")).isTrue();

        // Retry by keyboard: running again, the focus is on Cancel again.
        page.keyboard().press("Enter");
        assertThat(cancel).isFocused();
        page.keyboard().press("Enter");
        assertThat(tid("notice-cancelled")).isVisible();
        assertThat(retry).isFocused();
    }

    private Locator content() {
        return page.locator("[data-testid=editor] .cm-content");
    }

    /** The autocomplete option whose label is exactly {@code label} (a plain name: no regex characters). */
    private Locator completion(String label) {
        return page.locator(".cm-tooltip-autocomplete li").filter(new Locator.FilterOptions()
                .setHas(page.locator(".cm-completionLabel", new com.microsoft.playwright.Page.LocatorOptions()
                        .setHasText(Pattern.compile("^" + label + "$")))));
    }

    /** The seconds of "elapsed 1.2 s". */
    private double elapsedSeconds() {
        String text = tid("elapsed").textContent();
        java.util.regex.Matcher m = Pattern.compile("([0-9.]+) s").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
