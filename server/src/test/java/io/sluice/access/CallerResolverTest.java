package io.sluice.access;

import io.sluice.config.SluiceConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CallerResolverTest {

    private static CallerResolver resolver(List<String> proxies, String secret) {
        return new CallerResolver(new SluiceConfig.Auth(true, "X-Email", proxies, "X-Proxy-Secret",
                Optional.ofNullable(secret)));
    }

    @Test
    void disabledAuthMakesEveryoneAnonymous() {
        CallerResolver r = new CallerResolver(new SluiceConfig.Auth(false, "X-Email", List.of(), "X-S", Optional.empty()));
        assertThat(r.resolve("1.2.3.4", Map.of("X-Email", "eve@example.com")::get)).contains(Caller.ANONYMOUS);
    }

    @Test
    void theHeaderIsBelievedOnlyFromTrustedAddresses() {
        CallerResolver r = resolver(List.of("10.0.0.0/8", "::1"), null);
        assertThat(r.resolve("10.1.2.3", Map.of("X-Email", "Ann@Example.com")::get)).contains(new Caller("ann@example.com"));
        assertThat(r.resolve("::1", Map.of("X-Email", "ann@example.com")::get)).isPresent();
        assertThat(r.resolve("0:0:0:0:0:0:0:1", Map.of("X-Email", "ann@example.com")::get)).isPresent();
        assertThat(r.resolve("::ffff:10.9.9.9", Map.of("X-Email", "ann@example.com")::get)).isPresent();
        assertThat(r.resolve("11.1.2.3", Map.of("X-Email", "ann@example.com")::get)).isEmpty();
        assertThat(r.resolve("10.1.2.3", Map.<String, String>of()::get)).isEmpty();
        assertThat(r.resolve("10.1.2.3", Map.of("X-Email", "nobody")::get)).isEmpty();
    }

    @Test
    void theSharedSecretMustMatchExactly() {
        CallerResolver r = resolver(List.of(), "0123456789abcdef");
        assertThat(r.resolve("8.8.8.8", Map.of("X-Email", "a@b.io", "X-Proxy-Secret", "0123456789abcdef")::get)).isPresent();
        assertThat(r.resolve("8.8.8.8", Map.of("X-Email", "a@b.io", "X-Proxy-Secret", "0123456789abcdeF")::get)).isEmpty();
        assertThat(r.resolve("8.8.8.8", Map.of("X-Email", "a@b.io")::get)).isEmpty();
    }

    @Test
    void addressRangesParseStrictly() {
        assertThat(AddressRange.isValid("192.168.0.0/16")).isTrue();
        assertThat(AddressRange.isValid("fd00::/8")).isTrue();
        assertThat(AddressRange.isValid("example.com")).isFalse();
        assertThat(AddressRange.isValid("10.0.0.0/33")).isFalse();
        assertThat(AddressRange.isValid("10.0.0")).isFalse();
        assertThat(AddressRange.parse("192.168.0.0/16").contains("192.168.255.1")).isTrue();
        assertThat(AddressRange.parse("192.168.0.0/17").contains("192.168.128.1")).isFalse();
        assertThat(AddressRange.parse("0.0.0.0/0").contains("1.2.3.4")).isTrue();
    }
}
