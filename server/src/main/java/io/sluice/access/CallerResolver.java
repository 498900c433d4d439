package io.sluice.access;

import io.sluice.config.SluiceConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides who a request comes from. With auth disabled everyone is {@link Caller#ANONYMOUS}. With
 * auth enabled the identity header (oauth2-proxy's {@code X-Email}) is believed only when the
 * request comes through the trusted proxy — its address is in the configured ranges, or it carries
 * the proxy's shared secret exactly once — and only when it holds exactly one well-formed e-mail
 * address, sent once. Anything ambiguous is refused rather than guessed at: a header sent twice
 * could be one value added by the proxy and one smuggled in by the client, and which one a server
 * reads first is not something to rely on.
 */
public final class CallerResolver {

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

    /** Why the identity headers of a request cannot be believed. Never carries a header's value. */
    public record Problem(String header, String reason) {
    }

    /**
     * What a request says about its caller: a caller, nobody (no trusted identity came), or a
     * problem (the trusted proxy's identity, or the proxy secret, is ambiguous or malformed).
     */
    public record Resolution(Optional<Caller> caller, Optional<Problem> problem) {

        static Resolution of(Caller caller) {
            return new Resolution(Optional.of(caller), Optional.empty());
        }

        static Resolution nobody() {
            return new Resolution(Optional.empty(), Optional.empty());
        }

        static Resolution invalid(String header, String reason) {
            return new Resolution(Optional.empty(), Optional.of(new Problem(header, reason)));
        }
    }

    /**
     * The caller of a request.
     *
     * @param remoteAddress the peer address as the server saw it
     * @param headers       every value of one request header, by name (empty when absent)
     */
    public Resolution resolve(String remoteAddress, Function<String, List<String>> headers) {
        if (!enabled) {
            return Resolution.of(Caller.ANONYMOUS);
        }
        boolean trustedBySecret = false;
        if (secret != null) {
            List<String> presented = headers.apply(secretHeader);
            if (presented.size() > 1) {
                // Refused whatever the values: answering differently when one of them matched would
                // let a client test guesses of the secret.
                return Resolution.invalid(secretHeader, "sent more than once");
            }
            trustedBySecret = presented.size() == 1
                    && MessageDigest.isEqual(secret, presented.get(0).getBytes(StandardCharsets.UTF_8));
        }
        if (!trustedBySecret && trustedProxies.stream().noneMatch(range -> range.contains(remoteAddress))) {
            return Resolution.nobody();
        }
        List<String> identities = headers.apply(identityHeader);
        if (identities.isEmpty()) {
            return Resolution.nobody();
        }
        if (identities.size() > 1) {
            return Resolution.invalid(identityHeader, "sent more than once");
        }
        // Not trimmed: the HTTP server already drops the optional whitespace around a header value, so
        // whitespace or a control character left at either end is part of a malformed value.
        String email = identities.get(0);
        if (!EmailAddress.isValid(email)) {
            return Resolution.invalid(identityHeader, "not exactly one well-formed e-mail address");
        }
        return Resolution.of(new Caller(email.toLowerCase(Locale.ROOT)));
    }
}
