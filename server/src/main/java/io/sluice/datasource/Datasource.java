package io.sluice.datasource;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered external database, as everyone may see it: never its password, only whether it has
 * one. {@code id} is chosen by its owner; {@code shared} datasources may be used by every user.
 * {@code version} counts its changes (compare-and-set on update).
 */
public record Datasource(String id, String owner, DatasourceType type, DatasourceParams params, boolean shared,
                         boolean hasPassword, Instant createdAt, Instant updatedAt, long version) {

    public Datasource {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(params, "params");
    }
}
