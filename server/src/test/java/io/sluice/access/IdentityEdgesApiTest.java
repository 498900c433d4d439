package io.sluice.access;

import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.RawHttp;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With auth on, an identity is believed only when it is unambiguous: the identity header exactly
 * once, holding exactly one well-formed address, and the proxy secret exactly once. Through the
 * proxy anything else is the proxy's mistake (400 IDENTITY_INVALID); from anyone else it stays "no
 * identity" (401). Public routes do not care.
 */
class IdentityEdgesApiTest {

    static final String SECRET = "proxy-secret-0123456789";
    static final String[] PROXY = {"X-Sluice-Proxy-Secret", SECRET};

    @TempDir
    static Path dir;
    static TestServer server;
    static ApiClient client;
    static ApiClient alice;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, c -> c.putObject("auth").put("enabled", true)
                .put("proxySecret", SECRET).putArray("trustedProxies").add("10.255.255.0/24"), Clock.systemUTC());
        client = server.client();
        alice = client.with(PROXY[0], PROXY[1]).with("X-Email", "alice@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A request carrying exactly these headers, in this order (a name may repeat). */
    private static Response send(String method, String path, String[]... headers) {
        HttpRequest.Builder request = client.request(path).method(method, method.equals("POST")
                ? HttpRequest.BodyPublishers.ofString("{\"query\": \"SELECT 'smuggled'\"}")
                : HttpRequest.BodyPublishers.noBody());
        if (method.equals("POST")) {
            request.header("Content-Type", "application/json");
        }
        for (String[] h : headers) {
            request.header(h[0], h[1]);
        }
        return client.send(request);
    }

    private static String[] email(String value) {
        return new String[]{"X-Email", value};
    }

    private static final List<String[][]> AMBIGUOUS = List.of(
            new String[][]{email("alice@example.com"), email("alice@example.com")},
            new String[][]{email("mallory@example.com"), email("alice@example.com")},
            new String[][]{email("evil,alice@example.com")},
            new String[][]{email("alice@example.com;bob@example.com")},
            new String[][]{email("\"alice\"@example.com")},
            new String[][]{email("Alice <alice@example.com>")},
            new String[][]{email("ali ce@example.com")},
            new String[][]{email("ali\tce@example.com")},
            new String[][]{email("a".repeat(300) + "@example.com")},
            new String[][]{email("alice")});

    @Test
    void anAmbiguousOrMalformedIdentityThroughTheProxyAnswers400AndStoresNothing() {
        for (String[][] identity : AMBIGUOUS) {
            String[][] headers = new String[identity.length + 1][];
            headers[0] = PROXY;
            System.arraycopy(identity, 0, headers, 1, identity.length);
            for (String[] request : List.of(new String[]{"GET", "/api/queries"}, new String[]{"POST", "/api/query"},
                    new String[]{"GET", "/api/config"})) {
                Response r = send(request[0], request[1], headers);
                assertThat(r.status()).as(request[1] + " with " + identity[identity.length - 1][1]).isEqualTo(400);
                assertThat(r.errorCode()).isEqualTo("IDENTITY_INVALID");
                assertThat(r.json().path("error").path("details").path("header").asText()).isEqualTo("X-Email");
            }
        }
        assertThat(alice.get("/api/queries?q=smuggled").data().path("items")).isEmpty();
    }

    @Test
    void theSameIdentitiesFromAnUntrustedClientStayUnauthenticated() {
        for (String[][] identity : AMBIGUOUS) {
            Response r = send("GET", "/api/queries", identity);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errorCode()).isEqualTo("UNAUTHENTICATED");
        }
    }

    @Test
    void aProxySecretSentTwiceIsNeverTrustedWhateverItsValues() {
        for (String[] second : List.of(PROXY, new String[]{PROXY[0], "guess"})) {
            for (String[] first : List.of(PROXY, new String[]{PROXY[0], "other guess"})) {
                Response r = send("GET", "/api/queries", first, second, email("alice@example.com"));
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.errorCode()).isEqualTo("IDENTITY_INVALID");
                assertThat(r.json().path("error").path("details").path("header").asText())
                        .isEqualTo("X-Sluice-Proxy-Secret");
                assertThat(r.text()).doesNotContain(SECRET);
            }
        }
    }

    @Test
    void aControlCharacterInTheIdentityNeverBecomesACaller() {
        RawHttp.Answer answer = new RawHttp("127.0.0.1", server.sluice().port(), Duration.ofSeconds(10))
                .send("GET /api/config HTTP/1.1\r\nHost: h\r\n" + PROXY[0] + ": " + SECRET
                        + "\r\nX-Email: alice\u0001@example.com\r\n\r\n", false).answers().get(0);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).contains("\"success\":false").doesNotContain("alice");
    }

    @Test
    void publicRoutesWorkWhateverTheIdentityHeadersSay() {
        String id = alice.submit("SELECT 1 AS one");
        assertThat(awaitEnd(alice, id)).isEqualTo("SUCCEEDED");
        String file = alice.get("/api/query/" + id + "/download").data().path("url").asText();
        String[][] nonsense = {PROXY, new String[]{PROXY[0], "guess"}, email("evil,alice@example.com"), email("x")};
        for (String path : List.of("/health", "/metrics", file, "/")) {
            assertThat(send("GET", path, nonsense).status()).as(path).isEqualTo(200);
            assertThat(send("HEAD", path, nonsense).status()).as("HEAD " + path).isEqualTo(200);
        }
        assertThat(send("GET", "/health", nonsense).messageCode()).isEqualTo("HEALTHY");
    }

    @Test
    void aWellFormedIdentityThroughTheProxyStillWorks() {
        Response r = send("GET", "/api/config", PROXY, email("Alice@Example.COM"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.data().path("user").asText()).isEqualTo("alice@example.com");
        assertThat(alice.post("/api/query", Map.of("query", "SELECT 2")).status()).isEqualTo(202);
    }
}
