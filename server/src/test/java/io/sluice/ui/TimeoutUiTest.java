package io.sluice.ui;

import com.fasterxml.jackson.databind.JsonNode;
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
        // Sluice's own error: worded from its code and limit, no server text beside it.
        assertThat(notice.getByTestId("notice-message"))
                .hasText("The query ran longer than its limit of 1 s and was stopped");
        assertThat(notice.getByTestId("notice-detail")).hasCount(0);
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

    @Test
    void aChineseUserReadsTheTimeOutInChineseOnly() {
        tid("language-switch").selectOption("zh-CN");
        assertThat(tid("run-button")).containsText("运行");
        run(Queries.LONG_RUNNING);
        assertThat(tid("cancel-button")).isVisible();
        String id = activeQueryId();
        awaitFinished("TIMED_OUT");

        Locator notice = tid("notice-timed-out");
        assertThat(notice.getByTestId("notice-title")).hasText("查询超时。");
        assertThat(notice.getByTestId("notice-message")).hasText("查询运行时间超过上限（1 秒），已被停止");
        assertThat(notice.getByTestId("notice-detail")).hasCount(0);
        assertThat(notice.getByTestId("retry-button")).hasText("重试");
        // Not one English word in the notice (the server's log wording was "the query ran longer than 1 s").
        assertThat(notice.innerText()).doesNotContainPattern("[A-Za-z]{2,}");

        // The API tells the two kinds of error apart and words its own in the asked language.
        JsonNode zh = api.with("Accept-Language", "zh-CN").get("/api/query/" + id + "/status").data().path("error");
        assertThat(zh.path("source").asText()).isEqualTo("sluice");
        assertThat(zh.path("message").asText()).isEqualTo("查询运行时间超过上限（1 秒），已被停止");
        assertThat(zh.path("details").path("maxRuntimeSeconds").asLong()).isEqualTo(1);
        assertThat(zh.path("details").has("source")).isFalse();
        JsonNode en = api.with("Accept-Language", "en").get("/api/query/" + id + "/status").data().path("error");
        assertThat(en.path("message").asText()).isEqualTo("The query ran longer than its limit of 1 s and was stopped");

        // Switching back to English rewords the same notice.
        tid("language-switch").selectOption("en");
        assertThat(notice.getByTestId("notice-message"))
                .hasText("The query ran longer than its limit of 1 s and was stopped");
    }
}
