package io.sluice.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.LogCapture;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may read {@code /metrics}: anyone by default, only the token's holder with token access, nobody when off. */
class MetricsAccessApiTest {

    private static final String TOKEN = "metrics-token-0123456789abcdef";

    @TempDir
    Path dir;

    private TestServer start(Consumer<ObjectNode> metrics) {
        return TestServer.start(dir, root -> {
            ((ObjectNode) root.get("engines").get("duckdb")).put("sampleData", false);
            metrics.accept(root.putObject("metrics"));
        }, Clock.systemUTC());
    }

    @Test
    void withTokenAccessOnlyTheBearerOfTheTokenReadsTheMetrics() {
        try (LogCapture log = LogCapture.start();
             TestServer server = start(m -> m.put("access", "token").put("token", TOKEN))) {
            Response none = server.client().get("/metrics");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.errorCode()).isEqualTo("METRICS_TOKEN_REQUIRED");
            assertThat(none.json().path("success").asBoolean()).isFalse();
            assertThat(none.headers().get("content-type")).singleElement().asString().startsWith("application/json");
            assertThat(none.headers().get("www-authenticate")).containsExactly("Bearer realm=\"sluice-metrics\"");

            for (String wrong : new String[]{"Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Bearer ",
                    "Basic " + TOKEN, TOKEN}) {
                Response r = server.client().with("Authorization", wrong).get("/metrics");
                assertThat(r.status()).as(wrong).isEqualTo(401);
                assertThat(r.errorCode()).isEqualTo("METRICS_TOKEN_REQUIRED");
            }
            Response english = server.client().with("Accept-Language", "en").get("/metrics");
            assertThat(english.json().path("message").asText()).startsWith("Reading metrics needs the metrics token");
            // An identity does not open it: the token is the only key.
            assertThat(server.client().with("X-Email", "alice@example.com").get("/metrics").status()).isEqualTo(401);

            Response ok = server.client().with("Authorization", "Bearer " + TOKEN).get("/metrics");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.headers().get("content-type")).containsExactly("text/plain; version=0.0.4; charset=utf-8");
            assertThat(ok.text()).contains("sluice_http_server_requests_seconds_count").doesNotContain(TOKEN);
            Response head = server.client().with("Authorization", "bearer " + TOKEN)
                    .method("HEAD", "/metrics");
            assertThat(head.status()).isEqualTo(200);
            assertThat(server.client().method("HEAD", "/metrics").status()).isEqualTo(401);

            // The other public routes stay public.
            assertThat(server.client().get("/health").status()).isEqualTo(200);
            assertThat(log.events()).noneMatch(e -> e.getFormattedMessage().contains(TOKEN));
        }
    }

    @Test
    void byDefaultAnyoneReadsTheMetricsWhateverTheHeaders() {
        try (TestServer server = start(m -> { })) {
            assertThat(server.client().get("/metrics").status()).isEqualTo(200);
            assertThat(server.client().with("Authorization", "Bearer anything").get("/metrics").status())
                    .isEqualTo(200);
        }
    }

    @Test
    void disabledMetricsAreNotRouted() {
        try (TestServer server = start(m -> m.put("enabled", false))) {
            Response r = server.client().get("/metrics");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo("ROUTE_NOT_FOUND");
            assertThat(server.sluice().routes()).noneMatch(route -> route.path().equals("/metrics"));
        }
    }
}
