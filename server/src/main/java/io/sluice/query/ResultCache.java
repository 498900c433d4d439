package io.sluice.query;

import io.sluice.engine.Engine;

import java.util.Optional;

/**
 * Answers a query from an earlier run's stored result instead of running it again (the local
 * result cache, {@code io.sluice.cache.LocalResultCache}). {@link QueryService#submit} asks it
 * before queueing a query, unless the request says {@code "cache": false}.
 */
public interface ResultCache {

    /**
     * A query about to be queued, answered from the cache: the record to store instead (its own id,
     * SUCCEEDED, with {@link Statistics#cachedFrom()}), whose result is already stored; empty when
     * the query must run.
     */
    Optional<QueryRecord> answer(Engine engine, QueryRecord queued);

    /** {@code record} of {@code engine} was stored: its runs may answer later queries. Never throws. */
    void stored(Engine engine, QueryRecord record);

    /** A record from {@link #answer} could not be stored: its copied result goes. Never throws. */
    void abandon(QueryRecord hit);

    /** No caching: every query runs. */
    ResultCache OFF = new ResultCache() {
        @Override
        public Optional<QueryRecord> answer(Engine engine, QueryRecord queued) {
            return Optional.empty();
        }

        @Override
        public void stored(Engine engine, QueryRecord record) {
        }

        @Override
        public void abandon(QueryRecord hit) {
        }
    };
}
