package io.sluice.access;

import io.sluice.config.SluiceConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Decides who a request comes from (seed 000 §8). With auth disabled everyone is
 * {@link Caller#ANONYMOUS}. With auth enabled the identity header (oauth2-proxy's {@code X-Email})
 * is believed only when the request comes through the trusted proxy — its address is in the
 * configured ranges, or it carries the proxy's shared secret — otherwise there is no caller.
 */
public final class CallerResolver {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,128}@[^@\\s]{1,190}");

    private final boolean enabled;
    private final String identityHeader;
    private final List<AddressRange> trustedProxies;
    private final String secretHeader;
    private final byte[] secret;

    public CallerResolver(SluiceConfig.Auth auth) {
        this.enabled = auth.enabled();
        this.identityHeader = auth.identityHeader();
        this.trustedProxies = auth.trustedProxies().stream().map(AddressRange::parse).toList();
        this.secretHeader = auth.proxySecretHeader();
        this.secret = auth.proxySecret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /**
     * The caller of a request, if it can be trusted.
     *
     * @param remoteAddress the peer address as the server saw it
     * @param headers       reads one request header by name
     */
    public Optional<Caller> resolve(String remoteAddress, Function<String, String> headers) {
        if (!enabled) {
            return Optional.of(Caller.ANONYMOUS);
        }
        if (!fromTrustedProxy(remoteAddress, headers)) {
            return Optional.empty();
        }
        String email = headers.apply(identityHeader);
        if (email == null) {
            return Optional.empty();
        }
        String normalized = email.trim().toLowerCase(Locale.ROOT);
        return EMAIL.matcher(normalized).matches() ? Optional.of(new Caller(normalized)) : Optional.empty();
    }

    private boolean fromTrustedProxy(String remoteAddress, Function<String, String> headers) {
        if (secret != null) {
            String presented = headers.apply(secretHeader);
            if (presented != null
                    && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return trustedProxies.stream().anyMatch(range -> range.contains(remoteAddress));
    }
}
