package io.sluice.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * The settings record an {@link EngineType} reads from its configuration section. Besides its own
 * values it tells the configuration check which local files it uses, so that engines configured
 * side by side cannot get in each other's way.
 */
public interface EngineSettings {

    /**
     * Local files only this engine may open (a DuckDB database file). Two engines naming one file
     * is a configuration error.
     */
    default List<Path> exclusiveFiles() {
        return List.of();
    }

    /**
     * Local folders this engine's queries may write into. Another engine's exclusive files and
     * writable folders must be neither inside one of them nor around it.
     */
    default List<Path> writableFolders() {
        return List.of();
    }
}
