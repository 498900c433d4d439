package io.sluice.testing;

import io.sluice.Sluice;
import io.sluice.access.Caller;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** SQL and waits shared by the API tests. */
public final class Queries {

    /** Runs for many minutes on DuckDB unless interrupted; each row is cheap, so cancel is prompt. */
    public static final String LONG_RUNNING = "SELECT sum(range % 7) FROM range(1000000000000)";

    private Queries() {
    }

    /** Waits until the query reaches {@code state} (fails after 30 s). */
    public static void awaitState(ApiClient client, String id, String state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> client.state(id), state::equals);
    }

    /**
     * Waits until a remote engine has accepted the query and Sluice stored its engine id. Sluice
     * shows RUNNING from the moment a worker claims the run, before the engine's start call has
     * answered; a test that acts on the engine's copy (releases a held query, injects a fault into
     * its polls, restarts Sluice) waits for this first.
     */
    public static void awaitEngineAccepted(Sluice sluice, String id) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> sluice.queries().get(Caller.ANONYMOUS, id).engineQueryId() != null);
    }

    /** Waits until the query is terminal and returns its state. */
    public static String awaitEnd(ApiClient client, String id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> client.state(id), s -> !s.equals("QUEUED") && !s.equals("RUNNING"));
    }
}
