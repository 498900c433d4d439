package io.sluice.api;

import io.sluice.Json;
import io.sluice.access.CallerResolver;
import io.sluice.access.Role;
import io.sluice.config.SluiceConfig;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.RawHttp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP app on its own, with routes made for the test: failures in the envelope, roles enforced. */
class HttpAppTest {

    private static final SluiceConfig.Auth NO_AUTH =
            new SluiceConfig.Auth(false, "X-Email", List.of(), "X-Sluice-Proxy-Secret", Optional.empty());

    private static HttpApp app(Routes... features) {
        return app(Duration.ofSeconds(30), features);
    }

    private static HttpApp app(Duration idleTimeout, Routes... features) {
        Responder responder = new Responder(new Messages(Messages.ZH_CN), Clock.systemUTC());
        return new HttpApp("127.0.0.1", 0, 1 << 20, idleTimeout, Json.mapper(), responder,
                new CallerResolver(NO_AUTH), List.of(features));
    }

    @Test
    void anUnexpectedFailureAnswers500InTheEnvelopeWithoutInternals() {
        try (HttpApp app = app(table -> table.get("/api/boom", Role.USER, ctx -> {
            throw new IllegalStateException("secret detail: jdbc:postgresql://db.internal/sluice");
        })).start()) {
            ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + app.port()), Map.of());
            Response r = api.with("Accept-Language", "en").get("/api/boom");

            assertThat(r.status()).isEqualTo(500);
            assertThat(r.json().path("success").asBoolean(true)).isFalse();
            assertThat(r.errorCode()).isEqualTo("INTERNAL_ERROR");
            assertThat(r.messageCode()).isEqualTo("INTERNAL_ERROR");
            assertThat(r.json().path("message").asText()).isEqualTo("Internal error; the server log has the details");
            assertThat(r.json().path("timestamp").asText()).endsWith("Z");
            assertThat(r.text()).doesNotContain("IllegalStateException", "secret detail", "jdbc:", "io.sluice",
                    "Exception", "\tat ");
        }
    }

    @Test
    void aRouteWithoutARoleCannotBeRegistered() {
        assertThatThrownBy(() -> app(table -> table.get("/api/open", null, ctx -> ctx.result("open"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/api/open");
        assertThatThrownBy(() -> app(table -> table.postWithRootAlias("/api/open", null, ctx -> ctx.result("open"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registeredRoutesAreListedWithTheirRole() {
        try (HttpApp app = app(table -> {
            table.get("/api/a", Role.USER, ctx -> { });
            table.postWithRootAlias("/api/b", Role.ANYONE, ctx -> { });
        })) {
            assertThat(app.routes()).extracting(r -> r.method() + " " + r.path() + " " + r.roles())
                    .containsExactlyInAnyOrder("GET /api/a [USER]", "HEAD /api/a [USER]", "POST /api/b [ANYONE]",
                            "POST /b [ANYONE]");
        }
    }

    @Test
    void aBodyThatStopsArrivingAnswers408InTheEnvelope() {
        try (HttpApp app = app(Duration.ofMillis(300), table -> table.post("/api/echo", Role.USER, ctx ->
                ctx.result(String.valueOf(RequestBody.parse(ctx, Json.mapper(), Set.of("query")).string("query")))))
                .start()) {
            RawHttp.Exchange exchange = new RawHttp("127.0.0.1", app.port(), Duration.ofSeconds(20))
                    .sendKeepingOpen("POST /api/echo HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"query\": ");

            assertThat(exchange.answers()).hasSize(1);
            RawHttp.Answer answer = exchange.answers().get(0);
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.header("Content-Type")).isEqualTo("application/json");
            assertThat(answer.text()).contains("\"messageCode\":\"REQUEST_TIMEOUT\"", "\"success\":false");
        }
    }
}
