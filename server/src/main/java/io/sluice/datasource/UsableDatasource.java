package io.sluice.datasource;

import java.util.Objects;

/**
 * A datasource a caller may use, with its opened password (null when it has none). Never logged,
 * never put in an answer: it exists only to connect.
 */
public record UsableDatasource(Datasource datasource, String password) {

    public UsableDatasource {
        Objects.requireNonNull(datasource, "datasource");
    }

    @Override
    public String toString() {
        return "UsableDatasource[" + datasource.id() + " of " + datasource.owner() + "]";
    }
}
