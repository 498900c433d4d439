package io.sluice.query;

import io.sluice.access.Caller;
import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.engine.Engine;
import io.sluice.engine.Engines;
import io.sluice.result.ResultPage;
import io.sluice.result.Aggregation;
import io.sluice.result.ResultConverting;
import io.sluice.result.ResultOperationUnsupported;
import io.sluice.result.ResultReader;
import io.sluice.result.ResultView;
import io.sluice.result.ResultStore;
import io.sluice.result.ResultSummary;
import io.sluice.result.ValueKind;
import io.sluice.retention.RemovedResults;
import io.sluice.store.QueryStore;
import io.sluice.store.RequestIdInUseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A query's whole life as the API sees it: submit, status, results, cancel, refresh, history.
 * Owns the state machine: every change is a compare-and-set through {@link QueryTransitions}.
 * Every lookup is by owner: another user's query is indistinguishable from a missing one.
 */
public final class QueryService {

    private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);
    /** The log field (MDC key) naming the query a log line is about. */
    public static final String QUERY_ID = "queryId";

    private final QueryStore store;
    private final ResultStore results;
    private final Engines engines;
    private final QueryTransitions transitions;
    private final QueryRunner runner;
    private final Clock clock;
    private final Limits limits;
    private final RemovedResults removedResults;
    private final List<SubmitCheck> checks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final double BYTES_PER_GB = 1024d * 1024 * 1024;
    private final ResultCache cache;
    private final FirstPartPages firstParts;

    /**
     * Request limits: largest query, page sizes of results and history, and how many queries one
     * user may have waiting (QUEUED) before new ones are refused.
     */
    public record Limits(int maxQueryBytes, int defaultPageSize, int maxPageSize, int defaultHistoryPageSize,
                         int maxHistoryPageSize, int maxQueuedPerUser) {

        /** Without a per-user limit. */
        public Limits(int maxQueryBytes, int defaultPageSize, int maxPageSize, int defaultHistoryPageSize,
                      int maxHistoryPageSize) {
            this(maxQueryBytes, defaultPageSize, maxPageSize, defaultHistoryPageSize, maxHistoryPageSize,
                    Integer.MAX_VALUE);
        }
    }

    public QueryService(QueryStore store, ResultStore results, Engines engines, QueryTransitions transitions,
                        QueryRunner runner, Clock clock, Limits limits, RemovedResults removedResults) {
        this(store, results, engines, transitions, runner, clock, limits, removedResults, ResultCache.OFF);
    }

    /** With a local result cache that may answer a submitted query from an earlier result. */
    public QueryService(QueryStore store, ResultStore results, Engines engines, QueryTransitions transitions,
                        QueryRunner runner, Clock clock, Limits limits, RemovedResults removedResults,
                        ResultCache cache) {
        this.cache = cache;
        this.store = store;
        this.removedResults = removedResults;
        this.firstParts = new FirstPartPages(results);
        this.results = results;
        this.engines = engines;
        this.transitions = transitions;
        this.runner = runner;
        this.clock = clock;
        this.limits = limits;
    }

    /** Adds a check every new query passes, after the ones added before (wired at start-up). */
    public void addCheck(SubmitCheck check) {
        checks.add(check);
    }

    public QueryRecord submit(Caller caller, Submission submission) {
        String sql = submission.sql();
        Engine engine = checkedEngine(sql, submission.engine());
        String catalog = Optional.ofNullable(submission.catalog()).filter(s -> !s.isBlank())
                .orElse(engine.defaultContext().catalog());
        String database = Optional.ofNullable(submission.database()).filter(s -> !s.isBlank())
                .orElse(engine.defaultContext().database());
        Long scanCap = scanCap(engine, submission.maxScanGb());
        QueryRecord record = QueryRecord.queued(QueryIds.next(), caller.identity(), engine.name(), sql, catalog,
                database, submission.requestId(), clock.instant()).withClaim(transitions.instanceId());
        // A cache hit costs nothing: it is answered before the queue and budget checks.
        if (!Boolean.FALSE.equals(submission.cache())) {
            Optional<QueryRecord> hit = cache.answer(engine, record);
            if (hit.isPresent()) {
                return storeCacheHit(engine, hit.get());
            }
        }
        requireQueueRoom(caller);
        List<Warning> warnings = new java.util.ArrayList<>();
        PendingRun pending = new PendingRun(engine, catalog, database, sql, submission);
        for (SubmitCheck check : checks) {
            warnings.addAll(check.check(caller, pending));
        }
        record = record.withSubmitted(warnings, scanCap);
        try {
            store.insert(record);
        } catch (RequestIdInUseException e) {
            throw new ApiException(MessageCode.REQUEST_ID_IN_USE, Map.of("request_id", e.requestId()));
        }
        cache.stored(engine, record);
        MDC.put(QUERY_ID, record.id());
        LOG.info("query {} submitted to {} by {}", record.id(), engine.name(), caller.identity());
        runner.dispatch(record);
        return record;
    }

    /** Stores a query the local result cache answered (SUCCEEDED, its result already copied); nothing runs. */
    private QueryRecord storeCacheHit(Engine engine, QueryRecord hit) {
        try {
            store.insert(hit);
        } catch (RuntimeException e) {
            cache.abandon(hit);
            if (e instanceof RequestIdInUseException clash) {
                throw new ApiException(MessageCode.REQUEST_ID_IN_USE, Map.of("request_id", clash.requestId()));
            }
            throw e;
        }
        cache.stored(engine, hit);
        MDC.put(QUERY_ID, hit.id());
        CachedFrom source = hit.statistics().cachedFrom();
        LOG.info("query {} for {} answered from the cached result of query {} run {}", hit.id(), engine.name(),
                source.queryId(), source.run());
        return hit;
    }

    /**
     * The engine a query text would run on (null: the default), after the checks every query text
     * passes: not blank (QUERY_EMPTY), within the size limit (QUERY_TOO_LONG), a known engine
     * (UNKNOWN_ENGINE). Used by submit and by the linter's route.
     */
    public Engine checkedEngine(String sql, String engineName) {
        if (sql == null || sql.isBlank()) {
            throw new ApiException(MessageCode.QUERY_EMPTY);
        }
        int bytes = sql.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxQueryBytes()) {
            throw new ApiException(MessageCode.QUERY_TOO_LONG, Map.of("bytes", bytes, "maxBytes", limits.maxQueryBytes()));
        }
        String name = engineName == null ? engines.defaultName() : engineName;
        return engines.find(name).orElseThrow(() -> new ApiException(MessageCode.UNKNOWN_ENGINE,
                Map.of("engine", name, "engines", engines.names())));
    }

    /**
     * The query's own scan cap in bytes from {@code maxScanGb} (GB of 2^30 bytes), or null without
     * one. It must be above 0 and at most the engine's cap; an engine that does not measure scans
     * takes none.
     */
    private static Long scanCap(Engine engine, Double maxScanGb) {
        if (maxScanGb == null) {
            return null;
        }
        long engineMax = engine instanceof io.sluice.engine.RemoteEngine remote ? remote.maxScannedBytes() : -1;
        Double engineMaxGb = engineMax < 0 ? null : engineMax / BYTES_PER_GB;
        if (engineMax < 0 || !(maxScanGb > 0) || maxScanGb > engineMaxGb) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("maxScanGb", maxScanGb);
            params.put("engineMaxGb", engineMaxGb);
            params.put("engine", engine.name());
            throw new ApiException(MessageCode.INVALID_MAX_SCAN, params);
        }
        return Math.max(1L, (long) Math.floor(maxScanGb * BYTES_PER_GB));
    }

    /**
     * Refuses a new run when the caller already has {@code maxQueuedPerUser} queries waiting, so one
     * user cannot fill the queue for everyone. Checked before the insert, so it is a soft limit:
     * concurrent submits of one user may pass it by a few.
     */
    private void requireQueueRoom(Caller caller) {
        if (limits.maxQueuedPerUser() == Integer.MAX_VALUE) {
            return;
        }
        int queued = store.count(caller.identity(), QueryState.QUEUED, limits.maxQueuedPerUser());
        if (queued >= limits.maxQueuedPerUser()) {
            throw new ApiException(MessageCode.TOO_MANY_QUERIES,
                    Map.of("queued", queued, "maxQueuedPerUser", limits.maxQueuedPerUser()));
        }
    }

    /** The caller's query, or 404 for a missing, malformed or someone else's id. */
    public QueryRecord get(Caller caller, String id) {
        if (!QueryIds.isWellFormed(id)) {
            throw notFound();
        }
        QueryRecord record = store.find(id).filter(r -> r.owner().equals(caller.identity()))
                .orElseThrow(QueryService::notFound);
        // The rest of this request's log lines are about this query (HttpApp clears it per request).
        MDC.put(QUERY_ID, id);
        return record;
    }

    public CancelOutcome cancel(Caller caller, String id) {
        QueryRecord current = get(caller, id);
        Instant now = clock.instant();
        QueryTransitions.Outcome outcome = transitions.fire(current, RunEvent.CANCEL,
                        r -> runner.stopping(r.withEnd(now, QueryRunner.times(r, now), null)))
                .orElseThrow(QueryService::notFound);
        if (outcome.changed()) {
            LOG.info("query {} run {} cancelled by {}", id, outcome.record().run(), caller.identity());
            runner.stop(outcome.record());
            runner.deleteFirstPart(id, outcome.record().run()); // the instance storing the result removes it again when it stops
            return CancelOutcome.CANCELLED;
        }
        if (outcome.record().state() == QueryState.CANCELLED) {
            return CancelOutcome.ALREADY_CANCELLED;
        }
        throw new ApiException(MessageCode.QUERY_ALREADY_FINISHED, Map.of("state", outcome.record().state().name()));
    }

    /**
     * Starts a new run of a finished query, queued on this instance. The earlier run keeps its
     * record (state, times, statistics, cost, error; a pending engine stop is still delivered) but
     * its stored result is dropped.
     */
    public QueryRecord refresh(Caller caller, String id) {
        QueryRecord current = get(caller, id);
        requireQueueRoom(caller);
        Instant now = clock.instant();
        QueryTransitions.Outcome outcome;
        try {
            outcome = transitions.fire(current, RunEvent.REFRESH, r -> r.nextRun(now, transitions.instanceId()))
                    .orElseThrow(QueryService::notFound);
        } catch (RequestIdInUseException e) {
            throw new ApiException(MessageCode.REQUEST_ID_IN_USE, Map.of("request_id", e.requestId()));
        }
        if (!outcome.changed()) {
            throw new ApiException(MessageCode.QUERY_NOT_FINISHED, Map.of("state", outcome.record().state().name()));
        }
        QueryRecord next = outcome.record();
        try {
            results.delete(id, next.run() - 1);
        } catch (IOException e) {
            LOG.warn("could not delete the result of run {} of query {}", next.run() - 1, id, e);
        }
        LOG.info("query {} refreshed: run {}", id, next.run());
        runner.dispatch(next);
        return next;
    }

    /** One page of a succeeded query's result. */
    public ResultPageView results(Caller caller, String id, PageRequest request) {
        checkPageSize(request.limit());
        return results(get(caller, id), request);
    }

    /** Refuses a page size outside 1..max (null means the default) with INVALID_LIMIT. */
    public void checkPageSize(Integer requested) {
        limit(requested, limits.defaultPageSize(), limits.maxPageSize());
    }

    /**
     * The stored result of the caller's finished query {@code id}, to be read whole (saved as a
     * table): not found for another user's query, refused while it runs, if it failed, or when
     * retention removed the result.
     */
    public ResultReader storedResult(Caller caller, String id) {
        QueryRecord record = get(caller, id);
        requireSucceeded(record);
        requireResultKept(record);
        return openResult(record);
    }

    /** One page of the result of a record the caller already holds (and owns), as the request's view shows it. */
    public ResultPageView results(QueryRecord record, PageRequest request) {
        int limit = limit(request.limit(), limits.defaultPageSize(), limits.maxPageSize());
        if (record.status() == RunStatus.STORING_RESULT) {
            Optional<ResultPageView> partial = firstParts.page(record, request, limit);
            if (partial.isPresent()) {
                return partial.get();
            }
            record = store.find(record.id()).orElseThrow(QueryService::notFound); // ended meanwhile, or no first part yet
        }
        requireSucceeded(record);
        String id = record.id();
        ResultReader reader = openResult(record);
        ResultView view = view(request, reader);
        String fingerprint = view.plain() ? "" : view.fingerprint();
        long offset = offset(request, record, fingerprint);
        if (view.plain() && offset > reader.summary().rows()) {
            throw new ApiException(MessageCode.INVALID_PARAMETER,
                    Map.of("parameter", "offset", "totalRows", reader.summary().rows()));
        }
        ResultPage page;
        try {
            page = reader.page(view, offset, limit);
        } catch (ResultView.InvalidView e) {
            throw invalidView(e);
        } catch (ResultOperationUnsupported e) { // an Athena result whose conversion to Parquet failed
            throw new ApiException(MessageCode.RESULT_NOT_COLUMNAR);
        } catch (ResultConverting e) {
            throw stillConverting(e);
        } catch (IllegalArgumentException e) {
            throw new ApiException(MessageCode.INVALID_PARAMETER, Map.of("parameter", "offset", "reason", e.getMessage()));
        } catch (IOException e) {
            throw resultGone(id, e);
        }
        String next = page.nextOffset() < 0 ? null
                : new ResultCursor(record.run(), page.nextOffset(), fingerprint).encode();
        return new ResultPageView(record, page, next);
    }

    /**
     * A chart's numbers from a succeeded query's stored result, with the checks of {@link #results}.
     *
     * @param groupBy  the columns to group by (comma-separated), or null
     * @param measures the measures (comma-separated), or null for a count
     * @param filters  the filters, as for pages
     * @param limit    groups at most, or null for {@link Aggregation#MAX_GROUPS}
     */
    public Aggregation.Result aggregate(Caller caller, String id, String groupBy, String measures, List<String> filters,
                                        Integer limit) {
        QueryRecord record = get(caller, id);
        requireSucceeded(record);
        ResultReader reader = openResult(record);
        try {
            return reader.aggregate(Aggregation.parse(groupBy, measures, filters, limit, reader.summary().columns()));
        } catch (ResultView.InvalidView e) {
            throw invalidView(e);
        } catch (ResultOperationUnsupported e) {
            throw new ApiException(MessageCode.RESULT_NOT_COLUMNAR);
        } catch (ResultConverting e) {
            throw stillConverting(e);
        } catch (IOException e) {
            throw resultGone(id, e);
        }
    }

    /** A large Athena result still being converted to Parquet: ask again shortly. */
    private static ApiException stillConverting(ResultConverting e) {
        return new ApiException(MessageCode.RESULT_CONVERTING, Map.of("retryAfterSeconds", 5,
                "waitedSeconds", e.waited().toSeconds()));
    }

    /** The view a page request asks for, checked against the result's columns. */
    static ResultView view(PageRequest request, ResultReader reader) {
        try {
            ResultView view = ResultView.parse(request.sort(), request.filters(), reader.summary().columns());
            if (!view.plain() && !reader.columnar()) {
                throw new ApiException(MessageCode.RESULT_NOT_COLUMNAR);
            }
            return view;
        } catch (ResultView.InvalidView e) {
            throw invalidView(e);
        }
    }

    private static ApiException invalidView(ResultView.InvalidView e) {
        return new ApiException(MessageCode.INVALID_PARAMETER, Map.of("parameter", e.parameter(), "reason", e.getMessage()));
    }

    /**
     * Streams one whole value of a succeeded query's result, with the checks of {@link #results}:
     * 404 for another user's query, 409/410/422 for one that did not succeed, and
     * INVALID_PARAMETER for a row or column outside the result.
     *
     * @param row    the row's number in the whole result (0 = first)
     * @param column the column's index
     */
    public ValueKind value(Caller caller, String id, long row, int column, ResultReader.ValueOutput output) {
        QueryRecord record = get(caller, id);
        requireSucceeded(record);
        ResultReader reader = openResult(record);
        ResultSummary summary = reader.summary();
        if (row < 0 || row >= summary.rows()) {
            throw new ApiException(MessageCode.INVALID_PARAMETER,
                    Map.of("parameter", "row", "value", row, "totalRows", summary.rows()));
        }
        if (column < 0 || column >= summary.columns().size()) {
            throw new ApiException(MessageCode.INVALID_PARAMETER,
                    Map.of("parameter", "column", "value", column, "columns", summary.columns().size()));
        }
        try {
            return reader.writeValue(row, column, output);
        } catch (IOException e) {
            throw resultGone(id, e);
        }
    }

    /** A result that could not be read: vanished under us when a refresh started a new run. Answers for the new state. */
    private RuntimeException resultGone(String id, IOException e) {
        QueryRecord now = store.find(id).orElseThrow(QueryService::notFound);
        requireSucceeded(now);
        return new UncheckedIOException(e);
    }

    /**
     * How far the result of a run in STORING_RESULT is: {@code {rowsStored, firstPartReady}}; empty
     * for a run in another phase.
     */
    public Optional<Map<String, Object>> resultProgress(QueryRecord record) {
        return firstParts.progress(record);
    }

    /**
     * A page of results with the record it belongs to and the next page's cursor; {@code partial}:
     * read from the first part of a result still being stored.
     */
    public record ResultPageView(QueryRecord record, ResultPage page, String nextCursor, boolean partial) {
        public ResultPageView(QueryRecord record, ResultPage page, String nextCursor) {
            this(record, page, nextCursor, false);
        }
    }

    /**
     * The published result of a succeeded query; RESULT_NOT_AVAILABLE when it is gone (with the
     * retention details when retention removed it: see {@link #resultNotAvailable}).
     */
    public ResultReader openResult(QueryRecord record) {
        try {
            return results.open(record.id(), record.run())
                    .orElseThrow(() -> resultNotAvailable(record.id(), record.run()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The answer for a run whose stored result is missing: 404 RESULT_NOT_AVAILABLE, which says so
     * when retention removed it (after how many days, and that a refresh brings it back).
     */
    public ApiException resultNotAvailable(String id, int run) {
        return removedResults.notAvailable(id, run);
    }

    /** Refuses, with the answer of {@link #resultNotAvailable}, a run whose stored result retention removed. */
    public void requireResultKept(QueryRecord record) {
        removedResults.requireKept(record.id(), record.run());
    }

    public HistoryPage history(Caller caller, HistoryRequest request) {
        int limit = limit(request.limit(), Math.min(50, limits.maxHistoryPageSize()), limits.maxHistoryPageSize());
        Set<QueryState> states = states(request.states());
        String engine = request.engine() == null || request.engine().isBlank() ? null : request.engine();
        if (engine != null && engines.find(engine).isEmpty()) {
            throw new ApiException(MessageCode.UNKNOWN_ENGINE, Map.of("engine", engine, "engines", engines.names()));
        }
        HistoryQuery.Position after = null;
        if (request.cursor() != null && !request.cursor().isBlank()) {
            after = HistoryCursor.decode(request.cursor())
                    .orElseThrow(() -> new ApiException(MessageCode.INVALID_CURSOR));
        }
        String text = request.text() == null || request.text().isBlank() ? null : request.text();
        if (text != null && text.length() > 1000) {
            throw new ApiException(MessageCode.INVALID_PARAMETER, Map.of("parameter", "q", "maxLength", 1000));
        }
        List<QueryRecord> rows = store.history(new HistoryQuery(caller.identity(), states, engine, text, after, limit));
        if (rows.size() <= limit) {
            return new HistoryPage(rows, null);
        }
        List<QueryRecord> page = rows.subList(0, limit);
        QueryRecord last = page.get(page.size() - 1);
        return new HistoryPage(List.copyOf(page),
                HistoryCursor.encode(new HistoryQuery.Position(last.createdAt(), last.id())));
    }

    /**
     * One page of a query's runs, newest first: the latest run, then the earlier ones.
     *
     * @param cursor the run number to continue below (from the previous page), or null for the first page
     */
    public RunsPage runs(Caller caller, String id, String cursor, Integer limit) {
        QueryRecord latest = get(caller, id);
        int size = limit(limit, Math.min(20, limits.maxHistoryPageSize()), limits.maxHistoryPageSize());
        int below = latest.run() + 1;
        if (cursor != null && !cursor.isBlank()) {
            below = RunsCursor.decode(cursor).filter(c -> c > 1 && c <= latest.run())
                    .orElseThrow(() -> new ApiException(MessageCode.INVALID_CURSOR));
        }
        List<QueryRecord> runs = new java.util.ArrayList<>();
        if (below > latest.run()) {
            runs.add(latest);
        }
        if (runs.size() < size) {
            runs.addAll(store.runs(id, Math.min(below, latest.run()), size - runs.size()));
        }
        QueryRecord last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        String next = last == null || last.run() <= 1 ? null : RunsCursor.encode(last.run());
        return new RunsPage(List.copyOf(runs), next);
    }

    /** A page of runs and the cursor of the next one (null at the first run). */
    public record RunsPage(List<QueryRecord> runs, String nextCursor) {
    }

    /** The newest query of the caller with this synchronous request id. */
    public Optional<QueryRecord> findByRequestId(Caller caller, String requestId) {
        return store.findByRequestId(caller.identity(), requestId);
    }

    private static void requireSucceeded(QueryRecord record) {
        switch (record.state()) {
            case SUCCEEDED -> {
            }
            case QUEUED, RUNNING -> throw new ApiException(MessageCode.QUERY_NOT_FINISHED,
                    Map.of("state", record.state().name()));
            case CANCELLED -> throw new ApiException(MessageCode.QUERY_CANCELLED, errorDetails(record));
            case TIMED_OUT -> throw new ApiException(MessageCode.QUERY_TIMED_OUT, errorDetails(record));
            case FAILED -> throw new ApiException(MessageCode.QUERY_FAILED, errorDetails(record));
        }
    }

    private static Map<String, Object> errorDetails(QueryRecord record) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", record.state().name());
        if (record.error() != null) {
            details.put("errorCode", record.error().code());
            details.put("errorMessage", record.error().message());
            details.put("errorSource", record.error().source());
            details.putAll(record.error().publicDetails());
        }
        return details;
    }

    static long offset(PageRequest request, QueryRecord record, String view) {
        if (request.cursor() != null && request.offset() != null) {
            throw new ApiException(MessageCode.INVALID_PARAMETER,
                    Map.of("reason", "give either cursor or offset, not both"));
        }
        if (request.offset() != null) {
            if (request.offset() < 0) {
                throw new ApiException(MessageCode.INVALID_PARAMETER, Map.of("parameter", "offset"));
            }
            return request.offset();
        }
        if (request.cursor() == null || request.cursor().isEmpty()) {
            return 0;
        }
        ResultCursor cursor = ResultCursor.decode(request.cursor())
                .filter(c -> c.run() == record.run() && c.view().equals(view))
                .orElseThrow(() -> new ApiException(MessageCode.INVALID_CURSOR));
        return cursor.offset();
    }

    private static int limit(Integer requested, int fallback, int max) {
        if (requested == null) {
            return fallback;
        }
        if (requested < 1 || requested > max) {
            throw new ApiException(MessageCode.INVALID_LIMIT, Map.of("limit", requested, "min", 1, "max", max));
        }
        return requested;
    }

    private static Set<QueryState> states(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        Set<QueryState> states = EnumSet.noneOf(QueryState.class);
        for (String part : text.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            try {
                states.add(QueryState.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new ApiException(MessageCode.INVALID_STATE, Map.of("state", part.trim(),
                        "states", List.of(QueryState.values())));
            }
        }
        return states;
    }

    private static ApiException notFound() {
        return new ApiException(MessageCode.QUERY_NOT_FOUND);
    }
}
