package io.sluice.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Locator;
import io.sluice.testing.Queries;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** A query past the engine's maximum run time (1 s here) ends with its own, orange, notice. */
class TimeoutUiTest extends UiTestSupport {

    @Override
    protected TestServer startServer(Path dir) {
        return TestServer.start(dir, root -> ((ObjectNode) root.path("engines").path("duckdb"))
                .put("maxRuntimeSeconds", 1), Clock.systemUTC());
    }

    @Test
    void aQueryPastItsMaximumRunTimeShowsTheTimedOutNoticeWithRetry() {
        run(Queries.LONG_RUNNING);
        assertThat(tid("cancel-button")).isVisible();
        String id = activeQueryId();

        awaitFinished("TIMED_OUT");
        Locator notice = tid("notice-timed-out");
        assertThat(notice).isVisible();
        assertThat(notice).hasAttribute("data-message-code", "QUERY_TIMED_OUT");
        assertThat(notice.getByTestId("notice-title")).hasText("The query timed out.");
        assertThat(notice.getByTestId("retry-button")).isVisible();
        assertThat(tid("notice-cancelled")).hasCount(0);
        assertThat(tid("notice-failed")).hasCount(0);
        assertThat(tid("state-badge")).hasText("Timed out");
        // Orange: between the red of a failure and the yellow of a cancellation.
        assertThat(hue(computedStyle(notice, "background-color"))).isBetween(20.0, 42.0);
        assertThat(tid("cancel-button")).isHidden();
        assertThat(tid("run-button")).isEnabled();
        assertThat(api.state(id)).isEqualTo("TIMED_OUT");

        // Retry runs it again; it times out again.
        notice.getByTestId("retry-button").click();
        page.waitForCondition(() -> countRequests(r -> r.equals("POST /api/query/" + id + "/refresh")) == 1);
        awaitFinished("TIMED_OUT");
        assertThat(tid("notice-timed-out")).isVisible();
        assertThat(api.get("/api/query/" + id + "/status").data().path("run").asInt()).isEqualTo(2);
    }
}
