package io.sluice.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.EmbeddedDatabases;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.sluice.testing.Queries.awaitEnd;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two Sluice instances started from one configuration, as a cluster: one PostgreSQL store and one
 * S3 results location (the stand-in's S3 server, through the real AWS SDK and the standard
 * credential chain). A query submitted to and run by instance A has its pages, values and CSV
 * download — through a link A signed — served by instance B.
 */
class SharedResultsTest {

    private static final String LOCATION = "s3://" + AthenaFixture.BUCKET + "/shared-results/";
    private static final int FIRST_PART_ROWS = 1000;
    private static final String LINK_SECRET = "cluster-link-secret-0123456789abcdef";

    @TempDir
    static Path dir;
    static EmbeddedDatabases.Postgres postgres;
    static AthenaStandIn standIn;
    static TestServer a;
    static TestServer b;

    @BeforeAll
    static void startTwoInstances() {
        postgres = EmbeddedDatabases.postgres();
        EmbeddedDatabases.Store store = postgres.createDatabase();
        standIn = AthenaFixture.startStandIn();
        a = TestServer.start(dir.resolve("a"), root -> cluster(root, store), Clock.systemUTC());
        b = TestServer.start(dir.resolve("b"), root -> cluster(root, store), Clock.systemUTC());
    }

    /** The one configuration of every instance: no instance id, so each process gets its own. */
    private static void cluster(ObjectNode root, EmbeddedDatabases.Store store) {
        ((ObjectNode) root.get("server")).remove("instanceId");
        root.putObject("store").put("url", store.url()).put("user", store.user()).put("password", store.password());
        ((ObjectNode) root.get("results")).put("store", "s3").put("s3Location", LOCATION)
                .put("s3Region", standIn.region()).put("s3Endpoint", standIn.s3Endpoint().toString())
                .put("s3PathStyle", true).put("linkSecret", LINK_SECRET);
        root.putObject("cluster").put("enabled", true);
        ((ObjectNode) root.get("results")).put("firstPartRows", FIRST_PART_ROWS);
        AthenaFixture.configure(root, standIn);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {b, a, standIn, postgres}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    @Test
    void eachProcessHasItsOwnInstanceId() {
        assertThat(a.config().server().instanceId()).isNotEqualTo(b.config().server().instanceId());
    }

    @Test
    void anUnusableResultsLocationStopsTheStartNamingIt() {
        EmbeddedDatabases.Store store = postgres.createDatabase();
        assertThatThrownBy(() -> TestServer.start(dir.resolve("c"), root -> {
            cluster(root, store);
            ((ObjectNode) root.get("results")).put("s3Location", "s3://no-such-bucket/results/");
        }, Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("results.s3Location s3://no-such-bucket/results/ is not usable");
    }

    @Test
    void aResultWrittenByOneInstanceIsPagedReadAndDownloadedThroughTheOther() throws IOException {
        ApiClient onA = a.client();
        ApiClient onB = b.client();
        String id = onA.submit("SELECT n, 'value-' || n AS s, "
                + "CASE WHEN n % 50 = 49 THEN repeat('ü', 40000) ELSE 'short' END AS long_text "
                + "FROM range(250) t(n) ORDER BY n");
        assertThat(awaitEnd(onA, id)).isEqualTo("SUCCEEDED");

        // Pages: the same rows, the same cut values, from either instance.
        for (String page : List.of("?limit=100", "?limit=7&cursor=", "?limit=1000")) {
            String path = "/api/query/" + id + "/results" + page;
            if (page.endsWith("cursor=")) {
                path += onA.get("/api/query/" + id + "/results?limit=100").data().path("nextCursor").asText();
            }
            ApiClient.Response fromA = onA.get(path);
            ApiClient.Response fromB = onB.get(path);
            assertThat(fromB.status()).as(path).isEqualTo(200);
            assertThat(rowsAndCuts(fromB)).as(path).isEqualTo(rowsAndCuts(fromA));
        }
        JsonNode firstPage = onB.get("/api/query/" + id + "/results?limit=100").data();
        assertThat(firstPage.path("totalRows").asLong()).isEqualTo(250);
        assertThat(firstPage.path("rows").get(99).get(1).asText()).isEqualTo("value-99");
        assertThat(firstPage.path("truncatedCells")).isNotEmpty();

        // The value route gives the whole cut value on B.
        ApiClient.Response value = onB.get("/api/query/" + id + "/value?row=249&column=2");
        assertThat(value.status()).isEqualTo(200);
        assertThat(value.text()).isEqualTo("ü".repeat(40000));

        // A link signed by A is served by B, streamed from S3.
        String url = onA.get("/api/query/" + id + "/download").data().path("url").asText();
        ApiClient.Response fromB = onB.get(url);
        assertThat(fromB.status()).isEqualTo(200);
        assertThat(fromB.text()).isEqualTo(onA.get(url).text());
        assertThat(fromB.text()).startsWith("\"n\",\"s\",\"long_text\"\n\"0\",\"value-0\",\"short\"\n")
                .hasLineCount(251);

        // The result lives in S3, not in either instance's folder.
        try (S3Client s3 = AthenaFixture.s3Client(standIn)) {
            List<String> keys = s3.listObjectsV2Paginator(r -> r.bucket(AthenaFixture.BUCKET)
                    .prefix("shared-results/" + id + "/")).contents().stream().map(S3Object::key).toList();
            assertThat(keys).hasSize(2).anyMatch(k -> k.endsWith("/1/summary.json"))
                    .anyMatch(k -> k.endsWith("-00000.parquet"));
        }
        assertThat(publishedFiles(dir.resolve("a/results"))).isEmpty();
        assertThat(publishedFiles(dir.resolve("b/results"))).isEmpty();
    }

    @Test
    void aResultWrittenByOneInstanceIsSortedFilteredAggregatedAndDownloadedAsParquetThroughTheOther() {
        ApiClient onA = a.client();
        ApiClient onB = b.client();
        String id = onA.submit("SELECT n, n % 3 AS k, 'v' || n AS s FROM range(1000) t(n)");
        assertThat(awaitEnd(onA, id)).isEqualTo("SUCCEEDED");

        JsonNode sorted = onB.get("/api/query/" + id + "/results?limit=3&sort=n:desc&filter=lt:n:500").data();
        assertThat(sorted.path("totalRows").asLong()).isEqualTo(500);
        assertThat(sorted.path("rows").toString()).isEqualTo("[[499,1,\"v499\"],[498,0,\"v498\"],[497,2,\"v497\"]]");

        JsonNode groups = onB.get("/api/query/" + id + "/aggregate?groupBy=k&measures=count,sum:n").data();
        assertThat(groups.path("rows").toString()).isEqualTo("[[0,334,166833],[1,333,166167],[2,333,166500]]");

        String url = onA.get("/api/query/" + id + "/download?format=parquet").data().path("url").asText();
        ApiClient.Response parquet = onB.get(url);
        assertThat(parquet.status()).isEqualTo(200);
        assertThat(parquet.text()).startsWith("PAR1");
        String jsonl = onB.get(onB.get("/api/query/" + id + "/download?format=jsonl").data().path("url").asText()).text();
        assertThat(jsonl).startsWith("{\"n\":0,\"k\":0,\"s\":\"v0\"}\n").hasLineCount(1000);
    }

    @Test
    void anAthenaResultGoesToS3AsParquetAndItsFirstPartIsServedByBothInstancesMeanwhile() throws Exception {
        ApiClient onA = a.client();
        ApiClient onB = b.client();
        standIn.faults().pauseS3ReadsAfter(200_000); // Athena's CSV only, not the result store's objects
        String id;
        try {
            ApiClient.Response submitted = onA.post("/api/query", java.util.Map.of("engine", "athena", "query",
                    "SELECT range AS n, CASE WHEN range % 10 = 0 THEN NULL WHEN range % 10 = 1 THEN '' "
                            + "ELSE 'value-' || range END AS s, CAST(range * 1.25 AS DECIMAL(20,2)) AS amount "
                            + "FROM range(300000) ORDER BY n"));
            assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
            id = submitted.data().path("id").asText();
            String statusPath = "/api/query/" + id + "/status";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> onA.get(statusPath).data(),
                    st -> st.path("resultProgress").path("firstPartReady").asBoolean());
            // The first part, from S3, on the instance storing the result and on the other one.
            for (ApiClient api : new ApiClient[] {onA, onB}) {
                JsonNode first = api.get("/api/query/" + id + "/results?limit=100").data();
                assertThat(first.path("partial").asBoolean()).isTrue();
                assertThat(first.path("rows")).hasSize(100);
                assertThat(first.path("rows").get(2).toString()).isEqualTo("[2,\"value-2\",\"2.50\"]");
            }
        } finally {
            standIn.faults().resumeS3Reads();
        }
        assertThat(awaitEnd(onA, id)).isEqualTo("SUCCEEDED");

        // The whole result: NULL and the empty string kept apart, decimals as Athena wrote them.
        String lastPage = "/api/query/" + id + "/results?limit=100&offset=299900";
        JsonNode last = onB.get(lastPage).data();
        assertThat(last.has("partial")).isFalse();
        assertThat(last.path("totalRows").asLong()).isEqualTo(300000);
        assertThat(last.path("rows").get(90).toString()).isEqualTo("[299990,null,\"374987.50\"]");
        assertThat(last.path("rows").get(91).toString()).isEqualTo("[299991,\"\",\"374988.75\"]");
        assertThat(rowsAndCuts(onB.get(lastPage))).isEqualTo(rowsAndCuts(onA.get(lastPage)));

        // Views and downloads through the instance that did not store it.
        JsonNode filtered = onB.get("/api/query/" + id + "/results?limit=3&sort=n:desc&filter=contains:s:value-29999").data();
        assertThat(filtered.path("totalRows").asLong()).isEqualTo(9);
        assertThat(filtered.path("rows").get(0).get(0).asLong()).isEqualTo(299999);
        JsonNode whole = onB.get("/api/query/" + id + "/aggregate?measures=count,sum:n").data();
        assertThat(whole.path("rows").toString()).isEqualTo("[[300000,44999850000]]");
        Path file = dir.resolve(id + ".parquet");
        java.net.http.HttpResponse<Path> parquet = java.net.http.HttpClient.newHttpClient().send(onB.request(
                onA.get("/api/query/" + id + "/download?format=parquet").data().path("url").asText()).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofFile(file));
        assertThat(parquet.statusCode()).isEqualTo(200);
        try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.ResultSet rs = duck.createStatement().executeQuery("SELECT count(*), count(s), count(*) FILTER (WHERE s = ''), "
                     + "max(n), typeof(any_value(n)) FROM read_parquet('" + file + "')")) {
            rs.next();
            assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                    .containsExactly(300000L, 270000L, 30000L, 299999L);
            assertThat(rs.getString(5)).isEqualTo("BIGINT");
        }

        // In S3: the run's Parquet parts and its summary; the first part is gone once the run ended.
        try (S3Client s3 = AthenaFixture.s3Client(standIn)) {
            String prefix = "shared-results/" + id + "/";
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(s3.listObjectsV2Paginator(r -> r
                    .bucket(AthenaFixture.BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).toList())
                    .allMatch(k -> k.startsWith(prefix + "1/"))
                    .anyMatch(k -> k.endsWith("/1/summary.json"))
                    .filteredOn(k -> k.endsWith(".parquet")).hasSize(3));
        }
    }

    private static JsonNode rowsAndCuts(ApiClient.Response response) {
        ObjectNode data = (ObjectNode) response.data();
        return data.objectNode().setAll(java.util.Map.of("rows", data.path("rows"),
                "truncatedCells", data.path("truncatedCells"), "nextCursor", data.path("nextCursor"),
                "totalRows", data.path("totalRows")));
    }

    private static List<Path> publishedFiles(Path results) throws IOException {
        if (!Files.exists(results)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(results)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/.tmp/")).toList();
        }
    }
}
