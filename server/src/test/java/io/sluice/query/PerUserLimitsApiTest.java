package io.sluice.query;

import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One user cannot stall everyone: at most {@code maxRunningPerUser} of a user's runs hold workers
 * (the others wait while other users' runs take the free workers), and a user with
 * {@code maxQueuedPerUser} queries waiting is answered 429 {@code TOO_MANY_QUERIES}.
 */
class PerUserLimitsApiTest {

    static final String SECRET = "proxy-secret-0123456789";

    @TempDir
    static Path dir;
    static TestServer server;
    static ApiClient alice;
    static ApiClient bob;
    final List<String> started = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, c -> {
            c.putObject("auth").put("enabled", true).put("proxySecret", SECRET);
            c.putObject("queries").put("workers", 2).put("maxQueuedPerUser", 3);
        }, Clock.systemUTC());
        alice = server.client().with("X-Sluice-Proxy-Secret", SECRET).with("X-Email", "alice@example.com");
        bob = server.client().with("X-Sluice-Proxy-Secret", SECRET).with("X-Email", "bob@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void cancelWhatIsLeft() {
        for (String id : started) {
            alice.post("/api/query/" + id + "/cancel");
        }
        started.clear();
    }

    @Test
    void aUsersLongQueriesLeaveAWorkerForOthers() {
        String first = submit(alice, LONG_RUNNING);
        String second = submit(alice, LONG_RUNNING);
        awaitState(alice, first, "RUNNING");
        // Two workers, one free, but alice may hold only one (workers - 1 by default).
        assertThat(alice.get("/api/config").data().path("queries").path("maxRunningPerUser").asInt()).isEqualTo(1);
        assertThat(alice.state(second)).isEqualTo("QUEUED");
        String bobs = bob.submit("SELECT 'bob' AS who");
        assertThat(awaitEnd(bob, bobs)).isEqualTo("SUCCEEDED");
        assertThat(alice.state(second)).isEqualTo("QUEUED");
        // Alice's first ends: her second takes its worker.
        alice.post("/api/query/" + first + "/cancel");
        awaitState(alice, second, "RUNNING");
    }

    @Test
    void aUserWithTooManyQueriesWaitingIsToldSoAndOthersAreNot() {
        String running = submit(alice, LONG_RUNNING);
        awaitState(alice, running, "RUNNING");
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(submit(alice, LONG_RUNNING));
        }
        Response refused = alice.post("/api/query", Map.of("query", "SELECT 1"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.errorCode()).isEqualTo("TOO_MANY_QUERIES");
        assertThat(refused.json().path("error").path("details").path("maxQueuedPerUser").asInt()).isEqualTo(3);
        // The synchronous API and refresh answer the same.
        assertThat(alice.post("/api/duckdb/query", Map.of("sql", "SELECT 1")).status()).isEqualTo(429);
        // Bob is not affected.
        assertThat(awaitEnd(bob, bob.submit("SELECT 2"))).isEqualTo("SUCCEEDED");
        // One of alice's waiting queries cancelled: she may submit again.
        alice.post("/api/query/" + waiting.get(0) + "/cancel");
        assertThat(alice.post("/api/query", Map.of("query", "SELECT 3")).status()).isEqualTo(202);
    }

    private String submit(ApiClient client, String sql) {
        String id = client.submit(sql);
        started.add(id);
        return id;
    }
}
