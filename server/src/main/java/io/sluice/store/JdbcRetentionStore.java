package io.sluice.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryState;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@link RetentionStore} on the {@code queries} and {@code query_runs} tables. */
public final class JdbcRetentionStore implements RetentionStore {

    /** The terminal states as an SQL list: constants of this code, never user input. */
    private static final String TERMINAL = Arrays.stream(QueryState.values()).filter(QueryState::isTerminal)
            .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));

    private static final String FIND_RESULTS = """
            SELECT query_id, run FROM query_runs
            WHERE state = 'SUCCEEDED' AND completed_at < :before AND result_removed_at IS NULL
            ORDER BY completed_at, query_id, run LIMIT :limit""";

    private static final String MARK_REMOVED =
            "UPDATE query_runs SET result_removed_at = :at WHERE query_id = :id AND run = :run";

    private static final String FIND_REMOVED =
            "SELECT result_removed_at FROM query_runs WHERE query_id = :id AND run = :run AND result_removed_at IS NOT NULL";

    private static final String FIND_QUERIES = "SELECT " + QueryRows.COLUMNS + " FROM queries q"
            + " WHERE q.state IN (" + TERMINAL + ") AND q.completed_at < :before"
            + " AND NOT EXISTS (SELECT 1 FROM query_runs r WHERE r.query_id = q.id AND r.stop_requested = :pending)"
            + " ORDER BY q.completed_at, q.id LIMIT :limit";

    private final Jdbi jdbi;
    private final QueryRows rows;
    private final StoreHealth health;
    private final StoreWrites writes;

    /**
     * @param database the store, with its health watch
     * @param json     the service's one JSON mapper, for error details of the queries read
     */
    public JdbcRetentionStore(Database database, ObjectMapper json) {
        this.jdbi = database.jdbi();
        this.rows = new QueryRows(json);
        this.health = database.health();
        this.writes = database.writes();
    }

    @Override
    public List<RunKey> findResultsEndedBefore(Instant before, int limit) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(FIND_RESULTS)
                .bind("before", before.toEpochMilli()).bind("limit", limit)
                .map((rs, ctx) -> new RunKey(rs.getString("query_id"), rs.getInt("run")))
                .list()));
    }

    @Override
    public void markResultsRemoved(Collection<RunKey> runs, Instant at) {
        if (runs.isEmpty()) {
            return;
        }
        health.call(() -> writes.inTransaction(h -> {
            PreparedBatch batch = h.prepareBatch(MARK_REMOVED);
            for (RunKey key : runs) {
                batch.bind("at", at.toEpochMilli()).bind("id", key.queryId()).bind("run", key.run()).add();
            }
            return batch.execute();
        }));
    }

    @Override
    public Optional<Instant> resultRemovedAt(String queryId, int run) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(FIND_REMOVED)
                .bind("id", queryId).bind("run", run)
                .mapTo(Long.class).findOne().map(Instant::ofEpochMilli)));
    }

    @Override
    public List<QueryRecord> findQueriesEndedBefore(Instant before, int limit) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(FIND_QUERIES)
                .bind("before", before.toEpochMilli()).bind("pending", true).bind("limit", limit)
                .map(rows).list()));
    }

    @Override
    public List<QueryRecord> deleteQueries(Collection<QueryRecord> queries) {
        if (queries.isEmpty()) {
            return List.of();
        }
        return health.call(() -> writes.inTransaction(h -> {
            List<QueryRecord> deleted = new ArrayList<>();
            for (QueryRecord q : queries) {
                int gone = h.createUpdate("DELETE FROM queries WHERE id = :id AND version = :version")
                        .bind("id", q.id()).bind("version", q.version()).execute();
                if (gone == 1) {
                    h.createUpdate("DELETE FROM query_runs WHERE query_id = :id").bind("id", q.id()).execute();
                    deleted.add(q);
                }
            }
            return deleted;
        }));
    }
}
