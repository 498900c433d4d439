package io.sluice.store;

import io.sluice.query.QueryRecord;

import java.time.Instant;
import java.util.List;

/**
 * The local result cache's view of the query store: each query's cache key, and the runs that may
 * answer a new query with the same key. Every call may throw {@link StoreUnavailableException}.
 */
public interface CacheStore {

    /** Records query {@code id}'s cache key (its runs may then answer queries with the same key). */
    void setCacheKey(String id, String cacheKey);

    /**
     * The runs that may answer a query with {@code cacheKey}, newest completion first, at most
     * {@code limit}: succeeded runs of queries with that key, completed at or after
     * {@code completedSince}, whose stored result is complete (not truncated), not removed by
     * retention, and that really ran (not themselves answered from the cache).
     *
     * @param owner only this owner's runs, or null for everyone's (a shared cache)
     */
    List<QueryRecord> sources(String cacheKey, String owner, Instant completedSince, int limit);
}
