package io.sluice.api;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.Json;
import io.sluice.testing.ApiClient;
import io.sluice.testing.LinkTokens;
import io.sluice.testing.LogCapture;
import io.sluice.testing.RawHttp;
import io.sluice.testing.SluiceExtension;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of generated requests — every registered route with real, foreign and hostile path
 * values, every method, broken JSON, lying and oversized bodies, identity header tricks, and raw
 * malformed HTTP — against two real servers (auth off; auth on behind a proxy secret). No answer may
 * be a 5xx, every answer is the envelope, nothing logs a stack trace, and both servers stay healthy.
 * The generator is seeded: the seed is printed, and {@code -Dsluice.fuzz.seed=} replays a run.
 */
class HttpFuzzTest {

    static final long DEFAULT_SEED = 20_261_201L;
    static final int REQUESTS = 5_000;
    static final String LINK_SECRET = "fuzz-link-secret-0123456789-abcdefgh";
    static final String PROXY_SECRET = "fuzz-proxy-secret-0123456789";
    static final ObjectMapper MAPPER = Json.mapper();

    @RegisterExtension
    static final SluiceExtension open = new SluiceExtension(linkSecret(c -> { }), Clock.systemUTC());

    @TempDir
    static Path authDir;
    static TestServer withAuth;
    /** Bob's query on the server with auth: no one else may ever get a success about it. */
    static String bobsQuery;

    @BeforeAll
    static void startServerWithAuth() {
        withAuth = TestServer.start(authDir, linkSecret(c -> c.putObject("auth").put("enabled", true)
                .put("proxySecret", PROXY_SECRET).putArray("trustedProxies").add("10.255.255.0/24")), Clock.systemUTC());
    }

    @AfterAll
    static void stopServerWithAuth() {
        withAuth.close();
    }

    @Test
    void noGeneratedRequestGetsA5xxOrLeavesTheEnvelopeOrLogsAStackTrace() throws Exception {
        long seed = Long.getLong("sluice.fuzz.seed", DEFAULT_SEED);
        System.out.println("HttpFuzzTest seed " + seed + " (replay with -Dsluice.fuzz.seed=" + seed + ")");
        ApiClient alice = withAuth.client().with("X-Sluice-Proxy-Secret", PROXY_SECRET).with("X-Email", "alice@example.com");
        ApiClient bob = withAuth.client().with("X-Sluice-Proxy-Secret", PROXY_SECRET).with("X-Email", "bob@example.com");
        bobsQuery = bob.submit("SELECT 'bob only'");
        List<TestServer> servers = List.of(open.server(), withAuth);
        List<FuzzCases.Server> known = List.of(
                known(open.server(), open.api(), null, FuzzIdentities.withoutAuth()),
                known(withAuth, alice, bobsQuery, FuzzIdentities.headers(PROXY_SECRET)));
        List<FuzzCase> cases = new FuzzCases(seed, known).generate(REQUESTS);

        Map<String, AtomicInteger> perRoute = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        try (LogCapture log = LogCapture.start()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (FuzzCase c : cases) {
                    done.add(pool.submit(() -> {
                        if (c.route() != null) {
                            perRoute.computeIfAbsent(c.server() + " " + c.route(), k -> new AtomicInteger()).incrementAndGet();
                        }
                        for (String failure : run(http, servers.get(c.server()), c)) {
                            failures.add(c + ": " + failure);
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.println("HttpFuzzTest: " + cases.size() + " requests in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");

            assertThat(failures).as("failed cases (seed " + seed + ")").isEmpty();
            assertThat(log.stackTraces()).as("stack traces logged").isEmpty();
            assertThat(log.atLeast(Level.ERROR)).as("errors logged").isEmpty();
        }
        for (int s = 0; s < servers.size(); s++) {
            for (HttpApp.Route route : servers.get(s).sluice().routes()) {
                assertThat(perRoute.getOrDefault(s + " " + route.method() + " " + route.path(), new AtomicInteger()).get())
                        .as("cases on server %d's %s %s", s, route.method(), route.path()).isGreaterThanOrEqualTo(10);
            }
        }
        for (ApiClient api : List.of(open.api(), alice)) {
            assertThat(api.get("/health").status()).isEqualTo(200);
            String id = api.submit("SELECT 1 AS still_fine");
            assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
            assertThat(api.get("/api/query/" + id + "/results").data().path("rows").get(0).get(0).asInt()).isEqualTo(1);
        }
    }

    /** Sends one case and returns what is wrong with the answers (nothing, when all is well). */
    private static List<String> run(HttpClient http, TestServer server, FuzzCase c) {
        URI base = server.client().base();
        if (!c.needsSocket()) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + c.target()))
                        .timeout(Duration.ofSeconds(20))
                        .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(c.body()));
                c.headers().forEach(h -> request.header(h[0], h[1]));
                HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                String problem = FuzzVerdict.of(c, r.statusCode(), r.headers().firstValue("content-type").orElse(null),
                        r.body(), MAPPER);
                return problem == null ? othersQueryLeak(c, r.statusCode()) : List.of(problem);
            } catch (IllegalArgumentException e) {
                // HttpClient refuses this request: send it over a socket instead.
            } catch (IOException e) {
                // The server answered and closed while HttpClient was still sending: read it over a socket.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of("interrupted");
            }
        }
        RawHttp.Exchange exchange = new RawHttp(base.getHost(), base.getPort(), Duration.ofSeconds(15))
                .send(c.wire(base.getHost()), c.isHead());
        List<String> problems = new ArrayList<>();
        if (exchange.timedOut()) {
            problems.add("no answer within 15 s");
        } else if (exchange.answers().isEmpty() && c.raw() == null) {
            problems.add("closed without an answer"); // only bytes that are no request at all may get none
        }
        for (RawHttp.Answer a : exchange.answers()) {
            String problem = FuzzVerdict.of(c, a.status(), a.header("content-type"), a.body(), MAPPER);
            if (problem != null) {
                problems.add(problem);
            }
            problems.addAll(othersQueryLeak(c, a.status()));
        }
        return problems;
    }

    private static List<String> othersQueryLeak(FuzzCase c, int status) {
        boolean asBob = c.headers().stream().anyMatch(h -> h[1].equals("bob@example.com"));
        return c.server() == 1 && status < 300 && !asBob && c.target().contains(bobsQuery)
                ? List.of("another user's query answered " + status) : List.of();
    }

    /** Real ids, tokens, request ids and cursors of one server, and the identities to send it. */
    private static FuzzCases.Server known(TestServer server, ApiClient api, String othersId, List<List<String[]>> identities) {
        String succeeded = api.submit("SELECT * FROM range(5) t(n)");
        String failed = api.submit("SELECT * FROM nowhere_table");
        awaitEnd(api, succeeded);
        awaitEnd(api, failed);
        String cursor = api.get("/api/query/" + succeeded + "/results?limit=2").data().path("nextCursor").asText();
        String historyCursor = api.get("/api/queries?limit=1").data().path("nextCursor").asText();
        String url = api.get("/api/query/" + succeeded + "/download").data().path("url").asText();
        String token = url.substring("/api/files/".length());
        JsonNode sync = api.post("/api/duckdb/query", Map.of("sql", "SELECT 1", "request_id", "fuzz:known")).json();
        assertThat(sync.path("success").asBoolean()).as("sync run: %s", sync).isTrue();
        List<String> ids = new ArrayList<>(List.of(succeeded, failed));
        if (othersId != null) {
            ids.add(othersId);
        }
        long future = 253_402_300_799L; // 9999-12-31: valid whatever the clock says
        List<String> tokens = List.of(token, token, token.substring(0, token.length() - 2) + "xx", "garbage", "a.b",
                LinkTokens.sign(LINK_SECRET, succeeded + ":1:1"),
                LinkTokens.sign(LINK_SECRET, succeeded + ":0:" + future),
                LinkTokens.sign(LINK_SECRET, "------------------------------------:1:" + future),
                LinkTokens.sign(LINK_SECRET, succeeded.toUpperCase() + ":1:" + future),
                LinkTokens.sign(LINK_SECRET, succeeded + ":1:" + future + ":extra"),
                LinkTokens.sign(LINK_SECRET, "../../etc/passwd:1:" + future),
                LinkTokens.sign(LINK_SECRET, new byte[]{(byte) 0xFF, 0, ':', '1'}));
        return new FuzzCases.Server(server.sluice().routes(), ids, tokens, List.of("fuzz:known", "fuzz:1", "x y", ""),
                List.of(cursor, historyCursor), identities);
    }

    private static Consumer<ObjectNode> linkSecret(Consumer<ObjectNode> more) {
        return root -> {
            ((ObjectNode) root.get("results")).put("linkSecret", LINK_SECRET);
            more.accept(root);
        };
    }
}
