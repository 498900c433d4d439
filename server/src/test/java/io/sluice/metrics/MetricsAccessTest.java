package io.sluice.metrics;

import io.sluice.config.SluiceConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsAccessTest {

    private static final String TOKEN = "metrics-token-0123456789abcdef";

    private static MetricsAccess token() {
        return MetricsAccess.of(new SluiceConfig.Metrics(true, SluiceConfig.Metrics.Access.TOKEN, Optional.of(TOKEN)));
    }

    @Test
    void publicAccessAllowsEveryRequest() {
        MetricsAccess access = MetricsAccess.of(new SluiceConfig.Metrics(true, SluiceConfig.Metrics.Access.PUBLIC,
                Optional.empty()));
        assertThat(access.allows(List.of())).isTrue();
        assertThat(access.allows(List.of("Bearer nonsense", "Basic x"))).isTrue();
    }

    @Test
    void tokenAccessAllowsExactlyOneBearerHeaderWithTheToken() {
        MetricsAccess access = token();
        assertThat(access.allows(List.of("Bearer " + TOKEN))).isTrue();
        assertThat(access.allows(List.of("bearer " + TOKEN))).isTrue();
        assertThat(access.allows(List.of("  BEARER   " + TOKEN + "  "))).isTrue();

        assertThat(access.allows(List.of())).isFalse();
        assertThat(access.allows(List.of("Bearer " + TOKEN, "Bearer " + TOKEN))).isFalse();
        assertThat(access.allows(List.of(TOKEN))).isFalse();
        assertThat(access.allows(List.of("Basic " + TOKEN))).isFalse();
        assertThat(access.allows(List.of("Bearer"))).isFalse();
        assertThat(access.allows(List.of("Bearer " + TOKEN.toUpperCase()))).isFalse();
        assertThat(access.allows(List.of("Bearer " + TOKEN + "0"))).isFalse();
        assertThat(access.allows(List.of("Bearer " + TOKEN.substring(0, TOKEN.length() - 1)))).isFalse();
    }
}
