package io.sluice.ui;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Request;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The result grid sorts by a column's header and filters from its bar, and charts the result grouped
 * and measured, all computed by the server over the stored result (the query is not run again), and
 * downloads the whole result as Parquet or JSON lines as well as CSV.
 */
class ResultViewUiTest extends UiTestSupport {

    private static final String SQL = "SELECT n, 'v' || n AS label FROM range(250) AS t(n) ORDER BY n";

    @Test
    void aHeaderSortsAndTheBarFiltersTheStoredResultWithoutRunningTheQueryAgain() {
        runToResults(SQL);
        long submits = countRequests(r -> r.equals("POST /api/query"));

        // The header of n: ascending, then descending.
        Locator sortN = tid("grid-sort").first();
        sortN.click();
        assertThat(tid("grid-column").first()).hasAttribute("aria-sort", "ascending");
        Request descending = page.waitForRequest(r -> r.url().contains("/results?"), sortN::click);
        assertThat(URLDecoder.decode(descending.url(), StandardCharsets.UTF_8)).contains("sort=#0:desc");
        assertThat(tid("grid-column").first()).hasAttribute("aria-sort", "descending");
        assertThat(firstCell()).hasText("249");
        assertThat(tid("sort-chip")).containsText("n");

        // A filter on label, within the sort: 13 of the 250 labels hold "24".
        tid("filter-column").selectOption("1");
        tid("filter-op").selectOption("contains");
        tid("filter-value").fill("24");
        tid("filter-add").click();
        assertThat(tid("filter-chip")).containsText("label");
        assertThat(tid("row-count")).hasText("13 of 250 rows");
        assertThat(tid("grid-row")).hasCount(13);
        assertThat(firstCell()).hasText("249");

        // The sort's chip removed: the stored result's own order, the filter kept.
        tid("sort-chip-remove").click();
        assertThat(tid("sort-chip")).hasCount(0);
        assertThat(firstCell()).hasText("24");
        assertThat(tid("grid-row")).hasCount(13);

        // A value not of its column's type is refused by the server, which says so; the view stays.
        tid("filter-column").selectOption("0");
        tid("filter-op").selectOption("gt");
        tid("filter-value").fill("abc");
        tid("filter-add").click();
        assertThat(tid("notice-error")).isVisible();
        assertThat(tid("filter-value")).hasValue("abc"); // kept, to be corrected
        assertThat(tid("filter-chip")).hasCount(1);
        assertThat(tid("grid-row")).hasCount(13);

        // Back to the whole result.
        tid("filter-chip-remove").click();
        assertThat(tid("row-count")).containsText("250");
        assertThat(tid("grid-row")).hasCount(100);
        assertThat(countRequests(r -> r.equals("POST /api/query"))).isEqualTo(submits);
    }

    @Test
    void theWholeResultDownloadsAsParquetAndAsJsonLines() throws Exception {
        runToResults(SQL);
        String id = activeQueryId();

        tid("download-format").selectOption("parquet");
        Download parquet = page.waitForDownload(tid("download-button")::click);
        assertThat(parquet.failure()).isNull();
        assertThat(parquet.suggestedFilename()).isEqualTo("sluice-" + id + ".parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rs = duck.createStatement().executeQuery(
                     "SELECT count(*), max(n), min(label) FROM read_parquet('" + parquet.path() + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(250);
            assertThat(rs.getLong(2)).isEqualTo(249);
            assertThat(rs.getString(3)).isEqualTo("v0");
        }

        tid("download-format").selectOption("jsonl");
        assertThat(tid("download-link")).isHidden(); // the Parquet link is not offered as JSON lines
        Download jsonl = page.waitForDownload(tid("download-button")::click);
        assertThat(jsonl.suggestedFilename()).isEqualTo("sluice-" + id + ".jsonl");
        assertThat(lines(jsonl)).hasSize(250).startsWith("{\"n\":0,\"label\":\"v0\"}");
    }

    @Test
    void aChartGroupsAndMeasuresTheStoredResultWithTheGridsFilters() {
        runToResults("SELECT n % 3 AS g, n FROM range(250) AS t(n)");
        long submits = countRequests(r -> r.equals("POST /api/query"));
        tid("chart-toggle").click();
        tid("chart-group-by").selectOption("0");
        tid("chart-measure").selectOption("sum:#1");
        Request drawn = page.waitForRequest(r -> r.url().contains("/aggregate?"), tid("chart-draw")::click);
        assertThat(URLDecoder.decode(drawn.url(), StandardCharsets.UTF_8)).contains("groupBy=#0").contains("measures=sum:#1");
        assertThat(tid("chart-canvas")).hasAttribute("aria-label", "Sum of n: 0 10,458, 1 10,292, 2 10,375");
        assertThat(tid("chart-canvas").locator("svg")).isVisible();

        // A filter in the grid redraws the chart with it.
        tid("filter-column").selectOption("1");
        tid("filter-op").selectOption("lt");
        tid("filter-value").fill("10");
        tid("filter-add").click();
        assertThat(tid("chart-canvas")).hasAttribute("aria-label", "Sum of n: 0 18, 1 12, 2 15");
        assertThat(countRequests(r -> r.equals("POST /api/query"))).isEqualTo(submits);
    }

    private Locator firstCell() {
        return tid("grid-row").first().locator("[data-testid=grid-cell]").first();
    }

    private static java.util.List<String> lines(Download download) throws IOException {
        return Files.readAllLines(download.path(), StandardCharsets.UTF_8);
    }
}
