package io.sluice.api;

import io.sluice.Json;
import io.sluice.access.CallerResolver;
import io.sluice.access.Role;
import io.sluice.config.SluiceConfig;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP app on its own, with routes made for the test: failures in the envelope, roles enforced. */
class HttpAppTest {

    private static final SluiceConfig.Auth NO_AUTH =
            new SluiceConfig.Auth(false, "X-Email", List.of(), "X-Sluice-Proxy-Secret", Optional.empty());

    private static HttpApp app(Routes... features) {
        Responder responder = new Responder(new Messages(Messages.ZH_CN), Clock.systemUTC());
        return new HttpApp("127.0.0.1", 0, 1 << 20, Json.mapper(), responder, new CallerResolver(NO_AUTH),
                List.of(features));
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
                    .containsExactlyInAnyOrder("GET /api/a [USER]", "POST /api/b [ANYONE]", "POST /b [ANYONE]");
        }
    }
}
