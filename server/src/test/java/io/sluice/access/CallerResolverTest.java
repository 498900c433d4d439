package io.sluice.access;

import io.sluice.config.SluiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class CallerResolverTest {

    private static final String SECRET = "0123456789abcdef";

    private static CallerResolver resolver(List<String> proxies, String secret) {
        return new CallerResolver(new SluiceConfig.Auth(true, "X-Email", proxies, "X-Proxy-Secret",
                Optional.ofNullable(secret)));
    }

    /** Request headers as sent, in pairs of name and value; a name may come more than once. */
    private static Function<String, List<String>> headers(String... namesAndValues) {
        return name -> {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                if (namesAndValues[i].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    values.add(namesAndValues[i + 1]);
                }
            }
            return values;
        };
    }

    private static Optional<Caller> caller(CallerResolver r, String address, String... headers) {
        return r.resolve(address, headers(headers)).caller();
    }

    private static Optional<CallerResolver.Problem> problem(CallerResolver r, String address, String... headers) {
        return r.resolve(address, headers(headers)).problem();
    }

    @Test
    void disabledAuthMakesEveryoneAnonymous() {
        CallerResolver r = new CallerResolver(new SluiceConfig.Auth(false, "X-Email", List.of(), "X-S", Optional.empty()));
        assertThat(caller(r, "1.2.3.4", "X-Email", "eve@example.com", "X-Email", "x,y")).contains(Caller.ANONYMOUS);
    }

    @Test
    void theHeaderIsBelievedOnlyFromTrustedAddresses() {
        CallerResolver r = resolver(List.of("10.0.0.0/8", "::1"), null);
        assertThat(caller(r, "10.1.2.3", "X-Email", "Ann@Example.com")).contains(new Caller("ann@example.com"));
        assertThat(caller(r, "::1", "X-Email", "ann@example.com")).isPresent();
        assertThat(caller(r, "0:0:0:0:0:0:0:1", "X-Email", "ann@example.com")).isPresent();
        assertThat(caller(r, "::ffff:10.9.9.9", "X-Email", "ann@example.com")).isPresent();
        assertThat(caller(r, "11.1.2.3", "X-Email", "ann@example.com")).isEmpty();
        assertThat(caller(r, "10.1.2.3")).isEmpty();
        assertThat(problem(r, "10.1.2.3")).isEmpty();
    }

    @Test
    void theSharedSecretMustMatchExactly() {
        CallerResolver r = resolver(List.of(), SECRET);
        assertThat(caller(r, "8.8.8.8", "X-Email", "a@b.io", "X-Proxy-Secret", SECRET)).isPresent();
        assertThat(caller(r, "8.8.8.8", "X-Email", "a@b.io", "X-Proxy-Secret", "0123456789abcdeF")).isEmpty();
        assertThat(caller(r, "8.8.8.8", "X-Email", "a@b.io")).isEmpty();
    }

    @Test
    void anIdentityHeaderSentTwiceIsAProblemEvenWithTheSameValue() {
        CallerResolver r = resolver(List.of("10.0.0.0/8"), SECRET);
        for (String[] headers : List.of(new String[]{"X-Email", "a@b.io", "X-Email", "a@b.io"},
                new String[]{"X-Email", "a@b.io", "x-email", "c@d.io"})) {
            assertThat(caller(r, "10.0.0.1", headers)).isEmpty();
            assertThat(problem(r, "10.0.0.1", headers)).contains(new CallerResolver.Problem("X-Email", "sent more than once"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil,alice@example.com", "alice@example.com, bob@example.com", "a@b.io;c@d.io",
            "\"alice\"@example.com", "'alice'@example.com", "Alice <alice@example.com>", "ali ce@example.com",
            "alice@exa mple.com", "a\tb@example.com", "a\u0001b@example.com", "alice@example.com\u0000",
            "ålice@example.com", "alice@", "@example.com", "a@b@example.com", "alice", "", "alice@-example.com",
            "alice@example..com"})
    void aTrustedValueThatIsNotExactlyOneWellFormedAddressIsAProblem(String value) {
        CallerResolver r = resolver(List.of("10.0.0.0/8"), SECRET);
        assertThat(caller(r, "10.0.0.1", "X-Email", value)).isEmpty();
        assertThat(problem(r, "10.0.0.1", "X-Email", value)).map(CallerResolver.Problem::header).contains("X-Email");
        assertThat(problem(r, "8.8.8.8", "X-Email", value, "X-Proxy-Secret", SECRET)).isPresent();
        // From an untrusted client the value is not even read: there is simply no caller.
        assertThat(problem(r, "8.8.8.8", "X-Email", value)).isEmpty();
    }

    @Test
    void addressesHaveASaneLength() {
        CallerResolver r = resolver(List.of("10.0.0.0/8"), null);
        assertThat(caller(r, "10.0.0.1", "X-Email", "a".repeat(64) + "@example.com")).isPresent();
        assertThat(problem(r, "10.0.0.1", "X-Email", "a".repeat(65) + "@example.com")).isPresent();
        assertThat(problem(r, "10.0.0.1", "X-Email", "a@" + "b".repeat(250) + ".com")).isPresent();
        assertThat(caller(r, "10.0.0.1", "X-Email", "o.brien+tag@mail.example.co.uk"))
                .contains(new Caller("o.brien+tag@mail.example.co.uk"));
    }

    @Test
    void aProxySecretSentTwiceIsAProblemWhateverItsValuesAndAddress() {
        CallerResolver r = resolver(List.of("10.0.0.0/8"), SECRET);
        for (String[] secrets : List.of(new String[]{SECRET, SECRET}, new String[]{SECRET, "guess"},
                new String[]{"guess", "other"})) {
            for (String address : List.of("10.0.0.1", "8.8.8.8")) {
                String[] headers = {"X-Email", "a@b.io", "X-Proxy-Secret", secrets[0], "X-Proxy-Secret", secrets[1]};
                assertThat(caller(r, address, headers)).isEmpty();
                assertThat(problem(r, address, headers))
                        .contains(new CallerResolver.Problem("X-Proxy-Secret", "sent more than once"));
            }
        }
        // Without a configured secret the header means nothing.
        assertThat(caller(resolver(List.of("10.0.0.0/8"), null), "10.0.0.1", "X-Email", "a@b.io",
                "X-Proxy-Secret", "x", "X-Proxy-Secret", "y")).isPresent();
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
