package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/query/{id}/value}: one whole value of a result as plain text, what the page
 * showed cut included, with the results route's checks.
 */
class ResultValueApiTest {

    /** 60,000 × "é€x": 360,000 UTF-8 bytes, far past the 64 KiB a page shows. */
    private static final String LONG = "é€x".repeat(60_000);

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();
    static ApiClient api;
    static String id;

    @BeforeAll
    static void start() {
        api = sluice.api();
        id = api.submit("SELECT repeat('é€x', 60000) AS big, 42 AS n, NULL::VARCHAR AS nothing, true AS flag, "
                + "1.5::DOUBLE AS d, 'say \"hi\"' || chr(10) AS tricky");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
    }

    private static Response value(String queryId, String parameters) {
        return api.get("/api/query/" + queryId + "/value?" + parameters);
    }

    private static String header(Response r, String name) {
        List<String> values = r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .findFirst().map(e -> e.getValue()).orElse(List.of());
        return values.isEmpty() ? null : values.get(0);
    }

    @Test
    void thePageShowsALongValueCutAndTheValueRouteAnswersItWhole() {
        JsonNode page = api.get("/api/query/" + id + "/results").data();
        String shown = page.path("rows").get(0).get(0).asText();
        assertThat(LONG).startsWith(shown);
        assertThat(shown.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64 * 1024);
        JsonNode cut = page.path("truncatedCells");
        assertThat(cut).hasSize(1);
        assertThat(cut.get(0).path("row").asInt()).isZero();
        assertThat(cut.get(0).path("column").asInt()).isZero();
        assertThat(cut.get(0).path("bytes").asLong()).isEqualTo(LONG.getBytes(StandardCharsets.UTF_8).length);

        Response whole = value(id, "row=0&column=0");

        assertThat(whole.status()).isEqualTo(200);
        assertThat(header(whole, "Content-Type")).isEqualToIgnoringWhitespace("text/plain;charset=utf-8");
        assertThat(header(whole, "X-Sluice-Value-Type")).isEqualTo("string");
        assertThat(whole.text()).isEqualTo(LONG);
        assertThat(value(id, "row=0&column=5").text()).isEqualTo("say \"hi\"\n");
    }

    @Test
    void numbersAndBooleansAnswerTheirJsonTextAndNullAnswersNoContent() {
        Response n = value(id, "row=0&column=1");
        assertThat(n.status()).isEqualTo(200);
        assertThat(n.text()).isEqualTo("42");
        assertThat(header(n, "X-Sluice-Value-Type")).isEqualTo("number");
        assertThat(value(id, "row=0&column=4").text()).isEqualTo("1.5");
        Response flag = value(id, "row=0&column=3");
        assertThat(flag.text()).isEqualTo("true");
        assertThat(header(flag, "X-Sluice-Value-Type")).isEqualTo("boolean");

        Response nothing = value(id, "row=0&column=2");
        assertThat(nothing.status()).isEqualTo(204);
        assertThat(nothing.text()).isEmpty();
        assertThat(header(nothing, "X-Sluice-Value-Type")).isEqualTo("null");
    }

    @Test
    void theRowIsTheAbsoluteRowNumberInTheResult() {
        String many = api.submit("SELECT range AS n, 'v' || range AS s FROM range(300) ORDER BY n");
        awaitEnd(api, many);
        assertThat(value(many, "row=257&column=1").text()).isEqualTo("v257");
        assertThat(value(many, "row=299&column=0").text()).isEqualTo("299");
    }

    @Test
    void aRowOrColumnOutsideTheResultOrNotANumberIsAnInvalidParameter() {
        for (String parameters : List.of("row=1&column=0", "row=-1&column=0", "row=0&column=6", "row=0&column=-1",
                "row=x&column=0", "row=0&column=1.5", "column=0", "row=0", "", "row=99999999999999999999&column=0")) {
            Response r = value(id, parameters);
            assertThat(r.status()).as(parameters).isEqualTo(400);
            assertThat(r.errorCode()).as(parameters).isEqualTo("INVALID_PARAMETER");
        }
        assertThat(value(id, "row=1&column=0").json().path("error").path("details").path("totalRows").asLong())
                .isEqualTo(1);
        assertThat(value(id, "row=0&column=6").json().path("error").path("details").path("columns").asInt())
                .isEqualTo(6);
    }

    @Test
    void queriesWithoutAResultAnswerAsTheResultsRouteDoes() {
        assertThat(value("00000000-0000-4000-8000-000000000000", "row=0&column=0").errorCode())
                .isEqualTo("QUERY_NOT_FOUND");
        assertThat(value("not-an-id", "row=0&column=0").status()).isEqualTo(404);

        String failed = api.submit("SELECT * FROM no_such_table_for_values");
        awaitEnd(api, failed);
        Response f = value(failed, "row=0&column=0");
        assertThat(f.status()).isEqualTo(422);
        assertThat(f.errorCode()).isEqualTo("QUERY_FAILED");

        String running = api.submit(LONG_RUNNING);
        awaitState(api, running, "RUNNING");
        Response r = value(running, "row=0&column=0");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("QUERY_NOT_FINISHED");
        api.post("/api/query/" + running + "/cancel");
        Response c = value(running, "row=0&column=0");
        assertThat(c.status()).isEqualTo(410);
        assertThat(c.errorCode()).isEqualTo("QUERY_CANCELLED");
    }
}
