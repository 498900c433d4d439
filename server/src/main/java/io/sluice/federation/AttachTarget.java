package io.sluice.federation;

import io.sluice.datasource.Datasource;

import java.util.Objects;

/**
 * One database to attach: the alias the SQL uses, the datasource, and its opened (plain) password or
 * null. {@link #toString()} never shows the password.
 */
public record AttachTarget(String alias, Datasource datasource, String password) {

    public AttachTarget {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(datasource, "datasource");
    }

    @Override
    public String toString() {
        return "AttachTarget[" + alias + " -> " + datasource.id() + " (" + datasource.type().apiName() + ")]";
    }
}
