package io.sluice.result.firstpart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.EmbeddedDatabases;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The first part of a finished Athena result is served while the rest is stored: through the
 * stand-in (real AWS SDK), whose S3 pauses the result file's download after its first bytes, the
 * run is seen RUNNING in STORING_RESULT with its first part readable on both instances of a
 * cluster sharing one results folder, pages past it refused, and once the download goes on the
 * whole result replaces it. A cancel while storing leaves nothing behind.
 */
class AthenaFirstPartTest {

    private static final String SQL = "SELECT range AS n, 'value-' || range AS s FROM range(200000) ORDER BY n";
    private static final int FIRST_PART_ROWS = 1000;
    private static final String LINK_SECRET = "first-part-link-secret-0123456789abcdef";

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
        a = TestServer.start(dir.resolve("a"), root -> cluster(root, store, "a"), Clock.systemUTC());
        b = TestServer.start(dir.resolve("b"), root -> cluster(root, store, "b"), Clock.systemUTC());
    }

    private static void cluster(ObjectNode root, EmbeddedDatabases.Store store, String instance) {
        ((ObjectNode) root.get("server")).put("instanceId", instance);
        root.putObject("store").put("url", store.url()).put("user", store.user()).put("password", store.password());
        ((ObjectNode) root.get("results")).put("dir", dir.resolve("shared-results").toString()).put("sharedFolder", true)
                .put("linkSecret", LINK_SECRET).put("firstPartRows", FIRST_PART_ROWS);
        root.putObject("cluster").put("enabled", true);
        AthenaFixture.configure(root, standIn);
    }

    @AfterEach
    void resume() {
        standIn.faults().reset();
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
    void theFirstPageIsServedWhileTheRestIsStoredThenTheWholeResult() {
        standIn.faults().pauseS3ReadsAfter(200_000);
        ApiClient onA = a.client();
        ApiClient onB = b.client();
        String id = submit(onA, SQL);
        JsonNode status = awaitFirstPart(onA, id);
        assertThat(status.path("state").asText()).isEqualTo("RUNNING");
        assertThat(status.path("resultProgress").path("rowsStored").asLong()).isEqualTo(FIRST_PART_ROWS);

        // The first page, marked partial, from the instance storing it and from the other one.
        for (ApiClient api : new ApiClient[] {onA, onB}) {
            ApiClient.Response page = api.get("/api/query/" + id + "/results?limit=100");
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.data().path("partial").asBoolean()).isTrue();
            assertThat(page.data().path("rows")).hasSize(100);
            assertThat(page.data().path("rows").get(99).get(1).asText()).isEqualTo("value-99");
        }
        assertThat(onB.get("/api/query/" + id + "/status").data().path("resultProgress").path("firstPartReady").asBoolean())
                .isTrue();

        // A page reaching past the first part stops at its end; the page after it is not ready yet.
        JsonNode last = onB.get("/api/query/" + id + "/results?limit=100&offset=950").data();
        assertThat(last.path("rows")).hasSize(50);
        assertThat(last.path("rows").get(49).get(0).asLong()).isEqualTo(999);
        ApiClient.Response next = onB.get("/api/query/" + id + "/results?limit=100&cursor=" + last.path("nextCursor").asText());
        assertThat(next.status()).isEqualTo(409);
        assertThat(next.errorCode()).isEqualTo("RESULT_NOT_READY");
        assertThat(onA.get("/api/query/" + id + "/results?offset=1000").errorCode()).isEqualTo("RESULT_NOT_READY");
        assertThat(onA.get("/api/query/" + id + "/results?sort=n:desc").errorCode()).isEqualTo("RESULT_NOT_READY");
        assertThat(a.sluice().queries().get(io.sluice.access.Caller.ANONYMOUS, id).state().name()).isEqualTo("RUNNING");

        standIn.faults().resumeS3Reads();
        assertThat(awaitEnd(onA, id)).isEqualTo("SUCCEEDED");
        for (ApiClient api : new ApiClient[] {onA, onB}) {
            JsonNode whole = api.get("/api/query/" + id + "/results?limit=100&offset=199900").data();
            assertThat(whole.has("partial")).isFalse();
            assertThat(whole.path("totalRows").asLong()).isEqualTo(200000);
            assertThat(whole.path("rows").get(99).get(1).asText()).isEqualTo("value-199999");
            assertThat(api.get("/api/query/" + id + "/status").data().has("resultProgress")).isFalse();
        }
        assertThat(onA.get("/api/query/" + id + "/results?limit=10").data().has("partial")).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(firstPartDir(id)));
    }

    @Test
    void aCancelWhileStoringRemovesTheFirstPart() {
        standIn.faults().pauseS3ReadsAfter(200_000);
        ApiClient onA = a.client();
        String id = submit(onA, SQL);
        awaitFirstPart(onA, id);
        assertThat(Files.exists(firstPartDir(id))).isTrue();

        ApiClient.Response cancel = onA.post("/api/query/" + id + "/cancel");
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        assertThat(Files.exists(firstPartDir(id))).isFalse();
        assertThat(onA.get("/api/query/" + id + "/results").errorCode()).isEqualTo("QUERY_CANCELLED");
        assertThat(b.client().get("/api/query/" + id + "/results").errorCode()).isEqualTo("QUERY_CANCELLED");

        standIn.faults().resumeS3Reads();
        await().atMost(Duration.ofSeconds(60)).until(() -> !a.sluice().runner().isIngesting(id, 1));
        assertThat(Files.exists(firstPartDir(id))).isFalse();
        assertThat(Files.exists(dir.resolve("shared-results").resolve(id).resolve("1"))).isFalse();
        assertThat(onA.state(id)).isEqualTo("CANCELLED");
    }

    @Test
    void aResultSmallerThanTheFirstPartIsStoredWithoutOne() {
        ApiClient onA = a.client();
        String id = submit(onA, "SELECT range AS n FROM range(" + (FIRST_PART_ROWS - 1) + ")");
        assertThat(awaitEnd(onA, id)).isEqualTo("SUCCEEDED");
        JsonNode page = onA.get("/api/query/" + id + "/results?limit=5").data();
        assertThat(page.has("partial")).isFalse();
        assertThat(page.path("totalRows").asLong()).isEqualTo(FIRST_PART_ROWS - 1);
        assertThat(Files.exists(firstPartDir(id))).isFalse();
    }

    private static String submit(ApiClient api, String sql) {
        ApiClient.Response r = api.post("/api/query", java.util.Map.of("query", sql, "engine", "athena"));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.data().path("id").asText();
    }

    private static JsonNode awaitFirstPart(ApiClient api, String id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> api.get("/api/query/" + id + "/status").data(),
                        s -> "STORING_RESULT".equals(s.path("phase").asText())
                                && s.path("resultProgress").path("firstPartReady").asBoolean());
    }

    private static Path firstPartDir(String id) {
        return dir.resolve("shared-results").resolve(id).resolve(String.valueOf(FirstParts.storeRun(1)));
    }
}
