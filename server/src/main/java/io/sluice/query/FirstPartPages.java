package io.sluice.query;

import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.result.ResultPage;
import io.sluice.result.ResultReader;
import io.sluice.result.ResultStore;
import io.sluice.result.ResultView;
import io.sluice.result.firstpart.FirstParts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pages of a result still being stored (a run in STORING_RESULT), read from its first part
 * ({@link FirstParts}) as soon as one is published: rows within it are served marked partial, a
 * page past it, or sorted or filtered, is refused with RESULT_NOT_READY until the whole result is
 * stored.
 */
final class FirstPartPages {

    private final ResultStore results;

    FirstPartPages(ResultStore results) {
        this.results = results;
    }

    /** {@code {rowsStored, firstPartReady}} while the run's result is being stored. */
    Optional<Map<String, Object>> progress(QueryRecord record) {
        if (record.status() != RunStatus.STORING_RESULT) {
            return Optional.empty();
        }
        long rows = open(record).map(r -> r.summary().rows()).orElse(0L);
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("rowsStored", rows);
        progress.put("firstPartReady", rows > 0);
        return Optional.of(progress);
    }

    /**
     * A page of the first part of {@code record}'s result; empty when it has none (not yet, or the
     * run ended meanwhile and removed it: the caller answers from the record as it is now).
     */
    Optional<QueryService.ResultPageView> page(QueryRecord record, PageRequest request, int limit) {
        Optional<ResultReader> first = open(record);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        ResultReader reader = first.get();
        long stored = reader.summary().rows();
        ResultView view = QueryService.view(request, reader);
        if (!view.plain()) {
            throw notReady(stored, Map.of("reason", "sort and filter need the whole result"));
        }
        long offset = QueryService.offset(request, record, "");
        if (offset >= stored) {
            throw notReady(stored, Map.of("offset", offset));
        }
        ResultPage page;
        try {
            page = reader.page(view, offset, limit);
        } catch (IOException e) {
            return Optional.empty(); // removed under us: the run ended
        }
        // The next page continues past the first part: it is served once the whole result is stored.
        long next = page.offset() + page.rowsJson().size();
        return Optional.of(new QueryService.ResultPageView(record, page,
                new ResultCursor(record.run(), next, "").encode(), true));
    }

    private static ApiException notReady(long stored, Map<String, Object> more) {
        Map<String, Object> details = new LinkedHashMap<>(more);
        details.put("rowsStored", stored);
        return new ApiException(MessageCode.RESULT_NOT_READY, details);
    }

    private Optional<ResultReader> open(QueryRecord record) {
        try {
            return FirstParts.open(results, record.id(), record.run());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
