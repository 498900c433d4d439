package io.sluice.testing;

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

    /** Waits until the query is terminal and returns its state. */
    public static String awaitEnd(ApiClient client, String id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> client.state(id), s -> !s.equals("QUEUED") && !s.equals("RUNNING"));
    }
}
