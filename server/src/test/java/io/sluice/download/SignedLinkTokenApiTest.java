package io.sluice.download;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.LinkTokens;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A download link's signature is necessary, not sufficient: a token signed with the server's own
 * secret whose payload is not exactly a grant it would issue is refused like a forged one (403
 * {@code LINK_INVALID}), never a 500; a well-formed grant past its expiry is {@code LINK_EXPIRED}.
 */
class SignedLinkTokenApiTest {

    static final String SECRET = "link-secret-for-tests-0123456789abcdef";
    /** 9999-12-31: far enough that no run of this test meets it. */
    static final long FAR_FUTURE = 253_402_300_799L;

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(
            c -> ((ObjectNode) c.get("results")).put("linkSecret", SECRET), Clock.systemUTC());

    static ApiClient api;
    static String id;

    @BeforeAll
    static void aStoredResult() {
        api = sluice.api();
        id = api.submit("SELECT 42 AS answer");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
    }

    @Test
    void aWellFormedGrantSignedWithTheSecretIsServed() {
        Response file = api.get("/api/files/" + LinkTokens.sign(SECRET, id + ":1:" + FAR_FUTURE));
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.text()).isEqualTo("\"answer\"\n\"42\"\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "------------------------------------:1:" + FAR_FUTURE,
            "ffffffff-ffff-ffff-ffff-fffffffffffg:1:" + FAR_FUTURE,
            "ID_UPPER:1:" + FAR_FUTURE,
            "ID:0:" + FAR_FUTURE,
            "ID:-1:" + FAR_FUTURE,
            "ID:01:" + FAR_FUTURE,
            "ID:2147483648:" + FAR_FUTURE,
            "ID:1:" + FAR_FUTURE + ":extra",
            "ID:1:-5",
            "ID:1:1e12",
            "ID:1",
            "ID",
            "",
            "../../../etc/passwd:1:" + FAR_FUTURE,
            "ID/../ID:1:" + FAR_FUTURE,
            " ID:1:" + FAR_FUTURE,
            "ID:1:" + FAR_FUTURE + "\n",
            "ID:１:" + FAR_FUTURE,
            "ID:1:99999999999999999999"})
    void aValidlySignedButMalformedGrantIsInvalidNeverAServerError(String template) {
        String payload = template.replace("ID_UPPER", id.toUpperCase()).replace("ID", id);
        Response r = api.get("/api/files/" + LinkTokens.sign(SECRET, payload));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errorCode()).isEqualTo("LINK_INVALID");
    }

    @Test
    void nonAsciiPayloadBytesAreInvalid() {
        byte[] payload = (id + ":1:" + FAR_FUTURE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        payload[0] = (byte) 0xE9;
        assertThat(api.get("/api/files/" + LinkTokens.sign(SECRET, payload)).errorCode()).isEqualTo("LINK_INVALID");
    }

    @Test
    void aWellFormedGrantPastItsExpiryIsExpired() {
        Response r = api.get("/api/files/" + LinkTokens.sign(SECRET, id + ":1:1"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errorCode()).isEqualTo("LINK_EXPIRED");
    }

    @Test
    void aGrantForARunWithoutAResultIsNotAvailable() {
        Response r = api.get("/api/files/" + LinkTokens.sign(SECRET, id + ":7:" + FAR_FUTURE));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("RESULT_NOT_AVAILABLE");
    }
}
