package io.sluice.federation;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How external databases are attached (configuration key {@code federation.mode}):
 * <ul>
 *   <li>{@code NATIVE}: DuckDB's own {@code postgres}, {@code mysql} or {@code sqlite} extension
 *       reads the database where it is; a target whose extension does not load fails
 *       ({@code UNSUPPORTED_TYPE});</li>
 *   <li>{@code IMPORT}: the tables the SQL names are copied over JDBC into a file-backed DuckDB
 *       database attached under the alias;</li>
 *   <li>{@code AUTO}: native where the extension loads, else import (decided per target).</li>
 * </ul>
 */
public enum FederationMode {
    AUTO, NATIVE, IMPORT;

    /** The configuration's spelling: {@code auto}, {@code native}, {@code import}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FederationMode> fromConfigName(String name) {
        return Arrays.stream(values()).filter(m -> m.configName().equals(name)).findFirst();
    }
}
