package io.sluice.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Request;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Retry in the error box runs the tab's SQL as it is now: edited SQL is a new query, unchanged SQL the same query again. */
class RetryUiTest extends UiTestSupport {

    @Test
    void retryAfterEditingRunsTheEditedSqlAndWithoutEditingRerunsTheSameQuery() {
        run("SELEC 1 AS fixed");
        awaitFinished("FAILED");
        String failedId = activeQueryId();

        // Edited: a new submit with the new text; the failed query is left as it was.
        setSql("SELECT 1 AS fixed");
        Request submit = page.waitForRequest(r -> r.method().equals("POST") && r.url().endsWith("/api/query"),
                () -> tid("notice-failed").getByTestId("retry-button").click());
        assertThat(submittedQuery(submit)).isEqualTo("SELECT 1 AS fixed");
        assertThat(page.locator("[data-testid=grid-column][data-name=fixed]")).isVisible();
        awaitFinished("SUCCEEDED");
        assertThat(tid("grid-cell")).hasText("1");
        assertThat(activeQueryId()).isNotEqualTo(failedId);
        assertThat(countRequests(r -> r.equals("POST /api/query/" + failedId + "/refresh"))).isZero();
        JsonNode failed = api.get("/api/query/" + failedId + "/status").data();
        assertThat(failed.path("state").asText()).isEqualTo("FAILED");
        assertThat(failed.path("run").asInt()).isEqualTo(1);

        // Unchanged: the same query id runs again.
        run("SELEC 2");
        awaitFinished("FAILED");
        String again = activeQueryId();
        tid("notice-failed").getByTestId("retry-button").click();
        page.waitForCondition(() -> countRequests(r -> r.equals("POST /api/query/" + again + "/refresh")) == 1);
        assertThat(countRequests(r -> r.equals("POST /api/query"))).isEqualTo(3);
        page.waitForCondition(() -> api.get("/api/query/" + again + "/status").data().path("run").asInt() == 2);
        awaitFinished("FAILED");
        assertThat(activeQueryId()).isEqualTo(again);
    }
}
