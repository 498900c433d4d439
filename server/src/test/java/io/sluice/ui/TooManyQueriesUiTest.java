package io.sluice.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Response;
import io.sluice.testing.Queries;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user with as many queries waiting as the server allows (one here, behind a single worker busy
 * with a long query) is refused a new one with 429 TOO_MANY_QUERIES: the editor says so in its own
 * language and keeps the result on show; once the queue moves, Retry submits the query.
 */
class TooManyQueriesUiTest extends UiTestSupport {

    static final String EN = "You have as many queries waiting as allowed: wait for some to start or cancel some, then try again";
    static final String ZH = "你排队等待的查询已达上限：请等其中一些开始运行或取消一些后再试";

    @Override
    protected TestServer startServer(Path dir) {
        return TestServer.start(dir, root -> ((ObjectNode) root.path("queries"))
                .put("workers", 1).put("maxQueuedPerUser", 1), Clock.systemUTC());
    }

    @Test
    void aSubmitPastTheQueueLimitShowsTheNoticeInTheUsersLanguageAndKeepsTheResultOnShow() {
        runToResults("SELECT 42 AS answer");
        String shownId = activeQueryId();
        assertThat(tid("grid-row").first().getByTestId("grid-cell")).hasText("42");

        // The only worker is busy and the one query allowed to wait is waiting.
        String running = api.submit(Queries.LONG_RUNNING);
        Queries.awaitState(api, running, "RUNNING");
        String waiting = api.submit("SELECT 1 AS waiting");
        // Cancelled in this order, the waiting query never gets the worker.
        List<String> blockers = List.of(waiting, running);
        try {
            assertThat(api.state(waiting)).isEqualTo("QUEUED");

            setSql("SELECT 7 AS seven");
            Response refused = page.waitForResponse(r -> r.url().endsWith("/api/query") && "POST".equals(r.request().method()),
                    () -> tid("run-button").click());
            assertThat(refused.status()).isEqualTo(429);

            Locator notice = tid("notice-error");
            assertThat(notice).isVisible();
            assertThat(notice).hasAttribute("data-message-code", "TOO_MANY_QUERIES");
            assertThat(notice.getByTestId("notice-title")).hasText("The request failed.");
            assertThat(notice.getByTestId("notice-message")).hasText(EN);
            assertThatTheResultStays(shownId);

            // In Chinese, pressing Run again: the same refusal, worded in Chinese only.
            tid("language-switch").selectOption("zh-CN");
            assertThat(notice.getByTestId("notice-message")).hasText(ZH);
            Response again = page.waitForResponse(r -> r.url().endsWith("/api/query") && "POST".equals(r.request().method()),
                    () -> tid("run-button").click());
            assertThat(again.status()).isEqualTo(429);
            assertThat(notice).hasAttribute("data-message-code", "TOO_MANY_QUERIES");
            assertThat(notice.getByTestId("notice-title")).hasText("请求出错。");
            assertThat(notice.getByTestId("notice-message")).hasText(ZH);
            assertThat(notice.innerText()).doesNotContainPattern("[A-Za-z]{2,}");
            assertThatTheResultStays(shownId);
        } finally {
            blockers.forEach(id -> api.post("/api/query/" + id + "/cancel"));
        }
        blockers.forEach(id -> assertThat(Queries.awaitEnd(api, id)).isEqualTo("CANCELLED"));

        // The queue is free again: Retry submits the SQL that was refused.
        tid("notice-error").getByTestId("retry-button").click();
        awaitFinished("SUCCEEDED");
        assertThat(tid("grid-row").first().getByTestId("grid-cell")).hasText("7");
        assertThat(activeQueryId()).isNotEqualTo(shownId);
        assertThat(tid("notice-error")).hasCount(0);
    }

    private void assertThatTheResultStays(String shownId) {
        assertThat(tid("run-button")).isEnabled();
        assertThat(tid("query-status")).hasAttribute("data-state", "SUCCEEDED");
        assertThat(tid("result-grid")).isVisible();
        assertThat(tid("grid-column")).hasAttribute("data-name", "answer");
        assertThat(tid("grid-row").first().getByTestId("grid-cell")).hasText("42");
        assertThat(activeQueryId()).isEqualTo(shownId);
    }
}
