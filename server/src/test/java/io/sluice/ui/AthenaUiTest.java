package io.sluice.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.Queries;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A smoke test of the athena engine in the browser: Sluice → the real AWS SDK → the Athena
 * stand-in. While a query runs, the statistics (data scanned, estimated cost) show and grow;
 * a cancelled query offers its partial result file through a presigned S3 link.
 */
class AthenaUiTest extends UiTestSupport {

    private static final long GIB = 1024L * 1024 * 1024;
    private AthenaFixture athena;

    @Override
    protected TestServer startServer(Path dir) {
        // Sluice's own scan guardrail far away (its default, 10 GiB, is tested by the API tests).
        athena = AthenaFixture.start(dir, c -> ((ObjectNode) c.path("engines").path("athena"))
                .put("maxScannedBytes", 1024 * GIB));
        return athena.server();
    }

    @AfterEach
    void resetFaults() {
        athena.standIn().faults().reset();
        athena.standIn().faults().releaseHeld();
        athena.standIn().workGroup("primary", AthenaFixture.OUTPUT, null, false);
    }

    /** The presigned link of a partial result points at the S3 stand-in. */
    @Override
    protected Set<String> allowedOrigins() {
        return Set.of(origin(athena.standIn().s3Endpoint().toString()));
    }

    @Override
    protected void stopServer() {
        if (athena != null) {
            athena.close();
        }
    }

    @Test
    void statisticsShowWhileAnAthenaQueryRunsAndACancelledOneOffersItsPartialFile() {
        // Held until cancelled, scanning 512 MiB a second.
        athena.standIn().faults().holdMatching("ui_held_marker").scanRate(GIB / 2);
        tid("engine-select").selectOption("athena");
        assertThat(tid("catalog-select")).hasValue("AwsDataCatalog");
        assertThat(tid("database-select")).hasValue("analytics");

        run("SELECT event_type AS ui_held_marker, count(*) AS n FROM events GROUP BY 1 ORDER BY 1");
        assertThat(tid("cancel-button")).isVisible();
        String id = activeQueryId();
        Queries.awaitState(api, id, "RUNNING");
        assertThat(api.get("/api/query/" + id + "/status").data().path("engine").asText()).isEqualTo("athena");

        // Live statistics: scanned data (GB, two decimals) and cost (USD) appear and grow.
        Locator scanned = tid("stat-scanned");
        Locator cost = tid("stat-cost");
        assertThat(tid("stats")).isVisible();
        page.waitForFunction("() => parseFloat(document.querySelector('[data-testid=stat-scanned]').textContent) > 0");
        assertThat(scanned).hasText(java.util.regex.Pattern.compile("^\\d+\\.\\d{2} GB$"));
        assertThat(cost).hasText(java.util.regex.Pattern.compile("^\\$\\d+\\.\\d{2,4}$"));
        double first = Double.parseDouble(scanned.textContent().replace(" GB", ""));
        page.waitForFunction("first => parseFloat(document.querySelector('[data-testid=stat-scanned]').textContent) > first",
                first);
        assertThat(tid("stat-exec")).hasText(java.util.regex.Pattern.compile("^\\d+\\.\\d{2} s$"));
        assertThat(tid("spinner")).isVisible();
        assertThat(tid("elapsed")).isVisible();

        // Cancel: the yellow notice; the statistics keep what was scanned (and paid for).
        tid("cancel-button").click();
        assertThat(tid("notice-cancelled")).isVisible();
        assertThat(tid("notice-cancelled")).hasAttribute("data-message-code", "QUERY_CANCELLED");
        assertThat(tid("run-button")).isEnabled();
        assertThat(scanned).not().hasText("—");
        assertThat(cost).not().hasText("—");

        // The partial file: a presigned S3 link (another origin, so it opens in a new tab).
        tid("download-button").click();
        Locator link = tid("download-link");
        assertThat(link).isVisible();
        assertThat(link).hasAttribute("data-partial", "true");
        assertThat(link).hasAttribute("target", "_blank");
        assertThat(tid("download-partial")).isVisible();
        String href = link.getAttribute("href");
        assertThat(href).startsWith(athena.standIn().s3Endpoint().toString()).contains("X-Amz-Signature");
        APIResponse file = page.request().get(href);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.text()).startsWith("\"ui_held_marker\",\"n\"\n");

        // History: the cancelled query with what it scanned and cost, as the API has them.
        JsonNode stats = api.get("/api/query/" + id + "/status").data().path("statistics");
        tid("side-tab-history").click();
        Locator item = page.locator("[data-testid=history-item][data-query-id='" + id + "']");
        assertThat(item).hasAttribute("data-state", "CANCELLED");
        assertThat(item.getByTestId("history-scanned").locator(".metric-value"))
                .hasText(String.format(Locale.ROOT, "%.2f GB", stats.path("dataScannedGb").asDouble()));
        assertThat(item.getByTestId("history-cost").locator(".metric-value"))
                .hasText(Pattern.compile("^\\$\\d+\\.\\d{2,4}$"));
        assertThat(stats.path("costUsd").asDouble()).isGreaterThan(0);
    }

    @Test
    void theConfigurationPanelShowsTheEffectiveConfiguration() {
        JsonNode config = api.get("/api/config").data();
        JsonNode athenaConfig = engine(config, "athena");
        JsonNode duckdbConfig = engine(config, "duckdb");
        tid("side-tab-config").click();
        assertThat(tid("config-panel")).isVisible();

        assertThat(tid("config-athena-type")).hasText(athenaConfig.path("type").asText());
        assertThat(tid("config-duckdb-type")).hasText(duckdbConfig.path("type").asText());
        assertThat(tid("config-athena-region")).hasText(athenaConfig.path("region").asText());
        assertThat(tid("config-athena-workgroup")).hasText(athenaConfig.path("workgroup").asText());
        assertThat(tid("config-athena-output-location")).hasText(athenaConfig.path("outputLocation").asText());
        assertThat(tid("config-athena-output-location")).hasText(Pattern.compile("^s3://"));
        assertThat(tid("config-athena-poll-interval"))
                .hasText(athenaConfig.path("pollIntervalMillis").asLong() + " ms");
        assertThat(tid("config-duckdb-max-runtime")).hasText(limit(duckdbConfig.path("maxRuntimeSeconds").asLong()));
        assertThat(tid("config-athena-max-runtime")).hasText(limit(athenaConfig.path("maxRuntimeSeconds").asLong()));
        assertThat(tid("config-default-engine")).hasText(config.path("defaultEngine").asText());

        // In Chinese, the units too.
        tid("language-switch").selectOption("zh-CN");
        assertThat(tid("config-athena-poll-interval"))
                .hasText(athenaConfig.path("pollIntervalMillis").asLong() + " 毫秒");
        assertThat(tid("config-athena-region")).hasText(athenaConfig.path("region").asText());
    }

    private static JsonNode engine(JsonNode config, String name) {
        for (JsonNode engine : config.path("engines")) {
            if (engine.path("name").asText().equals(name)) {
                return engine;
            }
        }
        throw new AssertionError("no engine " + name + " in " + config);
    }

    /** How the panel writes a run time limit in English: the largest whole unit. */
    private static String limit(long seconds) {
        if (seconds >= 3600 && seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        if (seconds >= 60 && seconds % 60 == 0) {
            return seconds / 60 + " min";
        }
        return seconds + " s";
    }

    @Test
    void aQueryStoppedByTheScanCutoffShowsTheGuardrailsCodeAndMessage() {
        athena.standIn().workGroup("primary", AthenaFixture.OUTPUT, 10_000_000L, false);
        athena.standIn().faults().holdMatching("ui_scan_marker").scanRate(20_000_000L);
        tid("engine-select").selectOption("athena");
        run("SELECT 1 AS ui_scan_marker");

        awaitFinished("CANCELLED");
        Locator notice = tid("notice-cancelled");
        assertThat(notice).isVisible();
        assertThat(notice).hasAttribute("data-message-code", "SCAN_LIMIT_EXCEEDED");
        assertThat(notice.getByTestId("notice-message")).not().isEmpty();
        assertThat(notice.getByTestId("notice-detail")).containsText("Bytes scanned limit was exceeded");
        assertThat(notice.getByTestId("retry-button")).isVisible();
        assertThat(tid("stat-scanned")).hasText("0.01 GB");
    }
}
