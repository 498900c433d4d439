package io.sluice.retention;

import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.api.Responder;
import io.sluice.store.RetentionStore;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answer for a run whose stored result is gone: 404 {@code RESULT_NOT_AVAILABLE}, and when
 * retention removed the result, a text and details that say so ({@code reason: "RETENTION"},
 * {@code retentionDays}, {@code removedAt}) and that a refresh brings the result back.
 */
public final class RemovedResults {

    private final RetentionStore store;
    private final int resultDays;

    /** @param resultDays {@code retention.resultDays}, named in the answer */
    public RemovedResults(RetentionStore store, int resultDays) {
        this.store = store;
        this.resultDays = resultDays;
    }

    /** Without a retention store: every missing result is answered plainly. */
    public static RemovedResults untracked() {
        return new RemovedResults(null, 0);
    }

    /** When retention removed this run's stored result, if it did. */
    public Optional<Instant> removedAt(String queryId, int run) {
        return store == null ? Optional.empty() : store.resultRemovedAt(queryId, run);
    }

    /** {@code RESULT_NOT_AVAILABLE} for this run: with the retention details when retention removed its result. */
    public ApiException notAvailable(String queryId, int run) {
        return removedAt(queryId, run).map(this::removed).orElseGet(() -> new ApiException(MessageCode.RESULT_NOT_AVAILABLE));
    }

    /** Refuses a run whose stored result retention removed, with the answer of {@link #notAvailable}. */
    public void requireKept(String queryId, int run) {
        Optional<Instant> removed = removedAt(queryId, run);
        if (removed.isPresent()) {
            throw removed(removed.get());
        }
    }

    private ApiException removed(Instant at) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "RETENTION");
        details.put("retentionDays", resultDays);
        details.put("removedAt", Responder.format(at));
        return ApiException.withMessage(MessageCode.RESULT_NOT_AVAILABLE, "RESULT_REMOVED", details, resultDays);
    }
}
