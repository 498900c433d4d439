package io.sluice.query;

/**
 * A request to run a query. {@code engine}, {@code catalog}, {@code database} and
 * {@code requestId} may be null (defaults apply; no request id). {@code cache}: false runs the
 * query even when the local result cache could answer it; null or true lets it answer.
 */
public record Submission(String sql, String engine, String catalog, String database, String requestId,
                         Boolean cache) {

    /** A request the local result cache may answer. */
    public Submission(String sql, String engine, String catalog, String database, String requestId) {
        this(sql, engine, catalog, database, requestId, null);
    }
}
