package io.sluice.engine;

/**
 * A query engine behind Sluice. Implementations never expose their own types (no JDBC, AWS or
 * DuckDB classes) across this boundary: everything here is plain JDK types.
 *
 * <p>Two shapes exist. A {@link LocalEngine} runs a query to its end on a Sluice worker thread and
 * streams the rows as it goes (DuckDB). A {@link RemoteEngine} starts a query elsewhere and is
 * polled until it ends (Athena). The query service drives both; engines keep no query state of
 * their own beyond what the remote service holds.
 */
public sealed interface Engine extends AutoCloseable permits LocalEngine, RemoteEngine {

    /** The name used in requests and stored with each query: its key under {@code engines}, e.g. {@code duckdb}. */
    String name();

    /** The name of its {@link EngineType}, e.g. {@code duckdb} or {@code athena}. */
    String type();

    /** What it can do; callers ask this, never the engine's name or class. */
    EngineCapabilities capabilities();

    /**
     * The settings of its own type that {@code GET /api/config} shows, beside the ones every engine
     * has (name, type, capabilities, default context, limits). Never a secret.
     */
    default java.util.Map<String, Object> publicSettings() {
        return java.util.Map.of();
    }

    /** Catalog browsing for the editor: catalogs, databases, tables, columns. */
    CatalogBrowser catalog();

    /** The catalog and database a query runs in when the request names none. */
    QueryContext defaultContext();

    /** A run lasting longer than this is stopped and ends TIMED_OUT. */
    java.time.Duration maxRuntime();

    /** How large a stored result of this engine may grow; the result store stops taking rows there. */
    default ResultLimits resultLimits() {
        return ResultLimits.NONE;
    }

    /**
     * Where the engine's own full result file of a finished query can be downloaded, for engines with
     * the {@link EngineCapabilities#engineDownloadLink()} capability; null when there is no such
     * file. The download saves as {@code fileName}. Called from request threads.
     *
     * @param engineQueryId the engine's own id of the query's run
     */
    default DownloadLink download(String engineQueryId, String fileName) throws EngineException {
        return null;
    }

    /** Whether and how the local result cache answers this engine's queries; off unless the engine says otherwise. */
    default LocalCacheSettings localCache() {
        return LocalCacheSettings.OFF;
    }

    /** Releases the engine's resources. Called once, at shutdown. */
    @Override
    void close();
}
