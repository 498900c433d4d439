package io.sluice.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Locator;
import io.sluice.testing.Queries;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server goes away under the editor and comes back (the same store, results and port, as
 * after a restart): a Run that cannot reach it keeps the result on show, and a query the outage
 * interrupted neither counts the outage as running time nor reports it as execution time.
 */
class ServerOutageUiTest extends UiTestSupport {

    private int port;
    private boolean down;

    @Override
    protected TestServer startServer(Path dir) {
        TestServer started = TestServer.start(dir);
        port = started.client().base().getPort();
        return started;
    }

    /** The server stops: its port refuses connections until {@link #startAgain}. */
    private void stop() {
        server.close();
        down = true;
    }

    /** The same server starts again on its folder and port; it ends runs the stop interrupted. */
    private void startAgain() {
        server = TestServer.start(dir, root -> ((ObjectNode) root.path("server")).put("port", port), Clock.systemUTC());
        api = server.client();
        down = false;
    }

    @AfterEach
    void serverBackForTheNextTest() {
        if (down) {
            startAgain();
        }
    }

    @Test
    void runWhileTheServerIsUnreachableKeepsThePreviousResultAndSaysSo() {
        runToResults("SELECT n, 'row ' || n AS label FROM range(250) AS t(n) ORDER BY n");
        String shownId = activeQueryId();
        tid("pager-next").click();
        assertThat(tid("pager-range")).containsText("101–200");
        List<String> firstRow = rowCells(0);
        assertThat(firstRow).containsExactly("100", "row 100");

        stop();
        setSql("SELECT 'edited while the server was away' AS edited");
        tid("run-button").click();
        Locator notice = tid("notice-error");
        assertThat(notice).isVisible();
        assertThat(notice).hasAttribute("data-message-code", "NETWORK_ERROR");
        assertThat(notice.getByTestId("notice-message")).hasText("Cannot reach the server; check the connection");
        assertThat(tid("run-button")).isEnabled();

        // The previous result is all still there: grid, page, state, row count, query id.
        assertThat(tid("result-grid")).isVisible();
        assertThat(tid("pager-range")).containsText("101–200");
        assertThat(rowCells(0)).isEqualTo(firstRow);
        assertThat(tid("state-badge")).hasText("Succeeded");
        assertThat(tid("row-count")).containsText("250");
        assertThat(activeQueryId()).isEqualTo(shownId);

        // Back: Retry runs the SQL as it is now, and only then the new result replaces the old one.
        startAgain();
        notice.getByTestId("retry-button").click();
        assertThat(page.locator("[data-testid=grid-column][data-name=edited]")).isVisible();
        assertThat(tid("grid-column")).hasCount(1);
        awaitFinished("SUCCEEDED");
        assertThat(tid("grid-cell")).hasText("edited while the server was away");
        assertThat(activeQueryId()).isNotEqualTo(shownId);
        assertThat(tid("notice-error")).hasCount(0);
    }

    @Test
    void aQueryInterruptedByARestartStopsItsClockAndShowsNoExecutionTime() {
        run(Queries.LONG_RUNNING);
        assertThat(tid("cancel-button")).isVisible();
        String id = activeQueryId();
        Queries.awaitState(api, id, "RUNNING");
        assertThat(tid("stat-exec")).hasText(Pattern.compile("^\\d+\\.\\d{2} s$"));
        assertThat(tid("running-text")).hasText("Running…");

        stop();
        assertThat(tid("notice-connection")).isVisible();
        assertThat(tid("running-text")).hasText("Connection lost");
        assertThat(tid("cancel-button")).isVisible();
        String standing = tid("elapsed").textContent();
        // The page keeps asking, backing off; meanwhile the running time does not move.
        long asked = statusRequests(id);
        page.waitForCondition(() -> statusRequests(id) >= asked + 2);
        assertThat(tid("elapsed")).hasText(standing);
        assertThat(tid("running-text")).hasText("Connection lost");

        // The restarted server ended the interrupted run; its clock ran on through the outage,
        // so no execution time (and no total) is shown rather than the outage's length.
        startAgain();
        awaitFinished("FAILED");
        Locator failed = tid("notice-failed");
        assertThat(failed).hasAttribute("data-message-code", "SERVER_RESTARTED");
        assertThat(failed.getByTestId("notice-message"))
                .hasText("The server restarted while the query was running; run it again");
        assertThat(tid("notice-connection")).isHidden();
        assertThat(tid("stat-exec")).hasText("—");
        assertThat(tid("duration")).hasText("—");
        assertThat(tid("stat-queue")).hasText(Pattern.compile("^\\d+\\.\\d{2} s$"));

        tid("side-tab-history").click();
        Locator item = page.locator("[data-testid=history-item][data-query-id='" + id + "']");
        assertThat(item).hasAttribute("data-state", "FAILED");
        assertThat(item.getByTestId("history-duration").locator(".metric-value")).hasText("—");
    }

    private long statusRequests(String id) {
        return countRequests(r -> r.equals("GET /api/query/" + id + "/status"));
    }
}
