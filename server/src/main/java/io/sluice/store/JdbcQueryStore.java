package io.sluice.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sluice.query.HistoryQuery;
import io.sluice.query.QueryError;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryState;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link QueryStore} on the {@code queries} table of a {@link Database}: the same SQL on H2,
 * PostgreSQL and MySQL/MariaDB.
 *
 * <p>What is read back: timestamps at millisecond precision; {@link QueryError#details()} through
 * JSON, so numbers come back as Jackson reads them (Integer, Long or Double) and other objects as
 * maps, lists and strings. {@link #update} returns the record exactly as it is then stored.
 */
public final class JdbcQueryStore implements QueryStore {

    private static final String INSERT = """
            INSERT INTO queries (
                id, owner, engine, query_text, query_text_lower, request_id, created_at,
                catalog_name, database_name, state, run, version, engine_query_id, claimed_by,
                submitted_at, started_at, completed_at,
                queue_millis, execution_millis, result_rows, result_bytes, scanned_bytes, cost_usd, result_reused,
                error_code, error_message, error_details, active_request_id, stop_requested,
                truncation_reason, truncation_limit, phase, warnings, max_scan_bytes,
                cached_from_query, cached_from_run, saved_usd)
            VALUES (
                :id, :owner, :engine, :queryText, :queryTextLower, :requestId, :createdAt,
                :catalog, :database, :state, :run, :version, :engineQueryId, :claimedBy,
                :submittedAt, :startedAt, :completedAt,
                :queueMillis, :executionMillis, :resultRows, :resultBytes, :scannedBytes, :costUsd, :resultReused,
                :errorCode, :errorMessage, :errorDetails, :activeRequestId, :stopRequested,
                :truncationReason, :truncationLimit, :phase, :warnings, :maxScanBytes,
                :cachedFromQuery, :cachedFromRun, :savedUsd)""";

    /** A run's own row, written in the same transaction as its query's whenever it is the latest run. */
    private static final String INSERT_RUN = """
            INSERT INTO query_runs (
                query_id, run, state, phase, engine_query_id, claimed_by, submitted_at, started_at, completed_at,
                queue_millis, execution_millis, result_rows, result_bytes, scanned_bytes, cost_usd, result_reused,
                error_code, error_message, error_details, stop_requested, truncation_reason, truncation_limit, version,
                cached_from_query, cached_from_run, saved_usd)
            VALUES (
                :id, :run, :state, :phase, :engineQueryId, :claimedBy, :submittedAt, :startedAt, :completedAt,
                :queueMillis, :executionMillis, :resultRows, :resultBytes, :scannedBytes, :costUsd, :resultReused,
                :errorCode, :errorMessage, :errorDetails, :stopRequested, :truncationReason, :truncationLimit,
                :version, :cachedFromQuery, :cachedFromRun, :savedUsd)""";

    private static final String SET_RUN = """
            UPDATE query_runs SET
                state = :state, phase = :phase, engine_query_id = :engineQueryId, claimed_by = :claimedBy,
                submitted_at = :submittedAt, started_at = :startedAt, completed_at = :completedAt,
                queue_millis = :queueMillis, execution_millis = :executionMillis, result_rows = :resultRows,
                result_bytes = :resultBytes, scanned_bytes = :scannedBytes, cost_usd = :costUsd,
                result_reused = :resultReused, error_code = :errorCode, error_message = :errorMessage,
                error_details = :errorDetails, stop_requested = :stopRequested,
                truncation_reason = :truncationReason, truncation_limit = :truncationLimit, version = :version,
                cached_from_query = :cachedFromQuery, cached_from_run = :cachedFromRun, saved_usd = :savedUsd
            WHERE query_id = :id AND run = :run""";

    /** An earlier run (a refresh replaced it), changed only if it is still as the caller read it. */
    private static final String UPDATE_EARLIER_RUN = SET_RUN + " AND version = :expectedVersion AND state = :expectedState";

    private static final String FIND_RUN = "SELECT " + QueryRows.RUN_COLUMNS + QueryRows.RUN_FROM
            + " WHERE q.id = :id AND r.run = :run";

    /** Every mutable column from {@code next}, only if the row still is {@code expected}. */
    private static final String UPDATE = """
            UPDATE queries SET
                catalog_name = :catalog, database_name = :database, state = :state, run = :run, version = :version,
                engine_query_id = :engineQueryId, claimed_by = :claimedBy, submitted_at = :submittedAt,
                started_at = :startedAt, completed_at = :completedAt,
                queue_millis = :queueMillis, execution_millis = :executionMillis, result_rows = :resultRows,
                result_bytes = :resultBytes, scanned_bytes = :scannedBytes, cost_usd = :costUsd,
                result_reused = :resultReused,
                error_code = :errorCode, error_message = :errorMessage, error_details = :errorDetails,
                active_request_id = :activeRequestId, stop_requested = :stopRequested,
                truncation_reason = :truncationReason, truncation_limit = :truncationLimit, phase = :phase,
                cached_from_query = :cachedFromQuery, cached_from_run = :cachedFromRun, saved_usd = :savedUsd
            WHERE id = :id AND version = :expectedVersion AND state = :expectedState""";

    private static final String FIND = "SELECT " + QueryRows.COLUMNS + " FROM queries WHERE id = :id";

    private static final String FIND_BY_REQUEST_ID = "SELECT " + QueryRows.COLUMNS + """
             FROM queries
            WHERE owner = :owner AND request_id = :requestId
            ORDER BY created_at DESC, id DESC
            LIMIT 1""";

    private static final String COUNT_BY_OWNER_AND_STATE =
            "SELECT count(*) FROM (SELECT 1 AS one FROM queries WHERE owner = :owner AND state = :state"
                    + " LIMIT :atMost) counted";

    /** The unique index that makes a request id unique among one owner's active queries. */
    private static final String REQUEST_ID_INDEX = "ux_queries_owner_active_request";

    private final Jdbi jdbi;
    private final QueryRows rows;
    private final StoreHealth health;
    private final StoreWrites writes;

    /**
     * @param database the store, with its health watch: calls fail fast while it is unavailable
     * @param json     the service's one JSON mapper, for {@link QueryError#details()}
     */
    public JdbcQueryStore(Database database, ObjectMapper json) {
        this(database.jdbi(), json, database.health(), database.writes());
    }

    /** On a Jdbi of its own, without fail-fast (connection failures still become {@link StoreUnavailableException}). */
    public JdbcQueryStore(Jdbi jdbi, ObjectMapper json) {
        this(jdbi, json, StoreHealth.unmonitored(), StoreWrites.concurrent(jdbi));
    }

    private JdbcQueryStore(Jdbi jdbi, ObjectMapper json, StoreHealth health, StoreWrites writes) {
        this.writes = writes;
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.rows = new QueryRows(Objects.requireNonNull(json, "json"));
        this.health = health;
    }

    /** With a plain mapper of its own (java.time supported). */
    public JdbcQueryStore(Jdbi jdbi) {
        this(jdbi, new ObjectMapper().registerModule(new JavaTimeModule()));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the id exists already
     * @throws RequestIdInUseException when the owner has an active query with the same request id
     */
    @Override
    public void insert(QueryRecord query) {
        health.call(() -> {
            try {
                return writes.inTransaction(h -> {
                    rows.bindMutable(rows.bindIdentity(h.createUpdate(INSERT), query), query)
                            .bind("version", query.version())
                            .execute();
                    return runStatement(h.createUpdate(INSERT_RUN), query, query.version()).execute();
                });
            } catch (UnableToExecuteStatementException e) {
                if (isDuplicateKey(e.getCause())) {
                    throw isRequestIdClash(e) ? new RequestIdInUseException(query.requestId(), e)
                            : new IllegalArgumentException("query " + query.id() + " already exists", e);
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<QueryRecord> find(String id) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(FIND).bind("id", id).map(rows).findOne()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Which changes are legal is the lifecycle's business ({@link io.sluice.query.Lifecycle}); the
     * store checks only that the query's identity stays and the run stays or goes up by one (a
     * refresh). The run's own row in {@code query_runs} is written in the same transaction.
     * {@code next.version()} is ignored.
     *
     * @throws IllegalArgumentException when {@code next} changes an immutable field (id, owner,
     *         engine, query text, createdAt, requestId) or the run number by other than 0 or 1
     * @throws RequestIdInUseException when a new run would make the query active while the owner has
     *         another active query with the same request id
     */
    @Override
    public Optional<QueryRecord> update(QueryRecord expected, QueryRecord next) {
        checkChange(expected, next);
        long version = expected.version() + 1;
        int updated = health.call(() -> {
            try {
                return writes.inTransaction(h -> {
                    int changed = rows.bindMutable(h.createUpdate(UPDATE), next)
                            .bind("version", version)
                            .bind("id", expected.id())
                            .bind("expectedVersion", expected.version())
                            .bind("expectedState", expected.state().name())
                            .execute();
                    if (changed == 1) {
                        // The same run's row, or (a refresh) the new run's; an earlier run's row stays as it was.
                        runStatement(h.createUpdate(next.run() == expected.run() ? SET_RUN : INSERT_RUN), next, version)
                                .execute();
                    }
                    return changed;
                });
            } catch (UnableToExecuteStatementException e) {
                if (isDuplicateKey(e.getCause()) && isRequestIdClash(e)) {
                    throw new RequestIdInUseException(next.requestId(), e);
                }
                throw e;
            }
        });
        return updated == 1 ? Optional.of(rows.asStored(next, version)) : Optional.empty();
    }

    /** {@inheritDoc} The run's own row alone changes: its query's latest run is another one. */
    @Override
    public Optional<QueryRecord> updateRun(QueryRecord expected, QueryRecord next) {
        checkChange(expected, next);
        if (next.run() != expected.run()) {
            throw new IllegalArgumentException("an earlier run's number cannot change");
        }
        long version = expected.version() + 1;
        int updated = health.call(() -> writes.inTransaction(h ->
                runStatement(h.createUpdate(UPDATE_EARLIER_RUN), next, version)
                        .bind("expectedVersion", expected.version())
                        .bind("expectedState", expected.state().name())
                        .execute()));
        return updated == 1 ? Optional.of(rows.asStored(next, version)) : Optional.empty();
    }

    @Override
    public Optional<QueryRecord> findRun(String id, int run) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(FIND_RUN).bind("id", id).bind("run", run)
                .map(rows).findOne()));
    }

    /** {@inheritDoc} Newest first. */
    @Override
    public List<QueryRecord> runs(String id, int beforeRun, int limit) {
        String sql = "SELECT " + QueryRows.RUN_COLUMNS + QueryRows.RUN_FROM
                + " WHERE q.id = :id AND r.run < :before ORDER BY r.run DESC LIMIT :limit";
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(sql).bind("id", id).bind("before", beforeRun)
                .bind("limit", limit).map(rows).list()));
    }

    /** {@inheritDoc} Oldest submission first. */
    @Override
    public List<QueryRecord> findOwnedRuns(String instanceId, int limit) {
        String sql = "SELECT " + QueryRows.RUN_COLUMNS + QueryRows.RUN_FROM
                + " WHERE " + (instanceId == null ? "r.claimed_by IS NULL" : "r.claimed_by = :owner")
                + " AND (r.state IN ('QUEUED', 'RUNNING') OR r.stop_requested = :pending)"
                + " ORDER BY r.submitted_at, q.id, r.run LIMIT :limit";
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(sql).bind("owner", instanceId)
                .bind("pending", true).bind("limit", limit)
                .configure(org.jdbi.v3.core.statement.SqlStatements.class, c -> c.setUnusedBindingAllowed(true))
                .map(rows).list()));
    }

    @Override
    public List<String> findOwners() {
        String sql = "SELECT DISTINCT claimed_by FROM query_runs"
                + " WHERE state IN ('QUEUED', 'RUNNING') OR stop_requested = :pending";
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(sql).bind("pending", true)
                .mapTo(String.class).list()));
    }

    @Override
    public List<QueryRecord> findAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Object> params = new LinkedHashMap<>();
        String sql = "SELECT " + QueryRows.COLUMNS + " FROM queries WHERE id IN ("
                + inList("id", ids.stream().distinct().toList(), params) + ")";
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(sql).bindMap(params).map(rows).list()));
    }

    /** The run row's statement, every run column bound from {@code r} with {@code version}. */
    private <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S runStatement(S statement, QueryRecord r, long version) {
        return rows.bindMutable(statement, r)
                .bind("id", r.id())
                .bind("version", version)
                .configure(org.jdbi.v3.core.statement.SqlStatements.class, c -> c.setUnusedBindingAllowed(true));
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code states} null or empty: every state; {@code engine}, {@code text} null: any. The text is
     * matched literally ({@code %} and {@code _} are no wildcards) and case-insensitively
     * ({@code Locale.ROOT} lower case, the same on every database).
     */
    @Override
    public List<QueryRecord> history(HistoryQuery query) {
        Objects.requireNonNull(query.owner(), "owner");
        if (query.limit() < 1) {
            throw new IllegalArgumentException("history limit must be at least 1, was " + query.limit());
        }
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(QueryRows.COLUMNS)
                .append(" FROM queries WHERE owner = :owner");
        params.put("owner", query.owner());
        if (query.states() != null && !query.states().isEmpty()) {
            List<String> states = query.states().stream().map(Enum::name).toList();
            sql.append(" AND state IN (").append(inList("state", states, params)).append(')');
        }
        if (query.engine() != null) {
            sql.append(" AND engine = :engine");
            params.put("engine", query.engine());
        }
        if (query.text() != null && !query.text().isEmpty()) {
            sql.append(" AND query_text_lower LIKE :pattern ESCAPE '!'");
            params.put("pattern", "%" + escapeLike(QueryRows.lower(query.text())) + "%");
        }
        if (query.after() != null) {
            sql.append(" AND (created_at < :afterCreatedAt OR (created_at = :afterCreatedAt AND id < :afterId))");
            params.put("afterCreatedAt", query.after().createdAt().toEpochMilli());
            params.put("afterId", query.after().id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :fetch");
        params.put("fetch", query.limit() + 1);
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(sql.toString()).bindMap(params).map(rows).list()));
    }

    @Override
    public Optional<QueryRecord> findByRequestId(String owner, String requestId) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(FIND_BY_REQUEST_ID)
                .bind("owner", owner)
                .bind("requestId", requestId)
                .map(rows)
                .findOne()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Oldest first means by the current run's submission, then id. Empty {@code states} or
     * {@code engines} match nothing; {@code engines == null} matches every engine.
     */
    @Override
    public List<QueryRecord> findByStates(Collection<QueryState> states, Collection<String> engines, int limit) {
        Objects.requireNonNull(states, "states");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (states.isEmpty() || (engines != null && engines.isEmpty())) {
            return List.of();
        }
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(QueryRows.COLUMNS).append(" FROM queries WHERE state IN (")
                .append(inList("state", states.stream().map(Enum::name).distinct().toList(), params)).append(')');
        if (engines != null) {
            sql.append(" AND engine IN (").append(inList("engine", engines.stream().distinct().toList(), params)).append(')');
        }
        sql.append(" ORDER BY submitted_at, id LIMIT :limit");
        params.put("limit", limit);
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(sql.toString()).bindMap(params).map(rows).list()));
    }

    @Override
    public int count(String owner, QueryState state, int atMost) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(COUNT_BY_OWNER_AND_STATE)
                .bind("owner", owner)
                .bind("state", state.name())
                .bind("atMost", atMost)
                .mapTo(Integer.class)
                .one()));
    }

    /** {@inheritDoc} Oldest end first; earlier runs of a query (a refresh replaced them) included. */
    @Override
    public List<QueryRecord> findStopsRequested(Collection<String> engines, int limit) {
        if (engines.isEmpty()) {
            return List.of();
        }
        Map<String, Object> params = new LinkedHashMap<>();
        String sql = "SELECT " + QueryRows.RUN_COLUMNS + QueryRows.RUN_FROM
                + " WHERE r.stop_requested = :requested AND q.engine IN ("
                + inList("engine", engines.stream().distinct().toList(), params)
                + ") ORDER BY r.completed_at, q.id, r.run LIMIT :limit";
        params.put("requested", true);
        params.put("limit", limit);
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(sql).bindMap(params).map(rows).list()));
    }

    /** Refuses, before anything is written, a change the state machine or the query's identity forbids. */
    static void checkChange(QueryRecord expected, QueryRecord next) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(next, "next");
        requireSame("id", expected.id(), next.id());
        requireSame("owner", expected.owner(), next.owner());
        requireSame("engine", expected.engine(), next.engine());
        requireSame("queryText", expected.queryText(), next.queryText());
        requireSame("createdAt", expected.createdAt(), next.createdAt());
        requireSame("requestId", expected.requestId(), next.requestId());
        if (next.run() != expected.run() && next.run() != expected.run() + 1) {
            throw new IllegalArgumentException("illegal change of query " + expected.id() + ": run " + expected.run()
                    + " -> run " + next.run());
        }
    }

    private static void requireSame(String field, Object expected, Object next) {
        if (!Objects.equals(expected, next)) {
            throw new IllegalArgumentException(field + " of a query cannot change");
        }
    }

    /** Whether a unique key violation is about the request id index (its name is in every database's message). */
    private static boolean isRequestIdClash(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains(REQUEST_ID_INDEX)) {
                return true;
            }
        }
        return false;
    }

    /** A unique key violation: SQLSTATE 23505 (H2, PostgreSQL), or 23000 with MySQL's error 1062. */
    static boolean isDuplicateKey(Throwable cause) {
        return cause instanceof SQLException sql
                && ("23505".equals(sql.getSQLState()) || "23000".equals(sql.getSQLState()) && sql.getErrorCode() == 1062);
    }

    /** Named parameters {@code :prefix0, :prefix1, ...} for the values, added to {@code params}. */
    private static String inList(String prefix, List<?> values, Map<String, Object> params) {
        List<String> names = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            params.put(prefix + i, values.get(i));
            names.add(":" + prefix + i);
        }
        return String.join(", ", names);
    }

    /** LIKE pattern text that matches {@code text} literally, with {@code !} as the escape character. */
    static String escapeLike(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '!' || c == '%' || c == '_') {
                out.append('!');
            }
            out.append(c);
        }
        return out.toString();
    }
}
