package io.sluice.query;

/**
 * A request to run a query. {@code engine}, {@code catalog}, {@code database} and
 * {@code requestId} may be null (defaults apply; no request id).
 *
 * @param maxScanGb      the caller's scan cap for this query in GB (2^30 bytes), or null for the engine's
 * @param cache          whether a cached result may answer (null: the default, yes)
 * @param budgetOverride an admin runs this one query although a budget is spent
 */
public record Submission(String sql, String engine, String catalog, String database, String requestId,
                         Double maxScanGb, Boolean cache, boolean budgetOverride) {

    public Submission(String sql, String engine, String catalog, String database, String requestId) {
        this(sql, engine, catalog, database, requestId, null, null, false);
    }
}
