package io.sluice.result;

import io.sluice.testing.ApiClient;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large Athena result is published as Athena's CSV and converted to Parquet after; when that
 * conversion fails (here: a byte that is not UTF-8, which the copy keeps and DuckDB's CSV reader
 * refuses), the result still pages and downloads as CSV over HTTP, and everything that needs
 * Parquet answers 409 RESULT_NOT_COLUMNAR: never a 500, and never an empty 200 download.
 */
class FailedConversionApiTest {

    private static final int ROWS = 300_000;
    private static final int BAD_ROW = 200_000;

    @TempDir
    Path dir;

    @Test
    void aResultWhoseConversionFailedPagesAsCsvAndRefusesWhatNeedsParquet() throws Exception {
        String id = Results.queryWithCsvFormResult(dir, Results.numberedCsv(ROWS, BAD_ROW));

        try (TestServer server = TestServer.start(dir)) {
            ApiClient api = server.client().with("Accept-Language", "en");
            String base = "/api/query/" + id;
            // The first request of each kind may be the one that meets the failing conversion.
            for (String path : List.of("/results?sort=n:desc", "/results?filter=eq:n:1", "/aggregate?groupBy=s")) {
                ApiClient.Response r = api.get(base + path);
                assertThat(r.status()).as(path).isEqualTo(409);
                assertThat(r.errorCode()).as(path).isEqualTo("RESULT_NOT_COLUMNAR");
                assertThat(r.json().path("error").path("message").asText()).as(path).contains("could not be converted");
            }
            for (String format : List.of("parquet", "jsonl")) {
                ApiClient.Response link = api.get(base + "/download?format=" + format);
                if (link.status() == 200) { // issued before the failure was known: the file route refuses
                    ApiClient.Response file = api.get(link.data().path("url").asText());
                    assertThat(file.status()).as(format).isEqualTo(409);
                    assertThat(file.errorCode()).as(format).isEqualTo("RESULT_NOT_COLUMNAR");
                } else {
                    assertThat(link.status()).as(format).isEqualTo(409);
                    assertThat(link.errorCode()).as(format).isEqualTo("RESULT_NOT_COLUMNAR");
                }
            }
            // What the CSV form can do still works, around the byte the conversion refused.
            assertThat(api.get(base + "/results?offset=" + (BAD_ROW - 1) + "&limit=1").data().path("rows").toString())
                    .isEqualTo("[[" + (BAD_ROW - 1) + ",\"s" + (BAD_ROW - 1) + "\"]]");
            assertThat(api.get(base + "/results?offset=" + (ROWS - 1)).data().path("totalRows").asLong()).isEqualTo(ROWS);
            String csv = api.get(api.get(base + "/download").data().path("url").asText()).text();
            assertThat(csv).startsWith("\"n\",\"s\"\n\"0\",\"s0\"\n").endsWith("\"" + (ROWS - 1) + "\",\"s" + (ROWS - 1) + "\"\n");
        }
    }
}
