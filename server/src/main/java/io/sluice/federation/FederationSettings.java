package io.sluice.federation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Federation's configuration: the {@link FederationMode}; the folder DuckDB loads extensions from
 * ({@code SET extension_directory}, empty: DuckDB's default; extensions are never installed from the
 * network); the connect timeout towards the external databases; and how many rows the import path
 * copies between two checks of the cancel switch (also the JDBC fetch size, so memory stays flat);
 * and whether the import path reads PostgreSQL tables with {@code COPY … TO STDOUT (FORMAT csv)}
 * ({@link PostgresCopyImport}, on by default; off: every table goes through JDBC row by row).
 */
public record FederationSettings(FederationMode mode, Optional<Path> extensionDirectory, Duration connectTimeout,
                                 int importBatchRows, boolean postgresCopy) {

    public static final int DEFAULT_IMPORT_BATCH_ROWS = 10_000;

    public FederationSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(extensionDirectory, "extensionDirectory");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        if (importBatchRows < 1) {
            throw new IllegalArgumentException("importBatchRows must be at least 1");
        }
    }

    /** The PostgreSQL COPY path on (the default). */
    public FederationSettings(FederationMode mode, Optional<Path> extensionDirectory, Duration connectTimeout,
                              int importBatchRows) {
        this(mode, extensionDirectory, connectTimeout, importBatchRows, true);
    }

    /** The same settings with the PostgreSQL COPY path on or off. */
    public FederationSettings withPostgresCopy(boolean on) {
        return new FederationSettings(mode, extensionDirectory, connectTimeout, importBatchRows, on);
    }

    /** {@code mode} with the defaults: DuckDB's extension folder, 10 s, 10 000 rows. */
    public static FederationSettings of(FederationMode mode) {
        return new FederationSettings(mode, Optional.empty(), Duration.ofSeconds(10), DEFAULT_IMPORT_BATCH_ROWS);
    }
}
