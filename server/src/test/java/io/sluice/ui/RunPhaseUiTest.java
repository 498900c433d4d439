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

/**
 * What a running query is doing shows next to its state (here: waiting for the one worker, busy
 * with another query), in the user's language, and goes once it ended; the history tells how many
 * runs a refreshed query has had.
 */
class RunPhaseUiTest extends UiTestSupport {

    @Override
    protected TestServer startServer(Path dir) {
        return TestServer.start(dir, root -> ((ObjectNode) root.path("queries")).put("workers", 1), Clock.systemUTC());
    }

    @Test
    void aQueryWaitingForAWorkerSaysSoUntilItRuns() {
        String blocker = api.submit(Queries.LONG_RUNNING);
        Queries.awaitState(api, blocker, "RUNNING");
        try {
            run("SELECT 5 AS five");
            Locator phase = tid("state-phase");
            assertThat(phase).isVisible();
            assertThat(phase).hasText("waiting for a worker");
            assertThat(tid("query-status")).hasAttribute("data-state", "QUEUED");
            tid("language-switch").selectOption("zh-CN");
            assertThat(phase).hasText("等待执行线程");
            tid("language-switch").selectOption("en");
        } finally {
            api.post("/api/query/" + blocker + "/cancel");
        }
        awaitFinished("SUCCEEDED");
        assertThat(tid("state-phase")).isHidden();
        assertThat(tid("grid-row").first().getByTestId("grid-cell")).hasText("5");
    }

    @Test
    void theHistoryCountsTheRunsOfARefreshedQuery() {
        runToResults("SELECT 3 AS three");
        String id = activeQueryId();
        assertThat(api.post("/api/query/" + id + "/refresh").status()).isEqualTo(202);
        assertThat(Queries.awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        String once = api.submit("SELECT 4 AS four");
        assertThat(Queries.awaitEnd(api, once)).isEqualTo("SUCCEEDED");

        tid("side-tab-history").click();
        Locator refreshed = page.locator("[data-testid=history-item][data-query-id='" + id + "']");
        assertThat(refreshed.getByTestId("history-runs")).hasText("2 runs");
        Locator single = page.locator("[data-testid=history-item][data-query-id='" + once + "']");
        assertThat(single).isVisible();
        assertThat(single.getByTestId("history-runs")).hasCount(0);
        tid("language-switch").selectOption("zh-CN");
        assertThat(refreshed.getByTestId("history-runs")).hasText("运行 2 次");
    }
}
