package io.sluice.api;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.Json;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.LogCapture;
import io.sluice.testing.RawHttp;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP layer's edges on a real server: HEAD on every GET route, requests Jetty refuses before
 * any route (in the envelope, never HTML, never a stack trace), early 413s, and NUL in bodies.
 */
class HttpEdgesTest {

    private static final String H = "Host: 127.0.0.1\r\n";

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();

    static ApiClient api;
    static String succeeded;
    static String fileUrl;

    @BeforeAll
    static void aFinishedQuery() {
        api = sluice.api();
        succeeded = api.submit("SELECT * FROM range(3) t(n)");
        assertThat(awaitEnd(api, succeeded)).isEqualTo("SUCCEEDED");
        fileUrl = api.get("/api/query/" + succeeded + "/download").data().path("url").asText();
    }

    @Test
    void headAnswersEveryGetRouteWithGetsStatusAndHeadersAndNoBody() {
        List<HttpApp.Route> gets = sluice.server().sluice().routes().stream()
                .filter(r -> r.method().equals("GET")).toList();
        assertThat(sluice.server().sluice().routes()).filteredOn(r -> r.method().equals("HEAD"))
                .extracting(HttpApp.Route::path, HttpApp.Route::roles)
                .containsExactlyInAnyOrderElementsOf(gets.stream().map(r -> org.assertj.core.groups.Tuple.tuple(
                        r.path(), r.roles())).toList());
        try (LogCapture log = LogCapture.start()) {
            for (HttpApp.Route route : gets) {
                for (String path : List.of(filled(route.path(), succeeded), filled(route.path(), "no-such-id"))) {
                    Response get = api.get(path);
                    Response head = api.method("HEAD", path);
                    assertThat(head.status()).as("HEAD " + path).isEqualTo(get.status());
                    assertThat(head.text()).as("HEAD " + path).isEmpty();
                    // The metrics count every request, so no two answers of /metrics have the same length.
                    List<String> same = path.equals("/metrics") ? List.of("content-type", "content-disposition")
                            : List.of("content-type", "content-length", "content-disposition");
                    for (String header : same) {
                        assertThat(head.headers().get(header)).as("HEAD " + path + " " + header)
                                .isEqualTo(get.headers().get(header));
                    }
                }
            }
            assertThat(api.method("HEAD", "/health").status()).isEqualTo(200);
            assertThat(api.method("HEAD", "/no/such/path").status()).isEqualTo(404);
            assertThat(api.get("/no/such/path").errorCode()).isEqualTo("ROUTE_NOT_FOUND");
            assertThat(log.atLeast(Level.ERROR)).isEmpty();
        }
    }

    private static String filled(String path, String id) {
        return path.replace("{id}", id).replace("{token}", fileUrl.substring("/api/files/".length()))
                .replace("{engine}", "duckdb").replace("{catalog}", "sluice").replace("{database}", "main")
                .replace("{table}", "events").replace("{request_id}", "sync:none").replace("{task_id}", id)
                .replace("{name}", "no_such_table");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed escape        | GET /api/query/%u002e/status HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n          | 400 | MALFORMED_REQUEST
            lone percent in query   | GET /api/queries?q=%zz HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n               | 400 | MALFORMED_REQUEST
            encoded NUL in path     | GET /api/query/%00/status HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n             | 400 | MALFORMED_REQUEST
            quote in path           | GET /api/"x" HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                          | 400 | MALFORMED_REQUEST
            NUL in a header         | GET /health HTTP/1.1\\r\\nHost: h\\r\\nX-A: a\\0b\\r\\n\\r\\n            | 400 | MALFORMED_REQUEST
            length and chunked      | POST /api/query HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400 | MALFORMED_REQUEST
            no Host                 | GET /health HTTP/1.1\\r\\n\\r\\n                                      | 400 | MALFORMED_REQUEST
            unknown HTTP version    | GET /health HTTP/9.9\\r\\nHost: h\\r\\n\\r\\n                           | 400 | MALFORMED_REQUEST
            not HTTP at all         | garbage\\r\\n\\r\\n                                                   | 400 | MALFORMED_REQUEST
            CONNECT                 | CONNECT h:443 HTTP/1.1\\r\\nHost: h:443\\r\\n\\r\\n                     | 405 | METHOD_NOT_ALLOWED
            URI too long            | GET /LONG_PATH HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                        | 414 | URI_TOO_LONG
            headers too large       | GET /health HTTP/1.1\\r\\nHost: h\\r\\nX-Big: LONG_VALUE\\r\\n\\r\\n     | 431 | HEADERS_TOO_LARGE
            body shorter than told  | POST /api/query HTTP/1.1\\r\\nHost: h\\r\\nContent-Type: application/json\\r\\nContent-Length: 50\\r\\n\\r\\n{"query": | 400 | MALFORMED_REQUEST
            badly chunked body      | POST /api/query HTTP/1.1\\r\\nHost: h\\r\\nContent-Type: application/json\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n{}\\r\\n0\\r\\n\\r\\n | 400 | MALFORMED_REQUEST
            """)
    void malformedRequestsAnswerTheEnvelopeWithTheirStatusAndLogNoStackTrace(String name, String request, int status,
                                                                             String code) {
        String wire = request.trim().replace("\\r\\n", "\r\n").replace("\\0", "\0")
                .replace("LONG_PATH", "a".repeat(70_000)).replace("LONG_VALUE", "v".repeat(20_000));
        try (LogCapture log = LogCapture.start()) {
            RawHttp.Exchange exchange = raw().send(wire, false);

            assertThat(exchange.timedOut()).isFalse();
            assertThat(exchange.answers()).hasSize(1);
            RawHttp.Answer answer = exchange.answers().get(0);
            assertThat(answer.status()).isEqualTo(status);
            assertThat(answer.header("Content-Type")).isEqualTo("application/json");
            JsonNode envelope = envelope(answer);
            assertThat(envelope.path("success").asBoolean(true)).isFalse();
            assertThat(envelope.path("messageCode").asText()).isEqualTo(code);
            assertThat(envelope.path("error").path("code").asText()).isEqualTo(code);
            assertThat(answer.text()).doesNotContain("<html", "Exception", "org.eclipse");
            assertThat(log.stackTraces()).isEmpty();
        }
    }

    @Test
    void refusalsBeforeAnyRouteSpeakTheRequestsLanguageWhenItCanBeReadElseTheDefault() {
        JsonNode readable = envelope(raw().send("GET /api/\"x\" HTTP/1.1\r\n" + H + "Accept-Language: en\r\n\r\n", false)
                .answers().get(0));
        assertThat(readable.path("message").asText()).isEqualTo("The request is malformed");
        JsonNode unreadable = envelope(raw().send("GET /health HTTP/1.1\r\n" + H + "Accept-Language: en\r\nX-A: \0\r\n\r\n",
                false).answers().get(0));
        assertThat(unreadable.path("message").asText()).isEqualTo("请求格式错误");
    }

    @Test
    void aDeclaredBodyOverTheLimitAnswers413AtOnceOnAnyPathWithoutReadingIt() {
        for (String start : List.of("POST /api/query", "POST /api/duckdb/query", "POST /health", "PUT /nowhere",
                "GET /api/queries")) {
            RawHttp.Exchange exchange = raw().sendKeepingOpen(start + " HTTP/1.1\r\n" + H
                    + "Content-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{\"query\": ");

            assertThat(exchange.timedOut()).as(start).isFalse();
            RawHttp.Answer answer = exchange.answers().get(0);
            assertThat(answer.status()).as(start).isEqualTo(413);
            assertThat(answer.header("Connection")).as(start).isEqualTo("close");
            JsonNode envelope = envelope(answer);
            assertThat(envelope.path("messageCode").asText()).isEqualTo("REQUEST_TOO_LARGE");
            assertThat(envelope.path("error").path("details").path("maxRequestBytes").asLong()).isEqualTo(1_048_576);
        }
    }

    @Test
    void aChunkedBodyThatGrowsPastTheLimitAnswers413() {
        String chunk = "8000\r\n" + "a".repeat(0x8000) + "\r\n";
        RawHttp.Answer answer = raw().send("POST /api/query HTTP/1.1\r\n" + H + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunk.repeat(40) + "0\r\n\r\n", false).answers().get(0);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(envelope(answer).path("messageCode").asText()).isEqualTo("REQUEST_TOO_LARGE");
    }

    @Test
    void aNulCharacterInAnyBodyStringIsRefusedBeforeAnythingIsStored() {
        int before = api.get("/api/queries?limit=200").data().path("items").size();
        for (Map<String, Object> body : List.of(Map.<String, Object>of("query", "SELECT 1\u0000; SELECT 2"),
                Map.<String, Object>of("query", "SELECT 1", "engine", "duckdb\u0000"))) {
            Response r = api.post("/api/query", body);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("INVALID_FIELD");
            assertThat(r.json().path("error").path("details").path("field").asText())
                    .isEqualTo(body.containsKey("engine") ? "engine" : "query");
            assertThat(r.json().path("error").path("details").path("reason").asText()).contains("U+0000");
        }
        Response sync = api.post("/api/duckdb/query", Map.of("sql", "SELECT 'a\u0000b'", "request_id", "nul:1"));
        assertThat(sync.status()).isEqualTo(400);
        assertThat(sync.json().path("error").path("details").path("field").asText()).isEqualTo("sql");

        assertThat(api.get("/api/queries?limit=200").data().path("items").size()).isEqualTo(before);
        assertThat(api.post("/api/query/cancel/nul:1").errorCode()).isEqualTo("REQUEST_NOT_FOUND");
    }

    @Test
    void anUnknownCharsetInTheContentTypeIsNoServerError() {
        Response r = api.send(api.request("/api/query").header("Content-Type", "application/json; charset=nonesuch")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"SELECT 1\"}")));
        assertThat(r.status()).isEqualTo(202);
    }

    private static RawHttp raw() {
        return new RawHttp("127.0.0.1", sluice.server().sluice().port(), Duration.ofSeconds(10));
    }

    private static JsonNode envelope(RawHttp.Answer answer) {
        try {
            return Json.mapper().readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + answer.text(), e);
        }
    }
}
