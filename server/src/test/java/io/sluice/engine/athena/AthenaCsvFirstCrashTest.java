package io.sluice.engine.athena;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.SluiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A large Athena result succeeds once Athena's CSV is copied and is converted to Parquet after. Sluice
 * (a separate JVM) is killed with SIGKILL the moment the query has succeeded, while the result is
 * still Athena's CSV: after the restart the acknowledged result is whole, pages and sorts, and is
 * converted to Parquet.
 */
class AthenaCsvFirstCrashTest {

    private static final int ROWS = 2_000_000;

    @TempDir
    Path dir;

    @Test
    void aResultKilledBeforeItsConversionIsWholeAndConvertedAfterTheRestart() throws Exception {
        AthenaStandIn standIn = AthenaFixture.startStandIn();
        try {
            ObjectNode config = SluiceProcess.defaultConfig(dir);
            AthenaFixture.configure(config, standIn);
            ((ObjectNode) config.get("engines")).put("default", "athena");
            Map<String, String> credentials = Map.of("AWS_ACCESS_KEY_ID", standIn.accessKeyId(),
                    "AWS_SECRET_ACCESS_KEY", standIn.secretAccessKey());
            Path results = dir.resolve("results");
            String id;
            boolean csvAtKill;
            SluiceProcess sluice = SluiceProcess.start(dir, "csv-first-crash", config, credentials);
            try {
                id = sluice.api().submit("SELECT range AS n, 'v' || range AS s FROM range(" + ROWS + ") ORDER BY n");
                assertThat(awaitEnd(sluice.api(), id)).isEqualTo("SUCCEEDED");
                csvAtKill = storedFiles(results, id).contains("rows-0.csv");
                sluice.kill();
            } finally {
                sluice.kill();
            }
            // Converting two million rows takes a second or more; the kill came within milliseconds of SUCCEEDED.
            assertThat(csvAtKill).as("the result was still Athena's CSV when Sluice was killed").isTrue();

            try (SluiceProcess again = SluiceProcess.start(dir, "csv-first-crash", config, credentials)) {
                ApiClient api = again.api();
                assertThat(api.state(id)).isEqualTo("SUCCEEDED");
                for (long offset : new long[] {0, 1_000_000, ROWS - 1}) {
                    assertThat(api.get("/api/query/" + id + "/results?limit=1&offset=" + offset).data().path("rows").toString())
                            .isEqualTo("[[" + offset + ",\"v" + offset + "\"]]");
                }
                assertThat(api.get("/api/query/" + id + "/results?limit=1&sort=n:desc").data().path("rows").toString())
                        .isEqualTo("[[" + (ROWS - 1) + ",\"v" + (ROWS - 1) + "\"]]");
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                    java.util.List<String> files = storedFiles(results, id);
                    return files.stream().anyMatch(n -> n.endsWith(".parquet")) && files.stream().noneMatch(n -> n.endsWith(".csv"));
                });
                assertThat(api.get("/api/query/" + id + "/results?limit=1&offset=" + (ROWS - 1)).data().path("totalRows").asLong())
                        .isEqualTo(ROWS);
            }
        } finally {
            standIn.close();
        }
    }

    private static java.util.List<String> storedFiles(Path results, String id) throws Exception {
        try (Stream<Path> walk = Files.walk(results.resolve(id))) {
            return walk.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }
}
