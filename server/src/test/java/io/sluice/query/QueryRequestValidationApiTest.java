package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.Json;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.RawHttp;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad and hostile input gets a clear 4xx in the envelope, and nothing stored is touched. */
class QueryRequestValidationApiTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();
    static ApiClient api;

    @BeforeAll
    static void start() {
        api = sluice.api();
    }

    private static void assertError(Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().path("success").asBoolean()).isFalse();
        assertThat(r.errorCode()).isEqualTo(code);
        assertThat(r.messageCode()).isEqualTo(code);
        assertThat(r.json().path("message").asText()).isNotBlank();
        assertThat(r.json().path("timestamp").asText()).endsWith("Z");
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("at io.");
    }

    @Test
    void emptyAndBlankQueriesAreRefused() {
        assertError(api.post("/api/query", Map.of("query", "")), 400, "QUERY_EMPTY");
        assertError(api.post("/api/query", Map.of("query", "  \n\t ")), 400, "QUERY_EMPTY");
        assertError(api.post("/api/query", Map.of()), 400, "QUERY_EMPTY");
        assertError(api.post("/api/query", ""), 400, "QUERY_EMPTY");
    }

    @Test
    void queriesOverTheAthenaLimitAreRefusedAndAtTheLimitAccepted() {
        String head = "SELECT 1 AS one -- ";
        String atLimit = head + "x".repeat(262_144 - head.length());
        Response ok = api.post("/api/query", Map.of("query", atLimit));
        assertThat(ok.status()).isEqualTo(202);
        assertThat(awaitEnd(api, ok.data().path("id").asText())).isEqualTo("SUCCEEDED");
        Response tooLong = api.post("/api/query", Map.of("query", atLimit + "x"));
        assertError(tooLong, 400, "QUERY_TOO_LONG");
        assertThat(tooLong.json().path("error").path("details").path("maxBytes").asInt()).isEqualTo(262_144);
        // Bytes, not characters: 100k three-byte characters are 300k bytes.
        assertError(api.post("/api/query", Map.of("query", "SELECT '" + "查".repeat(100_000) + "'")), 400,
                "QUERY_TOO_LONG");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"query\": ", "not json", "{\"query\": \"SELECT 1\"} trailing", "{\"query\":\"a\",\"query\":\"b\"}"})
    void malformedJsonIsRefused(String body) {
        assertError(api.post("/api/query", body), 400, "INVALID_JSON");
    }

    @Test
    void wrongShapesAreRefused() {
        assertError(api.post("/api/query", "[1, 2]"), 400, "INVALID_JSON");
        assertError(api.post("/api/query", Map.of("query", 42)), 400, "INVALID_FIELD");
        assertError(api.post("/api/query", Map.of("query", "SELECT 1", "sql", "x")), 400, "INVALID_FIELD");
        assertError(api.post("/api/query", Map.of("query", "SELECT 1", "engine", "oracle")), 400, "UNKNOWN_ENGINE");
    }

    @Test
    void hugeBodiesAreRefusedWithTheEnvelope() throws Exception {
        // The server answers a declared 2 MB body at once and closes without reading it; a client
        // still writing the body may then see a broken pipe before it reads the answer, so the body
        // is only begun here (the connection kept open) and the answer read as it comes.
        long before = api.get("/api/queries").data().path("items").size();
        String body = "{\"query\": \"" + "x".repeat(2_000_000) + "\"}";
        RawHttp.Exchange exchange = new RawHttp("127.0.0.1", sluice.server().sluice().port(), Duration.ofSeconds(10))
                .sendKeepingOpen("POST /api/query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 65_536));
        assertThat(exchange.timedOut()).isFalse();
        RawHttp.Answer answer = exchange.answers().get(0);
        assertThat(answer.status()).isEqualTo(413);
        JsonNode envelope = Json.mapper().readTree(answer.body());
        assertThat(envelope.path("success").asBoolean(true)).isFalse();
        assertThat(envelope.path("messageCode").asText()).isEqualTo("REQUEST_TOO_LARGE");
        assertThat(answer.text()).doesNotContain("Exception").doesNotContain("at io.");
        assertThat(api.get("/api/queries").data().path("items").size()).as("nothing stored").isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00000000-0000-4000-8000-000000000000", "not-an-id", "..%2F..%2Fetc%2Fpasswd",
            "%2e%2e", "6F1C0000-0000-4000-8000-000000000000", "%27%20OR%201%3D1%20--", "x"})
    void unknownOrHostileIdsAreNotFoundOnEveryRoute(String id) {
        assertError(api.get("/api/query/" + id + "/status"), 404, "QUERY_NOT_FOUND");
        assertError(api.get("/api/query/" + id + "/results"), 404, "QUERY_NOT_FOUND");
        assertError(api.post("/api/query/" + id + "/refresh"), 404, "QUERY_NOT_FOUND");
        assertError(api.post("/api/query/" + id + "/cancel"), 404, "QUERY_NOT_FOUND");
        assertError(api.get("/api/query/" + id + "/download"), 404, "QUERY_NOT_FOUND");
    }

    @Test
    void veryLongIdsAreNotFound() {
        assertError(api.get("/api/query/" + "a".repeat(5000) + "/status"), 404, "QUERY_NOT_FOUND");
    }

    @Test
    void pagingParametersAreChecked() {
        String id = api.submit("SELECT * FROM range(10)");
        awaitEnd(api, id);
        String results = "/api/query/" + id + "/results";
        assertError(api.get(results + "?limit=1001"), 400, "INVALID_LIMIT");
        assertError(api.get(results + "?limit=0"), 400, "INVALID_LIMIT");
        assertError(api.get(results + "?limit=-5"), 400, "INVALID_LIMIT");
        assertError(api.get(results + "?limit=ten"), 400, "INVALID_LIMIT");
        assertError(api.get(results + "?limit=99999999999999"), 400, "INVALID_LIMIT");
        assertError(api.get(results + "?cursor=garbage"), 400, "INVALID_CURSOR");
        assertError(api.get(results + "?cursor=cjE6bzA&offset=0"), 400, "INVALID_PARAMETER");
        assertError(api.get(results + "?offset=-1"), 400, "INVALID_PARAMETER");
        assertError(api.get(results + "?offset=11"), 400, "INVALID_PARAMETER");
        assertThat(api.get(results + "?limit=1000").status()).isEqualTo(200);
        assertThat(api.get(results + "?offset=10").data().path("rows")).isEmpty();
    }

    @Test
    void badHistoryFiltersAreRefused() {
        assertError(api.get("/api/queries?state=DONE"), 400, "INVALID_STATE");
        assertError(api.get("/api/queries?limit=201"), 400, "INVALID_LIMIT");
        assertError(api.get("/api/queries?cursor=%25%25%25"), 400, "INVALID_CURSOR");
        assertError(api.get("/api/queries?engine=oracle"), 400, "UNKNOWN_ENGINE");
    }
}
