package io.sluice.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's bounds on results, as the editor shows them against the real server: a result cut
 * at the engine's row limit succeeds with a quiet notice (and a mark in History), a value longer
 * than the page's value budget shows its prefix, its size and a link to the whole value by its
 * absolute row, and pages cut short by their byte budget still lead to every row exactly once.
 */
class ResultLimitsUiTest extends UiTestSupport {

    static final int MAX_RESULT_ROWS = 500;
    static final int MAX_VALUE_BYTES = 1024;
    static final int MAX_PAGE_BYTES = 4096;
    /** A long value's filler; with its row number in front, each long value is different. */
    static final int LONG_VALUE_CHARS = 100_000;

    @Override
    protected TestServer startServer(Path dir) {
        return TestServer.start(dir, root -> {
            ((ObjectNode) root.path("engines").path("duckdb")).put("maxResultRows", MAX_RESULT_ROWS);
            ((ObjectNode) root.path("results")).put("maxValueBytes", MAX_VALUE_BYTES).put("maxPageBytes", MAX_PAGE_BYTES);
        }, Clock.systemUTC());
    }

    @Test
    void aResultPastTheRowLimitSucceedsWithAQuietNoticeInEitherLanguageAndIsMarkedInHistory() {
        String complete = api.submit("SELECT 1 AS one");
        runToResults("SELECT range AS n FROM range(1000)");
        String id = activeQueryId();

        // A notice, not an error: the query succeeded and its first rows are there.
        assertThat(tid("state-badge")).hasText("Succeeded");
        assertThat(tid("notice-error")).hasCount(0);
        assertThat(tid("notice-failed")).hasCount(0);
        Locator notice = tid("notice-truncated");
        assertThat(notice).isVisible();
        assertThat(notice).hasAttribute("role", "status");
        assertThat(notice).hasText("Only the first 500 rows were kept: the server stores at most 500 rows of a "
                + "result. Narrow the query (WHERE, LIMIT, GROUP BY) to see the rest.");
        assertThat(tid("row-count")).hasText("500 rows");
        assertThat(tid("grid-row")).hasCount(100);
        assertThat(tid("run-button")).isEnabled();
        JsonNode status = api.get("/api/query/" + id + "/status").data();
        assertThat(status.path("truncated").asBoolean()).isTrue();
        assertThat(status.path("truncation").path("reason").asText()).isEqualTo("MAX_RESULT_ROWS");
        assertThat(status.path("truncation").path("limit").asLong()).isEqualTo(MAX_RESULT_ROWS);

        // It stays while paging: it is about the whole result, not one page.
        tid("pager-next").click();
        assertThat(tid("pager-range")).hasText("rows 101–200 of 500");
        assertThat(notice).isVisible();

        tid("language-switch").selectOption("zh-CN");
        assertThat(notice).hasText("只保留了前 500 行：服务器最多保存结果的 500 行。缩小查询范围（WHERE、LIMIT、GROUP BY）可查看其余数据。");

        // History marks the cut result, and only it.
        tid("side-tab-history").click();
        Locator item = page.locator("[data-testid=history-item][data-query-id='" + id + "']");
        assertThat(item).hasAttribute("data-state", "SUCCEEDED");
        assertThat(item.getByTestId("history-truncated")).hasText("已截断");
        Locator completeItem = page.locator("[data-testid=history-item][data-query-id='" + complete + "']");
        assertThat(completeItem).isVisible();
        assertThat(completeItem.getByTestId("history-truncated")).hasCount(0);

        tid("language-switch").selectOption("en");
        assertThat(item.getByTestId("history-truncated")).hasText("truncated");
        assertThat(notice).hasText("Only the first 500 rows were kept: the server stores at most 500 rows of a "
                + "result. Narrow the query (WHERE, LIMIT, GROUP BY) to see the rest.");
    }

    @Test
    void aCutValueShowsItsPrefixAndSizeAndItsLinkServesTheWholeValueByAbsoluteRow() {
        // Every tenth row carries a long value: the page byte budget ends the first page early, so
        // the second page starts at a row number that is neither 0 nor a multiple of the page size.
        runToResults("SELECT n, CASE WHEN n % 10 = 3 THEN n::VARCHAR || ':' || repeat('x', " + LONG_VALUE_CHARS
                + ") ELSE 'v' || n::VARCHAR END AS payload FROM range(40) AS t(n) ORDER BY n");
        String id = activeQueryId();
        assertThat(tid("notice-truncated")).isHidden();

        // First page: row 3 is cut to the value budget, with its full size and the full-value link.
        Locator row3 = tid("grid-row").nth(3);
        assertThat(row3.getByTestId("grid-cell").first()).hasText("3");
        Locator cut = row3.locator("[data-testid=grid-cell][data-truncated=true]");
        assertThat(cut).hasCount(1);
        String prefix = "3:" + "x".repeat(MAX_VALUE_BYTES - 2);
        assertThat(cut.getByTestId("cell-prefix")).hasAttribute("title", prefix);
        assertThat(cut.getByTestId("cell-prefix")).hasText(prefix.substring(0, 300));
        assertThat(cut.getByTestId("cell-cut-marker")).hasText("… 97.7 KB");
        Locator link = cut.getByTestId("cell-full-value");
        assertThat(link).hasText("Full value");
        assertThat(link).hasAttribute("href", valuePath(id, 3, 1));
        assertThat(link).hasAttribute("target", "_blank");
        // Fetched as the browser would follow it (the href resolved against the page).
        APIResponse value = page.request().get((String) link.evaluate("a => a.href"));
        assertThat(value.status()).isEqualTo(200);
        assertThat(value.headers().get("x-sluice-value-type")).isEqualTo("string");
        assertThat(value.text()).isEqualTo(longValue(3));
        // Short values are not cut.
        assertThat(tid("grid-row").nth(2).locator("[data-truncated=true]")).hasCount(0);
        assertThat(tid("grid-row").nth(2).getByTestId("grid-cell").nth(1)).hasText("v2");

        // A later page: the link names the row's number in the whole result, not on the page.
        String firstPage = tid("pager-range").innerText();
        tid("pager-next").click();
        assertThat(tid("pager-range")).not().hasText(firstPage);
        assertThat(tid("grid-container")).hasAttribute("aria-busy", "false");
        Locator cutRow = page.locator("[data-testid=grid-row]:has([data-truncated=true])").first();
        assertThat(cutRow).isVisible();
        int onPage = ((Number) cutRow.evaluate("row => Array.from(row.parentElement.children).indexOf(row)")).intValue();
        long n = Long.parseLong(cutRow.getByTestId("grid-cell").first().innerText());
        assertThat(n).as("the cut value's row, %d on the second page", onPage).isGreaterThan(onPage).isEqualTo(3 + 10 * (n / 10));
        Locator laterLink = cutRow.getByTestId("cell-full-value");
        assertThat(laterLink).hasAttribute("href", valuePath(id, n, 1));

        // Following the link opens the whole value beside the editor.
        Page opened = page.waitForPopup(laterLink::click);
        try {
            opened.waitForLoadState();
            String text = opened.locator("body").textContent();
            assertThat(text).startsWith(n + ":xxx").hasSize(longValue(n).length()).isEqualTo(longValue(n));
        } finally {
            opened.close();
        }

        tid("language-switch").selectOption("zh-CN");
        assertThat(laterLink).hasText("完整值");
        assertThat(cutRow.getByTestId("cell-cut-marker")).hasText("… 共 97.7 KB");
    }

    @Test
    void pagesCutShortByTheirByteBudgetLeadOnByTheServersCursorToEveryRowOnce() {
        int rows = 60;
        // About 310 bytes of JSON a row: a 4 KiB page holds a dozen or so, far fewer than 100.
        runToResults("SELECT n, repeat('y', 300) AS pad FROM range(" + rows + ") AS t(n) ORDER BY n");
        assertThat(tid("notice-truncated")).isHidden();

        List<Long> seen = new ArrayList<>(shownNumbers());
        List<Integer> pageSizes = new ArrayList<>(List.of(seen.size()));
        List<String> nextRequests = new ArrayList<>();
        for (int pages = 1; tid("pager-next").isEnabled(); pages++) {
            assertThat(pages).as("pages followed").isLessThan(rows);
            String rangeBefore = tid("pager-range").innerText();
            Response answer = page.waitForResponse(r -> r.url().contains("/results?"), () -> tid("pager-next").click());
            nextRequests.add(answer.url());
            assertThat(tid("pager-range")).not().hasText(rangeBefore);
            assertThat(tid("grid-container")).hasAttribute("aria-busy", "false");
            List<Long> shown = shownNumbers();
            pageSizes.add(shown.size());
            seen.addAll(shown);
        }

        assertThat(pageSizes).as("rows on each page").hasSizeGreaterThan(1).allMatch(size -> size > 0 && size < 100);
        assertThat(nextRequests).allMatch(url -> url.contains("cursor=") && !url.contains("offset="));
        assertThat(seen).as("every row, in order, exactly once")
                .containsExactlyElementsOf(LongStream.range(0, rows).boxed().toList());
        assertThat(tid("pager-range")).hasText("rows " + (rows - pageSizes.get(pageSizes.size() - 1) + 1) + "–" + rows
                + " of " + rows);
        assertThat(tid("pager-page-input")).hasValue(String.valueOf(pageSizes.size()));
    }

    /** The first column of every row on show, as numbers. */
    private List<Long> shownNumbers() {
        @SuppressWarnings("unchecked")
        List<String> cells = (List<String>) page.evaluate("() => Array.from(document.querySelectorAll("
                + "'[data-testid=grid-row]'), row => row.querySelector('[data-testid=grid-cell]').textContent)");
        return cells.stream().map(Long::parseLong).toList();
    }

    private static String valuePath(String id, long row, int column) {
        return "/api/query/" + id + "/value?row=" + row + "&column=" + column;
    }

    private static String longValue(long n) {
        return n + ":" + "x".repeat(LONG_VALUE_CHARS);
    }
}
