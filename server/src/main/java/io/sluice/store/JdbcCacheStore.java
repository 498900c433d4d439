package io.sluice.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryState;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** {@link CacheStore} on the {@code queries} ({@code cache_key}, V10) and {@code query_runs} tables. */
public final class JdbcCacheStore implements CacheStore {

    private static final String SET_KEY = "UPDATE queries SET cache_key = :key WHERE id = :id";

    private static final String SOURCES = "SELECT " + QueryRows.RUN_COLUMNS + QueryRows.RUN_FROM + " " + """
            WHERE q.cache_key = :key AND r.state = :state AND r.completed_at >= :since
               AND r.truncation_reason IS NULL AND r.result_removed_at IS NULL AND r.cached_from_query IS NULL""";

    private static final String ORDER = " ORDER BY r.completed_at DESC, q.id DESC LIMIT :limit";

    private final Jdbi jdbi;
    private final QueryRows rows;
    private final StoreHealth health;
    private final StoreWrites writes;

    public JdbcCacheStore(Database database, ObjectMapper json) {
        this(database.jdbi(), json, database.health(), database.writes());
    }

    /** On a Jdbi of its own, without fail-fast (tests). */
    public JdbcCacheStore(Jdbi jdbi, ObjectMapper json) {
        this(jdbi, json, StoreHealth.unmonitored(), StoreWrites.concurrent(jdbi));
    }

    private JdbcCacheStore(Jdbi jdbi, ObjectMapper json, StoreHealth health, StoreWrites writes) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.rows = new QueryRows(Objects.requireNonNull(json, "json"));
        this.health = health;
        this.writes = writes;
    }

    @Override
    public void setCacheKey(String id, String cacheKey) {
        health.call(() -> writes.inTransaction(h -> h.createUpdate(SET_KEY).bind("key", cacheKey).bind("id", id)
                .execute()));
    }

    @Override
    public List<QueryRecord> sources(String cacheKey, String owner, Instant completedSince, int limit) {
        String sql = SOURCES + (owner == null ? "" : " AND q.owner = :owner") + ORDER;
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(sql)
                .bind("key", cacheKey)
                .bind("state", QueryState.SUCCEEDED.name())
                .bind("since", completedSince.toEpochMilli())
                .bind("owner", owner)
                .bind("limit", limit)
                .map(rows).list()));
    }
}
