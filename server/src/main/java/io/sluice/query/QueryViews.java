package io.sluice.query;

import com.fasterxml.jackson.databind.util.RawValue;
import io.sluice.api.Messages;
import io.sluice.api.Responder;
import io.sluice.result.ResultPage;
import io.sluice.result.ResultTruncation;
import io.sluice.result.TruncatedCell;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a query looks in API answers: status, history items. A query's {@code error} tells its
 * {@code source}: an engine's message is passed on verbatim, one Sluice wrote itself is rendered
 * from the catalog in the caller's language (keyed by its message code), with its details as
 * parameters.
 */
public final class QueryViews {

    /** History shows the first part of long SQL; the status route has all of it. */
    static final int HISTORY_TEXT_CHARS = 2_000;
    private static final double BYTES_PER_GB = 1024d * 1024 * 1024;
    /** Catalog key prefix of Sluice's own error texts that take parameters from the details. */
    static final String ERROR_TEXT_PREFIX = "error.";
    /** The details each parametrised error text takes, in the order of its {0}, {1}… */
    private static final Map<String, List<String>> ERROR_TEXT_PARAMETERS = Map.of(
            "QUERY_TIMED_OUT", List.of("maxRuntimeSeconds"),
            "SCAN_LIMIT_EXCEEDED", List.of("scannedBytes", "maxScannedBytes"),
            "ENGINE_UNAVAILABLE", List.of("engineQueryId"),
            "STATEMENT_NOT_ALLOWED", List.of("statement", "kind"),
            "WRITE_QUOTA_EXCEEDED", List.of("directory", "quotaBytes"));

    private final Clock clock;
    private final Messages messages;

    public QueryViews(Clock clock, Messages messages) {
        this.clock = clock;
        this.messages = messages;
    }

    public Map<String, Object> submitted(QueryRecord r) {
        return submitted(r, messages.resolve(null));
    }

    /** The answer to a submit or refresh, its warnings in {@code locale}. */
    public Map<String, Object> submitted(QueryRecord r, Locale locale) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", r.id());
        view.put("state", r.state().name());
        view.put("engine", r.engine());
        view.put("run", r.run());
        view.put("warnings", warnings(r, locale));
        view.put("cached", cached(r));
        return view;
    }

    /**
     * The query's warnings as {@code {code, message, params}}: the message is the catalog's
     * {@code warning.<code>} text, whose {0}, {1}… are the params in their order (numbers as plain text).
     */
    public List<Map<String, Object>> warnings(QueryRecord r, Locale locale) {
        return warnings(r.warnings(), locale);
    }

    /** Warnings as {@code {code, message, params}}, the message in {@code locale} (see above). */
    public List<Map<String, Object>> warnings(List<Warning> warnings, Locale locale) {
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        for (Warning w : warnings) {
            Object[] args = w.params().values().stream().map(QueryViews::plain).toArray();
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("code", w.code());
            item.put("message", messages.text(locale, "warning." + w.code(), args));
            item.put("params", w.params());
            items.add(item);
        }
        return items;
    }

    private static Object plain(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(((Number) value).doubleValue()).stripTrailingZeros().toPlainString();
        }
        if (value instanceof java.util.Collection<?> c) {
            return String.join(", ", c.stream().map(String::valueOf).toList());
        }
        return value == null ? "" : value;
    }

    /** Whether the run was answered from the local result cache (no engine call, cost 0). */
    private static boolean cached(QueryRecord r) {
        return r.statistics().cachedFrom() != null;
    }

    /** The status in the server's default language. */
    public Map<String, Object> status(QueryRecord r) {
        return status(r, messages.resolve(null));
    }

    public Map<String, Object> status(QueryRecord r, Locale locale) {
        Map<String, Object> view = common(r, locale);
        view.put("query", r.queryText());
        view.put("maxScanBytes", r.maxScanBytes());
        view.put("warnings", warnings(r, locale));
        return view;
    }

    public Map<String, Object> historyItem(QueryRecord r, Locale locale) {
        Map<String, Object> view = common(r, locale);
        // Runs are numbered from 1 and never removed while the query exists: the latest run's number is their count.
        view.put("runs", r.run());
        boolean cut = r.queryText().length() > HISTORY_TEXT_CHARS;
        view.put("query", cut ? r.queryText().substring(0, HISTORY_TEXT_CHARS) : r.queryText());
        view.put("queryTruncated", cut);
        return view;
    }

    /** One run of a query, as the run list shows it: the run's own fields, without the query text. */
    public Map<String, Object> run(QueryRecord r, Locale locale) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("run", r.run());
        view.put("state", r.state().name());
        view.put("phase", phase(r));
        view.put("engineQueryId", r.engineQueryId());
        putRunOutcome(view, r, locale);
        return view;
    }

    private Map<String, Object> common(QueryRecord r, Locale locale) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", r.id());
        view.put("state", r.state().name());
        // Where an active run stands: WAITING, STARTING (both QUEUED), ENGINE_QUEUED, EXECUTING,
        // STORING_RESULT (RUNNING, the result being stored); null once it ended.
        view.put("phase", phase(r));
        view.put("engine", r.engine());
        view.put("catalog", r.catalog());
        view.put("database", r.database());
        view.put("run", r.run());
        view.put("requestId", r.requestId());
        // The engine's own id (Athena's QueryExecutionId): to find the query in the engine's console.
        view.put("engineQueryId", r.engineQueryId());
        view.put("createdAt", Responder.format(r.createdAt()));
        putRunOutcome(view, r, locale);
        return view;
    }

    /** What a run's status and the run list both show of it: its times, statistics, truncation and error. */
    private void putRunOutcome(Map<String, Object> view, QueryRecord r, Locale locale) {
        view.put("submittedAt", Responder.format(r.submittedAt()));
        view.put("startedAt", Responder.format(r.startedAt()));
        view.put("completedAt", Responder.format(r.completedAt()));
        view.put("statistics", statistics(r));
        view.put("cached", cached(r));
        putTruncation(view, r);
        view.put("error", r.error() == null ? null : error(r.error(), locale));
    }

    private static String phase(QueryRecord r) {
        return r.phase() == null ? null : r.phase().name();
    }

    /**
     * {@code truncated} and {@code truncation}: whether a result limit cut the stored result short,
     * and which ({@code {reason, limit}}, null when not).
     */
    private static void putTruncation(Map<String, Object> view, QueryRecord r) {
        ResultTruncation t = r.statistics().truncation();
        view.put("truncated", t != null);
        if (t == null) {
            view.put("truncation", null);
        } else {
            Map<String, Object> truncation = new LinkedHashMap<>();
            truncation.put("reason", t.reason().name());
            truncation.put("limit", t.limit());
            view.put("truncation", truncation);
        }
    }

    /** {code, message, details, source}: "engine" keeps the engine's text, "sluice" is rendered here. */
    Map<String, Object> error(QueryError error, Locale locale) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("code", error.code());
        view.put("message", error.fromSluice() ? sluiceText(error, locale) : error.message());
        view.put("details", error.publicDetails());
        view.put("source", error.source());
        return view;
    }

    /** The parametrised text when the details carry its parameters, else the code's own text. */
    private String sluiceText(QueryError error, Locale locale) {
        List<String> names = ERROR_TEXT_PARAMETERS.get(error.code());
        String key = ERROR_TEXT_PREFIX + error.code();
        if (names != null && messages.has(locale, key) && error.details().keySet().containsAll(names)) {
            return messages.text(locale, key, names.stream().map(error.details()::get).toArray());
        }
        return messages.has(locale, error.code()) ? messages.text(locale, error.code()) : error.message();
    }

    /**
     * A result page; rows are embedded as stored JSON text, not re-parsed. {@code truncatedCells}
     * lists the values the page shows cut ({@code row} within the page, {@code column}, the full
     * value's UTF-8 {@code bytes}); {@code truncated} tells whether the stored result itself was cut
     * short by a result limit.
     */
    /** A result's aggregate: its columns (group keys, then measures), the groups, and whether more groups were left out. */
    public Map<String, Object> aggregate(io.sluice.result.Aggregation.Result result) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("columns", result.columns());
        data.put("rows", result.rows());
        data.put("truncated", result.truncated());
        return data;
    }

    public Map<String, Object> resultPage(QueryService.ResultPageView view) {
        ResultPage page = view.page();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", view.record().id());
        data.put("completedAt", Responder.format(view.record().completedAt()));
        data.put("columns", page.columns());
        data.put("rows", new RawValue("[" + String.join(",", page.rowsJson()) + "]"));
        data.put("truncatedCells", page.truncatedCells().stream().map(QueryViews::truncatedCell).toList());
        data.put("offset", page.offset());
        data.put("totalRows", page.totalRows());
        data.put("nextCursor", view.nextCursor());
        if (view.partial()) {
            data.put("partial", true); // the first part of a result still being stored: more rows follow
        }
        putTruncation(data, view.record());
        return data;
    }

    private static Map<String, Object> truncatedCell(TruncatedCell cell) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("row", cell.row());
        view.put("column", cell.column());
        view.put("bytes", cell.bytes());
        return view;
    }

    /** Statistics in seconds and GB with two decimals; a running query shows its time so far. */
    Map<String, Object> statistics(QueryRecord r) {
        Statistics s = r.statistics();
        Long queue = s.queueMillis();
        Long execution = s.executionMillis();
        if (!r.state().isTerminal()) {
            Instant now = clock.instant();
            if (queue == null) {
                queue = Duration.between(r.submittedAt(), r.startedAt() == null ? now : r.startedAt()).toMillis();
            }
            if (execution == null && r.startedAt() != null && r.state() == QueryState.RUNNING) {
                execution = Duration.between(r.startedAt(), now).toMillis();
            }
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("queueSeconds", seconds(queue));
        view.put("executionSeconds", seconds(execution));
        view.put("rows", s.rows());
        view.put("resultBytes", s.resultBytes());
        view.put("dataScannedBytes", s.scannedBytes());
        view.put("dataScannedGb", s.scannedBytes() == null ? null : twoDecimals(s.scannedBytes() / BYTES_PER_GB));
        view.put("costUsd", s.costUsd() == null ? null : BigDecimal.valueOf(s.costUsd()).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros());
        view.put("resultReused", s.resultReused() != null && s.resultReused());
        // A local cache hit: the run whose stored result answered it, and the cost it did not pay again.
        CachedFrom from = s.cachedFrom();
        view.put("cachedFrom", from == null ? null : Map.of("queryId", from.queryId(), "run", from.run()));
        view.put("savedUsd", s.savedUsd() == null ? null
                : BigDecimal.valueOf(s.savedUsd()).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros());
        return view;
    }

    private static BigDecimal seconds(Long millis) {
        return millis == null ? null : twoDecimals(Math.max(0, millis) / 1000d);
    }

    private static BigDecimal twoDecimals(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP);
    }
}
