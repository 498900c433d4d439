package io.sluice.access;

import io.sluice.api.HttpApp;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With auth on, the identity header is believed only through the trusted proxy, and every query
 * belongs to its submitter: another user's id is "not found" on every route.
 */
class IdentityApiTest {

    static final String SECRET = "proxy-secret-0123456789";

    @TempDir
    static Path dir;
    static TestServer server;
    static ApiClient anonymous;
    static ApiClient alice;
    static ApiClient bob;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, c -> c.putObject("auth").put("enabled", true)
                .put("proxySecret", SECRET).putArray("trustedProxies").add("10.255.255.0/24"), Clock.systemUTC());
        anonymous = server.client();
        alice = anonymous.with("X-Sluice-Proxy-Secret", SECRET).with("X-Email", "Alice@Example.com");
        bob = anonymous.with("X-Sluice-Proxy-Secret", SECRET).with("X-Email", "bob@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void requestsWithoutATrustedIdentityAreRefused() {
        assertThat(anonymous.get("/api/queries").errorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(anonymous.get("/api/queries").status()).isEqualTo(401);
        // The header alone, without the proxy's secret, is not believed (the caller is not 10.255.255.x).
        assertThat(anonymous.with("X-Email", "alice@example.com").get("/api/queries").status()).isEqualTo(401);
        assertThat(anonymous.with("X-Sluice-Proxy-Secret", "wrong-secret-xxxxxxxx").with("X-Email", "a@b.c")
                .post("/api/query", Map.of("query", "SELECT 1")).status()).isEqualTo(401);
        assertThat(anonymous.with("X-Sluice-Proxy-Secret", SECRET).get("/api/queries").status()).isEqualTo(401);
        // Through the proxy, a malformed identity is the proxy's mistake, not a missing login.
        Response malformed = anonymous.with("X-Sluice-Proxy-Secret", SECRET).with("X-Email", "not an email")
                .get("/api/queries");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("IDENTITY_INVALID");
        // Health needs nobody.
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
    }

    @Test
    void anotherUsersQueryIsNotFoundOnEveryRoute() {
        String id = alice.submit("SELECT 'alice only' AS secret");
        assertThat(awaitEnd(alice, id)).isEqualTo("SUCCEEDED");
        assertThat(alice.get("/api/config").data().path("user").asText()).isEqualTo("alice@example.com");

        for (Response r : new Response[]{bob.get("/api/query/" + id + "/status"), bob.get("/api/query/" + id + "/results"),
                bob.post("/api/query/" + id + "/refresh"), bob.post("/api/query/" + id + "/cancel"),
                bob.get("/api/query/" + id + "/download"), bob.get("/api/query/" + id + "/value?row=0&column=0")}) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo("QUERY_NOT_FOUND");
        }
        assertThat(alice.state(id)).isEqualTo("SUCCEEDED");
        assertThat(bob.get("/api/queries").data().path("items")).isEmpty();
        assertThat(alice.get("/api/queries").data().path("items").get(0).path("id").asText()).isEqualTo(id);
    }

    @Test
    void everyRouteDeclaresExactlyOneRoleAndOnlyHealthReadinessMetricsAndSignedFilesArePublic() {
        List<HttpApp.Route> routes = server.sluice().routes();
        assertThat(routes).hasSizeGreaterThan(15);
        for (HttpApp.Route route : routes) {
            assertThat(route.roles()).as(route.method() + " " + route.path()).hasSize(1);
        }
        // A new public route must be added here on purpose.
        assertThat(routes.stream().filter(r -> r.roles().contains(Role.ANYONE)).map(r -> r.method() + " " + r.path()))
                .containsExactlyInAnyOrder("GET /health", "HEAD /health", "GET /health/ready", "HEAD /health/ready",
                        "GET /api/files/{token}", "HEAD /api/files/{token}", "GET /metrics", "HEAD /metrics");
    }

    @Test
    void everyUserRouteRefusesACallerWithoutATrustedIdentity() {
        for (HttpApp.Route route : server.sluice().routes()) {
            if (!route.roles().contains(Role.USER)) {
                continue;
            }
            String path = route.path().replaceAll("\\{id}", "00000000-0000-4000-8000-000000000000")
                    .replaceAll("\\{[a-z_]+}", "x");
            Response r = anonymous.send(anonymous.request(path)
                    .method(route.method(), HttpRequest.BodyPublishers.ofString("{\"query\": \"SELECT 1\"}"))
                    .header("Content-Type", "application/json").header("X-Email", "mallory@example.com"));
            assertThat(r.status()).as(route.method() + " " + path).isEqualTo(401);
            if (!route.method().equals("HEAD")) { // HEAD answers have no body
                assertThat(r.errorCode()).as(route.method() + " " + path).isEqualTo("UNAUTHENTICATED");
            }
        }
    }

    @Test
    void anotherUsersRequestIdIsNotFound() {
        alice.post("/api/duckdb/query", Map.of("sql", "SELECT 1", "request_id", "sync:alice-1"));
        assertThat(bob.post("/api/query/cancel/sync:alice-1").errorCode()).isEqualTo("REQUEST_NOT_FOUND");
        assertThat(alice.post("/api/query/cancel/sync:alice-1").messageCode()).isEqualTo("QUERY_ALREADY_FINISHED");
    }
}
