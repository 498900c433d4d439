package io.sluice.download;

import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.MutableClock;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

/** DuckDB results download as CSV through signed, expiring links, without re-running the query. */
class LocalDownloadApiTest {

    @TempDir
    static Path dir;
    static final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    static TestServer server;
    static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, c -> { }, clock);
        api = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theLinkStreamsTheStoredResultAsAthenaStyleCsv() {
        String id = api.submit("SELECT * FROM (VALUES (1, 'a \"q\"', NULL), (2, '', 'x,y')) t(n, s, z) ORDER BY n");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        Response link = api.get("/api/query/" + id + "/download");
        assertThat(link.status()).isEqualTo(200);
        assertThat(link.messageCode()).isEqualTo("DOWNLOAD_READY");
        assertThat(link.data().path("partial").asBoolean()).isFalse();
        assertThat(link.data().path("fileName").asText()).isEqualTo("sluice-" + id + ".csv");
        assertThat(link.data().path("expiresAt").asText()).isEqualTo("2026-01-02T00:00:00.000Z");
        String url = link.data().path("url").asText();
        assertThat(url).startsWith("/api/files/");

        Response file = api.get(url);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.headers().get("content-disposition").get(0)).contains("sluice-" + id + ".csv");
        assertThat(file.text()).isEqualTo("\"n\",\"s\",\"z\"\n\"1\",\"a \"\"q\"\"\",\n\"2\",\"\",\"x,y\"\n");
        // A fresh link on every call (same clock here, so the same expiry: same content, still valid).
        assertThat(api.get(api.get("/api/query/" + id + "/download").data().path("url").asText()).status())
                .isEqualTo(200);
    }

    @Test
    void tamperedAndExpiredLinksAreRefused() {
        String id = api.submit("SELECT 1 AS one");
        awaitEnd(api, id);
        String url = api.get("/api/query/" + id + "/download").data().path("url").asText();
        String token = url.substring("/api/files/".length());
        String tampered = "/api/files/" + token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        assertThat(api.get(tampered).errorCode()).isEqualTo("LINK_INVALID");
        assertThat(api.get(tampered).status()).isEqualTo(403);
        assertThat(api.get("/api/files/garbage").errorCode()).isEqualTo("LINK_INVALID");

        clock.advance(Duration.ofHours(24).plusSeconds(1));
        try {
            Response expired = api.get(url);
            assertThat(expired.status()).isEqualTo(403);
            assertThat(expired.errorCode()).isEqualTo("LINK_EXPIRED");
        } finally {
            clock.advance(Duration.ofHours(-24).minusSeconds(1));
        }
    }

    @Test
    void unfinishedAndResultlessQueriesHaveNoDownload() {
        String running = api.submit(LONG_RUNNING);
        awaitState(api, running, "RUNNING");
        assertThat(api.get("/api/query/" + running + "/download").errorCode()).isEqualTo("QUERY_NOT_FINISHED");
        api.post("/api/query/" + running + "/cancel");
        Response cancelled = api.get("/api/query/" + running + "/download");
        assertThat(cancelled.status()).isEqualTo(404);
        assertThat(cancelled.errorCode()).isEqualTo("RESULT_NOT_AVAILABLE");

        String failed = api.submit("SELECT * FROM nowhere_table");
        awaitEnd(api, failed);
        assertThat(api.get("/api/query/" + failed + "/download").errorCode()).isEqualTo("RESULT_NOT_AVAILABLE");
    }

    @Test
    void aLinkToARefreshedRunNoLongerServesTheOldResult() {
        String id = api.submit("SELECT 1 AS one");
        awaitEnd(api, id);
        String url = api.get("/api/query/" + id + "/download").data().path("url").asText();
        api.post("/api/query/" + id + "/refresh");
        awaitEnd(api, id);
        assertThat(api.get(url).errorCode()).isEqualTo("RESULT_NOT_AVAILABLE");
    }
}
