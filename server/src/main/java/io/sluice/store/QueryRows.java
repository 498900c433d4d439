package io.sluice.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.query.CachedFrom;
import io.sluice.query.QueryError;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryState;
import io.sluice.query.RunStatus;
import io.sluice.query.Statistics;
import io.sluice.query.Warning;
import io.sluice.result.ResultTruncation;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a {@link QueryRecord} maps to the {@code queries} table and back: named parameters for
 * statements, a row mapper for results. Timestamps are epoch milliseconds; error details are JSON.
 */
final class QueryRows implements RowMapper<QueryRecord> {

    /** Every column a {@link QueryRecord} is read from. */
    static final String COLUMNS = """
            id, owner, engine, query_text, catalog_name, database_name, request_id, state, run, version,
            engine_query_id, claimed_by, created_at, submitted_at, started_at, completed_at,
            queue_millis, execution_millis, result_rows, result_bytes, scanned_bytes, cost_usd, result_reused,
            error_code, error_message, error_details, stop_requested, truncation_reason, truncation_limit, phase,
            warnings, max_scan_bytes, cached_from_query, cached_from_run, saved_usd""";

    /**
     * The same columns for one run of {@code query_runs r} joined with its query {@code queries q}:
     * the query's identity from q, everything about the run from r.
     */
    static final String RUN_COLUMNS = """
            q.id, q.owner, q.engine, q.query_text, q.catalog_name, q.database_name, q.request_id, r.state, r.run,
            r.version, r.engine_query_id, r.claimed_by, q.created_at, r.submitted_at, r.started_at, r.completed_at,
            r.queue_millis, r.execution_millis, r.result_rows, r.result_bytes, r.scanned_bytes, r.cost_usd,
            r.result_reused, r.error_code, r.error_message, r.error_details, r.stop_requested, r.truncation_reason,
            r.truncation_limit, r.phase, q.warnings, q.max_scan_bytes, r.cached_from_query, r.cached_from_run,
            r.saved_usd""";

    /** What {@link #RUN_COLUMNS} are read from. */
    static final String RUN_FROM = " FROM query_runs r JOIN queries q ON q.id = r.query_id";

    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() { };
    private static final TypeReference<List<Map<String, Object>>> WARNINGS = new TypeReference<>() { };

    private final ObjectMapper json;

    QueryRows(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Binds the fields that never change: {@code :id, :owner, :engine, :queryText, :queryTextLower,
     * :requestId, :createdAt, :warnings, :maxScanBytes}.
     */
    <S extends SqlStatement<S>> S bindIdentity(S statement, QueryRecord r) {
        return statement
                .bind("id", r.id())
                .bind("owner", r.owner())
                .bind("engine", r.engine())
                .bind("queryText", r.queryText())
                .bind("queryTextLower", lower(r.queryText()))
                .bind("requestId", r.requestId())
                .bind("createdAt", millis(r.createdAt()))
                .bind("warnings", warningsJson(r.warnings()))
                .bind("maxScanBytes", r.maxScanBytes());
    }

    /**
     * Binds the fields an update may change, all but the version: {@code :catalog, :database, :state,
     * :run, :engineQueryId, :claimedBy, :submittedAt, :startedAt, :completedAt}, the statistics (with
     * the result's truncation: {@code :truncationReason, :truncationLimit}, and the local result cache's
     * {@code :cachedFromQuery, :cachedFromRun, :savedUsd}), the error,
     * {@code :activeRequestId} (the request id while the query is active, else null: what makes a
     * request id unique among one owner's active queries), {@code :stopRequested} and {@code :phase}.
     *
     * @throws IllegalArgumentException when the error details cannot be written as JSON
     */
    <S extends SqlStatement<S>> S bindMutable(S statement, QueryRecord r) {
        Statistics s = r.statistics();
        QueryError e = r.error();
        return statement
                .bind("catalog", r.catalog())
                .bind("database", r.database())
                .bind("state", r.state().name())
                .bind("run", r.run())
                .bind("engineQueryId", r.engineQueryId())
                .bind("claimedBy", r.claimedBy())
                .bind("submittedAt", millis(r.submittedAt()))
                .bind("startedAt", millis(r.startedAt()))
                .bind("completedAt", millis(r.completedAt()))
                .bind("queueMillis", s.queueMillis())
                .bind("executionMillis", s.executionMillis())
                .bind("resultRows", s.rows())
                .bind("resultBytes", s.resultBytes())
                .bind("scannedBytes", s.scannedBytes())
                .bind("costUsd", s.costUsd())
                .bind("resultReused", s.resultReused())
                .bind("truncationReason", s.truncation() == null ? null : s.truncation().reason().name())
                .bind("truncationLimit", s.truncation() == null ? null : s.truncation().limit())
                .bind("cachedFromQuery", s.cachedFrom() == null ? null : s.cachedFrom().queryId())
                .bind("cachedFromRun", s.cachedFrom() == null ? null : s.cachedFrom().run())
                .bind("savedUsd", s.savedUsd())
                .bind("errorCode", e == null ? null : e.code())
                .bind("errorMessage", e == null ? null : e.message())
                .bind("errorDetails", detailsJson(e))
                .bind("activeRequestId", r.state().isTerminal() ? null : r.requestId())
                .bind("stopRequested", r.stopRequested())
                .bind("phase", r.phase() == null ? null : r.phase().name());
    }

    @Override
    public QueryRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
        Statistics stats = new Statistics(
                getLong(rs, "queue_millis"),
                getLong(rs, "execution_millis"),
                getLong(rs, "result_rows"),
                getLong(rs, "result_bytes"),
                getLong(rs, "scanned_bytes"),
                getDouble(rs, "cost_usd"),
                getBoolean(rs, "result_reused"),
                truncation(rs),
                cachedFrom(rs),
                getDouble(rs, "saved_usd"));
        String errorCode = rs.getString("error_code");
        QueryError error = errorCode == null ? null
                : new QueryError(errorCode, rs.getString("error_message"), parseDetails(rs.getString("error_details")));
        return new QueryRecord(
                rs.getString("id"),
                rs.getString("owner"),
                rs.getString("engine"),
                rs.getString("query_text"),
                rs.getString("catalog_name"),
                rs.getString("database_name"),
                rs.getString("request_id"),
                QueryState.valueOf(rs.getString("state")),
                rs.getInt("run"),
                rs.getLong("version"),
                rs.getString("engine_query_id"),
                rs.getString("claimed_by"),
                instant(getLong(rs, "created_at")),
                instant(getLong(rs, "submitted_at")),
                instant(getLong(rs, "started_at")),
                instant(getLong(rs, "completed_at")),
                stats,
                error,
                rs.getBoolean("stop_requested"),
                phase(rs.getString("phase")),
                parseWarnings(rs.getString("warnings")),
                getLong(rs, "max_scan_bytes"));
    }

    private static RunStatus phase(String name) {
        if (name == null) {
            return null;
        }
        try {
            return RunStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null; // a phase this version does not know: the state's plain one
        }
    }

    private static ResultTruncation truncation(ResultSet rs) throws SQLException {
        String reason = rs.getString("truncation_reason");
        Long limit = getLong(rs, "truncation_limit");
        return reason == null || limit == null ? null
                : new ResultTruncation(ResultTruncation.Reason.valueOf(reason), limit);
    }

    private static CachedFrom cachedFrom(ResultSet rs) throws SQLException {
        String query = rs.getString("cached_from_query");
        Long run = getLong(rs, "cached_from_run");
        return query == null || run == null ? null : new CachedFrom(query, run.intValue());
    }

    /** {@code r} as the store holds it once written with {@code version}: millisecond timestamps, details through JSON. */
    QueryRecord asStored(QueryRecord r, long version) {
        QueryError e = r.error();
        QueryError error = e == null ? null : new QueryError(e.code(), e.message(), parseDetails(detailsJson(e)));
        return new QueryRecord(r.id(), r.owner(), r.engine(), r.queryText(), r.catalog(), r.database(), r.requestId(),
                r.state(), r.run(), version, r.engineQueryId(), r.claimedBy(),
                instant(millis(r.createdAt())), instant(millis(r.submittedAt())), instant(millis(r.startedAt())),
                instant(millis(r.completedAt())), r.statistics(), error, r.stopRequested(), r.phase(),
                parseWarnings(warningsJson(r.warnings())), r.maxScanBytes());
    }

    /** Lower case as stored in {@code query_text_lower} and as searched for. */
    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    private String detailsJson(QueryError error) {
        if (error == null || error.details().isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(error.details());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("error details cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Warnings as stored: a JSON array of {code, params}, or null for none. */
    private String warningsJson(List<Warning> warnings) {
        if (warnings == null || warnings.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Warning w : warnings) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("code", w.code());
            item.put("params", w.params());
            items.add(item);
        }
        try {
            return json.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("warnings cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Warning> parseWarnings(String text) {
        if (text == null) {
            return List.of();
        }
        try {
            List<Warning> warnings = new ArrayList<>();
            for (Map<String, Object> item : json.readValue(text, WARNINGS)) {
                Object params = item.get("params");
                warnings.add(new Warning(String.valueOf(item.get("code")),
                        params instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of()));
            }
            return warnings;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored warnings are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private Map<String, Object> parseDetails(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return json.readValue(text, DETAILS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored error details are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Long getLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Double getDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static Boolean getBoolean(ResultSet rs, String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }
}
