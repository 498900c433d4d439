package io.sluice.engine;

import java.util.Objects;

/**
 * One run of one query, as an engine sees it.
 *
 * @param queryId     Sluice's query id
 * @param run         the run number; a refresh starts run + 1 of the same id
 * @param sql         the statement text
 * @param context     catalog and database for unqualified names
 * @param reuseAllowed whether the engine may answer from a recent identical query's result (its
 *                    own result reuse); false for a rerun, which must really run the query again
 * @param owner       the identity of the query's owner, or null where it does not matter (an engine
 *                    may give each owner their own workspace, e.g. DuckDB's result tables)
 */
public record EngineQuery(String queryId, int run, String sql, QueryContext context, boolean reuseAllowed,
                          String owner) {

    /** A run that may be answered from reuse only if it is the first. */
    public EngineQuery(String queryId, int run, String sql, QueryContext context) {
        this(queryId, run, sql, context, run == 1, null);
    }

    public EngineQuery(String queryId, int run, String sql, QueryContext context, boolean reuseAllowed) {
        this(queryId, run, sql, context, reuseAllowed, null);
    }

    /** The same run, on behalf of {@code owner}. */
    public EngineQuery withOwner(String owner) {
        return new EngineQuery(queryId, run, sql, context, reuseAllowed, owner);
    }

    public EngineQuery {
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(context, "context");
        if (run < 1) {
            throw new IllegalArgumentException("run must be >= 1");
        }
    }

    /** A stable token naming this run, usable as an idempotency key (32..128 characters). */
    public String runToken() {
        return "sluice-" + queryId + "-run-" + run;
    }
}
