package io.sluice.query;

import io.sluice.store.QueryStore;
import io.sluice.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Applies a change to a stored query as a compare-and-set, retrying on conflict with the freshly
 * stored record. The change function sees the current record and either returns the next one or
 * declines (empty), e.g. because the run it was meant for has ended or been replaced.
 */
public final class QueryTransitions {

    private static final Logger LOG = LoggerFactory.getLogger(QueryTransitions.class);
    private static final int MAX_ATTEMPTS = 1_000;
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(2);

    private final QueryStore store;
    private final QueryEvents events;

    public QueryTransitions(QueryStore store, QueryEvents events) {
        this.store = store;
        this.events = events;
    }

    /** The record as stored now. */
    public Optional<QueryRecord> current(String id) {
        return store.find(id);
    }

    /** The outcome: the record as now stored, and whether this change is what got stored. */
    public record Outcome(QueryRecord record, boolean changed) {
    }

    /**
     * Applies {@code change} to query {@code id} until it wins or declines.
     *
     * @return empty if the query does not exist
     */
    public Optional<Outcome> apply(String id, Function<QueryRecord, Optional<QueryRecord>> change) {
        return apply(id, store.find(id), change);
    }

    /**
     * As {@link #apply(String, Function)}, starting from a record the caller already read: the
     * compare-and-set tries it first and reads the store again only if something changed since.
     */
    public Optional<Outcome> apply(QueryRecord known, Function<QueryRecord, Optional<QueryRecord>> change) {
        return apply(known.id(), Optional.of(known), change);
    }

    /**
     * As {@link #apply(String, Function)}, for the writers no client waits on (workers, the poller,
     * recovery): while the store is unavailable it waits and tries again, with growing pauses,
     * until the change is stored or declined, so that a run ends in its true state as soon as the
     * store is back. Each attempt reads the store afresh, so a change whose first attempt was in
     * fact committed before the failure is then declined, never applied twice: callers judge the
     * outcome by the stored record, not by {@link Outcome#changed()} alone.
     *
     * @throws StoreUnavailableException only if the thread is interrupted (the service stops)
     */
    public Optional<Outcome> applyDurably(String id, Function<QueryRecord, Optional<QueryRecord>> change) {
        Duration pause = FIRST_RETRY;
        for (int attempt = 1; ; attempt++) {
            try {
                Optional<Outcome> outcome = apply(id, change);
                if (attempt > 1) {
                    LOG.info("query {}: change stored after {} attempts, the store is back", id, attempt);
                }
                return outcome;
            } catch (StoreUnavailableException e) {
                if (attempt == 1) {
                    LOG.warn("query {}: the store is unavailable; the change waits for it ({})", id, e.getMessage());
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = pause.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : pause.multipliedBy(2);
            }
        }
    }

    private Optional<Outcome> apply(String id, Optional<QueryRecord> start,
                                    Function<QueryRecord, Optional<QueryRecord>> change) {
        Optional<QueryRecord> current = start;
        for (int attempt = 0; attempt < MAX_ATTEMPTS && current.isPresent(); attempt++) {
            QueryRecord before = current.get();
            Optional<QueryRecord> next = change.apply(before);
            if (next.isEmpty()) {
                return Optional.of(new Outcome(before, false));
            }
            Optional<QueryRecord> stored = store.update(before, next.get());
            if (stored.isPresent()) {
                if (stored.get().state().isTerminal() && !before.state().isTerminal()) {
                    events.ended(stored.get());
                }
                return Optional.of(new Outcome(stored.get(), true));
            }
            current = store.find(id);
        }
        if (current.isEmpty()) {
            return Optional.empty();
        }
        throw new IllegalStateException("query " + id + " kept changing; gave up after " + MAX_ATTEMPTS + " attempts");
    }
}
