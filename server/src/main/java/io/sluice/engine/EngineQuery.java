package io.sluice.engine;

import java.util.Objects;

/**
 * One run of one query, as an engine sees it.
 *
 * @param queryId     Sluice's query id
 * @param run         the run number; a refresh starts run + 1 of the same id
 * @param sql         the statement text
 * @param context     catalog and database for unqualified names
 */
public record EngineQuery(String queryId, int run, String sql, QueryContext context) {
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
