package io.sluice.testing;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Download-link tokens signed with a test server's {@code results.linkSecret} over any payload:
 * {@code base64url(payload) "." base64url(HMAC-SHA256(secret, payload))}, the format of
 * {@code /api/files/{token}}. Lets a test present tokens the server itself could have signed but
 * whose payload is not a grant it would ever issue.
 */
public final class LinkTokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private LinkTokens() {
    }

    public static String sign(String secret, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return B64.encodeToString(payload) + "." + B64.encodeToString(mac.doFinal(payload));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(String secret, String payload) {
        return sign(secret, payload.getBytes(StandardCharsets.UTF_8));
    }
}
