package io.sluice.datasource;

import java.util.Optional;

/**
 * A datasource as a client sends it (create, or replace on update). {@code password}: empty keeps
 * the stored one on update (none on create); {@code shared}: null keeps the stored flag (false on
 * create). {@code toString} never shows the password.
 */
public record DatasourceInput(DatasourceType type, DatasourceParams params, Optional<String> password,
                              Boolean shared) {

    @Override
    public String toString() {
        return "DatasourceInput[type=" + type + ", params=" + params + ", password="
                + (password.isPresent() ? "***" : "(keep)") + ", shared=" + shared + "]";
    }
}
