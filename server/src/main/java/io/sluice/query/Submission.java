package io.sluice.query;

/**
 * A request to run a query. {@code engine}, {@code catalog}, {@code database} and
 * {@code requestId} may be null (defaults apply; no request id).
 */
public record Submission(String sql, String engine, String catalog, String database, String requestId) {
}
