package io.sluice.ui;

import com.microsoft.playwright.Request;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result page may hold fewer rows than asked for (the server bounds a page's bytes too), so the
 * editor reaches the next page only by the server's cursor and stops where the server gives none.
 */
class ResultPagingUiTest extends UiTestSupport {

    @Test
    void nextFollowsTheServersCursorAndStopsWhereTheServerGivesNone() {
        runToResults("SELECT n FROM range(250) AS t(n) ORDER BY n");
        assertThat(tid("pager-range")).containsText("1–100");

        Request next = page.waitForRequest(r -> r.url().contains("/results?"), () -> tid("pager-next").click());
        assertThat(next.url()).contains("cursor=").doesNotContain("offset=");
        assertThat(tid("pager-range")).containsText("101–200");

        tid("pager-next").click();
        assertThat(tid("pager-range")).containsText("201–250");
        assertThat(tid("grid-row")).hasCount(50);
        assertThat(tid("pager-next")).isDisabled();
        assertThat(tid("pager-page-input")).hasValue("3");

        // Back to the page seen before, by the cursor that led to it.
        Request prev = page.waitForRequest(r -> r.url().contains("/results?"), () -> tid("pager-prev").click());
        assertThat(prev.url()).contains("cursor=");
        assertThat(tid("pager-range")).containsText("101–200");
        assertThat(tid("grid-row").first().locator("th")).hasText("101");
    }
}
