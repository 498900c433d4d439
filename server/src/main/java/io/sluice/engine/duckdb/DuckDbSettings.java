package io.sluice.engine.duckdb;

import io.sluice.engine.EngineSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The settings of one embedded DuckDB engine.
 *
 * @param database           the database file; its name (without extension) is the catalog name. No
 *                           other engine may use it
 * @param sampleData         create the sample {@code events} table at first start
 * @param readOnly           open the database read-only for queries (temp tables still work)
 * @param threads            DuckDB worker threads
 * @param memoryLimit        DuckDB memory limit, e.g. {@code 2GB}
 * @param allowedDirectories the only directories queries may read files from
 * @param maxRuntime         a query running longer ends TIMED_OUT
 * @param maxResultRows      rows a result stores at most; more make it truncated (the query succeeds)
 * @param maxResultBytes     bytes of row data a result stores at most; more make it truncated
 * @param writableDirectories the only directories queries may write files into ({@code COPY … TO},
 *                           {@code EXPORT DATABASE}), each with its size quota; also readable
 */
public record DuckDbSettings(Path database, boolean sampleData, boolean readOnly, int threads,
                             String memoryLimit, List<Path> allowedDirectories, Duration maxRuntime,
                             long maxResultRows, long maxResultBytes, List<WritableDirectory> writableDirectories)
        implements EngineSettings {

    /**
     * A directory queries may write files into.
     *
     * @param path       the directory
     * @param quotaBytes the most its files may hold; a write that passes it is stopped and removed
     */
    public record WritableDirectory(Path path, long quotaBytes) {
    }

    @Override
    public List<Path> exclusiveFiles() {
        return List.of(database);
    }

    @Override
    public List<Path> writableFolders() {
        return writableDirectories.stream().map(WritableDirectory::path).toList();
    }
}
