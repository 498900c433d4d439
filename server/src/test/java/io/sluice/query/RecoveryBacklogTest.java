package io.sluice.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A restart with a backlog: the server answers at once and hands the backlog out fairly, so one
 * user's queue of long queries does not keep another user's quick ones waiting behind it.
 */
class RecoveryBacklogTest {

    static final String SECRET = "proxy-secret-0123456789";

    @TempDir
    Path dir;

    @Test
    void quickQueriesOfOneUserDoNotWaitBehindAnotherUsersLongBacklog() {
        List<String> long_ = new ArrayList<>();
        List<String> quick = new ArrayList<>();
        try (TestServer first = TestServer.start(dir, config(1), Clock.systemUTC())) {
            ApiClient alice = as(first, "alice@example.com");
            ApiClient bob = as(first, "bob@example.com");
            for (int i = 0; i < 10; i++) {
                long_.add(alice.submit(LONG_RUNNING));
            }
            awaitState(alice, long_.get(0), "RUNNING");
            for (int i = 0; i < 20; i++) {
                quick.add(bob.submit("SELECT " + i + " AS quick"));
            }
            assertThat(bob.state(quick.get(19))).isEqualTo("QUEUED");
        }
        try (TestServer second = TestServer.start(dir, config(2), Clock.systemUTC())) {
            ApiClient alice = as(second, "alice@example.com");
            ApiClient bob = as(second, "bob@example.com");
            assertThat(second.client().get("/health").status()).isEqualTo(200);
            // Alice's queue was submitted first, but she holds one of the two workers at most: bob's
            // quick queries all run on the other meanwhile.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                for (String id : quick) {
                    assertThat(bob.state(id)).as("bob's %s", id).isEqualTo("SUCCEEDED");
                }
            });
            assertThat(alice.get("/api/query/" + long_.get(0) + "/status").data().path("error").path("code").asText())
                    .isEqualTo("SERVER_RESTARTED");
            long stillWaitingOrRunning = long_.stream().skip(1).map(alice::state)
                    .filter(s -> s.equals("QUEUED") || s.equals("RUNNING")).count();
            assertThat(stillWaitingOrRunning).isEqualTo(9);
            for (String id : long_) {
                alice.post("/api/query/" + id + "/cancel");
            }
        }
    }

    private static Consumer<ObjectNode> config(int workers) {
        return c -> {
            c.putObject("auth").put("enabled", true).put("proxySecret", SECRET);
            c.putObject("queries").put("workers", workers);
        };
    }

    private static ApiClient as(TestServer server, String email) {
        return server.client().with("X-Sluice-Proxy-Secret", SECRET).with("X-Email", email);
    }
}
