package io.sluice.query;

import java.util.Objects;

/**
 * The run whose stored result answered a query from the local result cache.
 *
 * @param queryId the source query's id
 * @param run     the source run's number
 */
public record CachedFrom(String queryId, int run) {

    public CachedFrom {
        Objects.requireNonNull(queryId, "queryId");
    }
}
