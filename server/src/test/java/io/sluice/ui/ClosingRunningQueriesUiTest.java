package io.sluice.ui;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.sluice.testing.Queries;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing what shows a running query must not leave it running unseen until its time limit:
 * closing its editor tab asks (cancel it, keep it, or don't close), and leaving the page asks the
 * browser's "leave site?" question, then cancels what the page was following. Every outcome is
 * checked on the server.
 */
class ClosingRunningQueriesUiTest extends UiTestSupport {

    @Test
    void closingATabWhoseQueryRunsAsksFirstAndCancelsTheQueryByDefault() {
        String id = runLongQuery();
        Locator tab = tabOf(id);

        // The question: an accessible dialog whose default, focused choice cancels the query.
        tab.getByTestId("editor-tab-close").click();
        Locator dialog = page.getByRole(AriaRole.DIALOG,
                new Page.GetByRoleOptions().setName("A query of this tab is still running"));
        assertThat(dialog).isVisible();
        assertThat(dialog).containsText("Query 1 has a query that is queued or running.");
        assertThat(tid("close-tab-cancel-query")).hasText("Cancel the query and close");
        assertThat(tid("close-tab-keep-running")).hasText("Keep it running and close");
        assertThat(tid("close-tab-stay")).hasText("Don't close");
        assertThat(tid("close-tab-cancel-query")).isFocused();

        // Escape: "Don't close". The tab stays and goes on following its query, which still runs.
        page.keyboard().press("Escape");
        assertThat(dialog).isHidden();
        assertThat(tab).hasAttribute("data-running", "true");
        assertThat(tab.getByTestId("editor-tab-close")).isFocused();
        assertThat(tid("cancel-button")).isVisible();
        assertThat(api.state(id)).isEqualTo("RUNNING");
        assertThat(cancelsSent(id)).isZero();

        // Enter on the default choice: the query is cancelled on the server and the tab is gone.
        tab.getByTestId("editor-tab-close").click();
        assertThat(tid("close-tab-cancel-query")).isFocused();
        page.keyboard().press("Enter");
        assertThat(dialog).isHidden();
        assertThat(tab).hasCount(0);
        Queries.awaitState(api, id, "CANCELLED");
        assertThat(cancelsSent(id)).isEqualTo(1);
    }

    @Test
    void keepItRunningClosesTheTabAndLeavesTheQueryRunning() {
        String id = runLongQuery();
        tid("editor-tab-new").click();
        Locator tab = tabOf(id);
        try {
            tab.getByTestId("editor-tab-close").click();
            tid("close-tab-keep-running").click();
            assertThat(tab).hasCount(0);

            // The page goes on with the other tab; the kept query still runs, and no cancel was sent.
            runToResults("SELECT 'still here' AS other_tab");
            assertThat(api.state(id)).isEqualTo("RUNNING");
            assertThat(cancelsSent(id)).isZero();
            // And it stays findable: History lists it as running.
            tid("side-tab-history").click();
            assertThat(page.locator("[data-testid=history-item][data-query-id='" + id + "']"))
                    .hasAttribute("data-state", "RUNNING");
        } finally {
            api.post("/api/query/" + id + "/cancel");
        }
    }

    @Test
    void reloadingThePageWhileAQueryRunsAsksFirstThenCancelsIt() {
        String id = runLongQuery();
        List<String> dialogs = acceptDialogs();

        reload();
        assertThat(dialogs).containsExactly("beforeunload");
        Queries.awaitState(api, id, "CANCELLED");
        // After the reload the tab follows its query again, and shows it cancelled.
        awaitFinished("CANCELLED");
        assertThat(tid("notice-cancelled")).isVisible();
        assertThat(tabOf(id)).hasAttribute("data-running", "false");
    }

    @Test
    void closingThePageWhileQueriesRunAsksFirstThenCancelsThemAll() {
        String first = runLongQuery();
        tid("editor-tab-new").click();
        String second = runLongQuery();
        List<String> dialogs = acceptDialogs();

        // Playwright answers the dialog while it waits, so wait here for the page to be gone.
        page.waitForClose(() -> page.close(new Page.CloseOptions().setRunBeforeUnload(true)));
        Queries.awaitState(api, first, "CANCELLED");
        Queries.awaitState(api, second, "CANCELLED");
        assertThat(dialogs).containsExactly("beforeunload");
    }

    /** Runs a query that goes on until cancelled, in the active tab, and waits until it runs. */
    private String runLongQuery() {
        run(Queries.LONG_RUNNING);
        assertThat(tid("cancel-button")).isVisible();
        String id = activeQueryId();
        Queries.awaitState(api, id, "RUNNING");
        return id;
    }

    private Locator tabOf(String queryId) {
        return page.locator("[data-testid=editor-tab][data-query-id='" + queryId + "']");
    }

    private long cancelsSent(String queryId) {
        return countRequests(r -> r.equals("POST /api/query/" + queryId + "/cancel"));
    }

    /** Answers every dialog of the page "yes" (leave the page) and notes its type. */
    private List<String> acceptDialogs() {
        List<String> types = new CopyOnWriteArrayList<>();
        page.onDialog(dialog -> {
            types.add(dialog.type());
            dialog.accept();
        });
        return types;
    }
}
