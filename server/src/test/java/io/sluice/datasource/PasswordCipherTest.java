package io.sluice.datasource;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordCipherTest {

    private final PasswordCipher cipher = PasswordCipher.fromBase64(DatasourceFixture.randomKey());

    @Test
    void aSealedPasswordOpensOnlyWithItsKeyAndForItsDatasource() {
        String sealed = cipher.seal("s3cret", "alice@example.com", "pg");
        assertThat(sealed).startsWith("v1:").doesNotContain("s3cret");
        assertThat(cipher.open(sealed, "alice@example.com", "pg")).isEqualTo("s3cret");
        // A fresh IV every time: the same password never seals the same way twice.
        assertThat(cipher.seal("s3cret", "alice@example.com", "pg")).isNotEqualTo(sealed);
        assertThatThrownBy(() -> cipher.open(sealed, "bob@example.com", "pg"))
                .isInstanceOf(PasswordCipher.WrongKeyException.class);
        assertThatThrownBy(() -> PasswordCipher.fromBase64(DatasourceFixture.randomKey()).open(sealed, "alice@example.com", "pg"))
                .isInstanceOf(PasswordCipher.WrongKeyException.class);
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        raw[raw.length - 1] ^= 1;
        String tampered = "v1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> cipher.open(tampered, "alice@example.com", "pg"))
                .isInstanceOf(PasswordCipher.WrongKeyException.class);
        assertThat(cipher.toString()).contains("key=***");
    }

    @Test
    void weakKeysAreRefused() {
        assertThat(PasswordCipher.weakness(DatasourceFixture.randomKey())).isEmpty();
        assertThat(PasswordCipher.weakness(Base64.getEncoder().encodeToString(new byte[32]))).get().asString()
                .contains("all the same");
        assertThat(PasswordCipher.weakness(Base64.getEncoder().encodeToString("a".repeat(32).getBytes()))).isPresent();
        assertThat(PasswordCipher.weakness(Base64.getEncoder().encodeToString(new byte[16]))).get().asString()
                .contains("16 bytes");
        assertThat(PasswordCipher.weakness("not base64!")).get().asString().contains("not base64");
        assertThat(PasswordCipher.weakness("")).isPresent();
        assertThatThrownBy(() -> PasswordCipher.fromBase64("short")).isInstanceOf(IllegalArgumentException.class);
    }
}
