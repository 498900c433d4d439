package io.sluice.cache;

import io.sluice.engine.Engine;
import io.sluice.engine.LocalCacheSettings;
import io.sluice.query.CachedFrom;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryState;
import io.sluice.query.ResultCache;
import io.sluice.query.Statistics;
import io.sluice.result.ResultStore;
import io.sluice.store.CacheStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The local result cache: a query with the same {@link CacheKey} as a run that succeeded within the
 * engine's TTL ({@link LocalCacheSettings}) is answered from that run's stored result, copied to
 * the new query before the submit is answered, at cost 0 and without an engine call. The keys and
 * the runs are in the store, so the cache survives restarts and every instance shares it.
 *
 * <p>A source is the newest run of the caller's own queries (of everyone's, when the engine's
 * cache is shared) that succeeded with a complete result (never a truncated one) which is still
 * stored, and that really ran (a cache hit is never a source, so a result is never served past
 * the TTL of the run that produced it).
 */
public final class LocalResultCache implements ResultCache {

    private static final Logger LOG = LoggerFactory.getLogger(LocalResultCache.class);
    /** Candidates tried per lookup: the newest may have lost its stored result (a refresh, a deletion). */
    static final int CANDIDATES = 5;

    private final CacheStore store;
    private final ResultStore results;
    private final Clock clock;

    public LocalResultCache(CacheStore store, ResultStore results, Clock clock) {
        this.store = store;
        this.results = results;
        this.clock = clock;
    }

    @Override
    public Optional<QueryRecord> answer(Engine engine, QueryRecord queued) {
        LocalCacheSettings settings = engine.localCache();
        if (!settings.enabled()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String owner = settings.shared() ? null : queued.owner();
        for (QueryRecord source : store.sources(key(settings, queued), owner, now.minus(settings.ttl()), CANDIDATES)) {
            try {
                if (results.copy(source.id(), source.run(), queued.id(), 1)) {
                    return Optional.of(hit(queued, source, now));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not copy the result of query {} run {} for query {}; trying the next source",
                        source.id(), source.run(), queued.id(), e);
            }
        }
        return Optional.empty();
    }

    @Override
    public void stored(Engine engine, QueryRecord record) {
        LocalCacheSettings settings = engine.localCache();
        if (!settings.enabled()) {
            return;
        }
        try {
            store.setCacheKey(record.id(), key(settings, record));
        } catch (RuntimeException e) {
            LOG.warn("could not record the cache key of query {}: its result will not be reused", record.id(), e);
        }
    }

    @Override
    public void abandon(QueryRecord hit) {
        try {
            results.delete(hit.id(), hit.run());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete the copied result of query {}", hit.id(), e);
        }
    }

    private static String key(LocalCacheSettings settings, QueryRecord query) {
        return CacheKey.of(query.queryText(), query.engine(), query.catalog(), query.database(), settings.scope());
    }

    /** {@code queued} ended at once, answered by {@code source}: its rows, no scan, no cost, the source's cost saved. */
    private static QueryRecord hit(QueryRecord queued, QueryRecord source, Instant now) {
        Statistics s = source.statistics();
        Statistics stats = new Statistics(0L, 0L, s.rows(), s.resultBytes(), 0L, 0.0, false, null,
                new CachedFrom(source.id(), source.run()), s.costUsd() == null ? 0.0 : s.costUsd());
        return new QueryRecord(queued.id(), queued.owner(), queued.engine(), queued.queryText(), queued.catalog(),
                queued.database(), queued.requestId(), QueryState.SUCCEEDED, 1, 0, null, null, now, now, now, now,
                stats, null);
    }
}
