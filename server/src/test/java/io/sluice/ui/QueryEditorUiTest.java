package io.sluice.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import io.sluice.testing.ApiClient;
import io.sluice.testing.Queries;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
}
