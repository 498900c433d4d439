package io.sluice.datasource;

import java.util.Optional;

/**
 * A datasource as the store keeps it: with its password sealed by {@link PasswordCipher} (empty
 * when it has none). Its {@code toString} never shows the sealed value either.
 */
public record StoredDatasource(Datasource datasource, Optional<String> sealedPassword) {

    @Override
    public String toString() {
        return "StoredDatasource[" + datasource + ", sealedPassword=" + (sealedPassword.isPresent() ? "***" : "(none)")
                + "]";
    }
}
