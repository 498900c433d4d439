package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/** Results come back page by page, in order, with values as the engine produced them. */
class ResultPagingApiTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();
    static ApiClient api;

    @BeforeAll
    static void start() {
        api = sluice.api();
    }

    @Test
    void cursorsWalkTheWholeResultInOrder() {
        String id = api.submit("SELECT range AS n, 'row ' || range AS label FROM range(2500) ORDER BY n");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        long expected = 0;
        String cursor = null;
        int pages = 0;
        do {
            String query = "?limit=1000" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode data = api.get("/api/query/" + id + "/results" + query).data();
            assertThat(data.path("totalRows").asLong()).isEqualTo(2500);
            assertThat(data.path("offset").asLong()).isEqualTo(expected);
            for (JsonNode row : data.path("rows")) {
                assertThat(row.get(0).asLong()).isEqualTo(expected);
                assertThat(row.get(1).asText()).isEqualTo("row " + expected);
                expected++;
            }
            cursor = data.path("nextCursor").isNull() ? null : data.path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(expected).isEqualTo(2500);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void defaultPageIsAHundredRowsAndOffsetsJump() {
        String id = api.submit("SELECT range AS n FROM range(1234) ORDER BY n");
        awaitEnd(api, id);
        JsonNode first = api.get("/api/query/" + id + "/results").data();
        assertThat(first.path("rows")).hasSize(100);
        assertThat(first.path("nextCursor").isTextual()).isTrue();
        JsonNode last = api.get("/api/query/" + id + "/results?offset=1200").data();
        assertThat(last.path("rows")).hasSize(34);
        assertThat(last.path("rows").get(0).get(0).asLong()).isEqualTo(1200);
        assertThat(last.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void valuesKeepNullsTypesAndText() {
        String id = api.submit("""
                SELECT NULL::VARCHAR AS a_null, '' AS empty, 'null' AS null_text,
                       'quote " comma , newline
                next' AS tricky, '中文 ☃ émoji 🚀' AS unicode,
                       true AS flag, 9007199254740993::BIGINT AS big, 1.5::DOUBLE AS dbl,
                       12.30::DECIMAL(10,2) AS dec, DATE '2024-10-01' AS d,
                       TIMESTAMP '2024-10-01 12:34:56.789' AS ts, [1, 2] AS arr,
                       'NaN'::DOUBLE AS nan, 170141183460469231731687303715884105727::HUGEINT AS huge""");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        Response r = api.get("/api/query/" + id + "/results");
        JsonNode row = r.data().path("rows").get(0);
        JsonNode columns = r.data().path("columns");
        assertThat(row.get(0).isNull()).isTrue();
        assertThat(row.get(1).asText()).isEmpty();
        assertThat(row.get(1).isTextual()).isTrue();
        assertThat(row.get(2).asText()).isEqualTo("null");
        assertThat(row.get(3).asText()).isEqualTo("quote \" comma , newline\nnext");
        assertThat(row.get(4).asText()).isEqualTo("中文 ☃ émoji 🚀");
        assertThat(row.get(5).isBoolean()).isTrue();
        assertThat(row.get(6).isIntegralNumber()).isTrue();
        assertThat(r.text()).contains("9007199254740993");
        assertThat(row.get(7).asDouble()).isEqualTo(1.5);
        assertThat(row.get(8).asText()).isEqualTo("12.30");
        assertThat(columns.get(8).path("type").asText()).isEqualTo("decimal(10,2)");
        assertThat(row.get(9).asText()).isEqualTo("2024-10-01");
        assertThat(columns.get(9).path("type").asText()).isEqualTo("date");
        assertThat(row.get(10).asText()).startsWith("2024-10-01 12:34:56.789");
        assertThat(columns.get(11).path("type").asText()).isEqualTo("array(integer)");
        assertThat(row.get(12).asText()).isEqualTo("NaN");
        assertThat(row.get(13).asText()).isEqualTo("170141183460469231731687303715884105727");
    }

    @Test
    void statementsWithoutRowsReportRowsAffected() {
        String id = api.submit("CREATE TEMP TABLE scratch AS SELECT * FROM range(5)");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        JsonNode data = api.get("/api/query/" + id + "/results").data();
        assertThat(data.path("columns").get(0).path("name").asText()).isEqualTo("rows_affected");
    }

    @Test
    void anEmptyResultHasColumnsAndNoRows() {
        String id = api.submit("SELECT event_type FROM events WHERE 1 = 0");
        awaitEnd(api, id);
        JsonNode data = api.get("/api/query/" + id + "/results").data();
        assertThat(data.path("columns")).hasSize(1);
        assertThat(data.path("rows")).isEmpty();
        assertThat(data.path("totalRows").asLong()).isZero();
    }
}
