package io.sluice.query;

import io.sluice.api.Responder;

import com.fasterxml.jackson.databind.util.RawValue;
import io.sluice.result.ResultPage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a query looks in API answers: status, history items. */
public final class QueryViews {

    /** History shows the first part of long SQL; the status route has all of it. */
    static final int HISTORY_TEXT_CHARS = 2_000;
    private static final double BYTES_PER_GB = 1024d * 1024 * 1024;

    private final Clock clock;

    public QueryViews(Clock clock) {
        this.clock = clock;
    }

    public Map<String, Object> submitted(QueryRecord r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", r.id());
        view.put("state", r.state().name());
        view.put("engine", r.engine());
        view.put("run", r.run());
        return view;
    }

    public Map<String, Object> status(QueryRecord r) {
        Map<String, Object> view = common(r);
        view.put("query", r.queryText());
        return view;
    }

    public Map<String, Object> historyItem(QueryRecord r) {
        Map<String, Object> view = common(r);
        boolean cut = r.queryText().length() > HISTORY_TEXT_CHARS;
        view.put("query", cut ? r.queryText().substring(0, HISTORY_TEXT_CHARS) : r.queryText());
        view.put("queryTruncated", cut);
        return view;
    }

    private Map<String, Object> common(QueryRecord r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", r.id());
        view.put("state", r.state().name());
        view.put("engine", r.engine());
        view.put("catalog", r.catalog());
        view.put("database", r.database());
        view.put("run", r.run());
        view.put("requestId", r.requestId());
        view.put("createdAt", Responder.format(r.createdAt()));
        view.put("submittedAt", Responder.format(r.submittedAt()));
        view.put("startedAt", Responder.format(r.startedAt()));
        view.put("completedAt", Responder.format(r.completedAt()));
        view.put("statistics", statistics(r));
        view.put("error", r.error() == null ? null : Map.of(
                "code", r.error().code(), "message", r.error().message(), "details", r.error().details()));
        return view;
    }

    /** A result page; rows are embedded as stored JSON text, not re-parsed. */
    public Map<String, Object> resultPage(QueryService.ResultPageView view) {
        ResultPage page = view.page();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", view.record().id());
        data.put("completedAt", Responder.format(view.record().completedAt()));
        data.put("columns", page.columns());
        data.put("rows", new RawValue("[" + String.join(",", page.rowsJson()) + "]"));
        data.put("offset", page.offset());
        data.put("totalRows", page.totalRows());
        data.put("nextCursor", view.nextCursor());
        return data;
    }

    /** Statistics in the units of seed 000 §6; a running query shows its time so far. */
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
        return view;
    }

    private static BigDecimal seconds(Long millis) {
        return millis == null ? null : twoDecimals(Math.max(0, millis) / 1000d);
    }

    private static BigDecimal twoDecimals(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP);
    }
}
