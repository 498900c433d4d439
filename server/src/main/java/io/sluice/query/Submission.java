package io.sluice.query;

/**
 * A request to run a query. {@code engine}, {@code catalog}, {@code database} and
 * {@code requestId} may be null (defaults apply; no request id).
 *
 * @param maxScanGb      the caller's scan cap for this query in GB (2^30 bytes), or null for the engine's
 * @param cache          false runs the query even when the local result cache could answer it;
 *                       null or true lets it answer
 * @param budgetOverride an admin runs this one query although a budget is spent
 */
public record Submission(String sql, String engine, String catalog, String database, String requestId,
                         Double maxScanGb, Boolean cache, boolean budgetOverride) {

    public Submission(String sql, String engine, String catalog, String database, String requestId) {
        this(sql, engine, catalog, database, requestId, null, null, false);
    }
}
