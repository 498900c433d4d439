package io.sluice.query;

import io.sluice.store.QueryStore;

import java.util.Optional;
import java.util.function.Function;

/**
 * Applies a change to a stored query as a compare-and-set, retrying on conflict with the freshly
 * stored record. The change function sees the current record and either returns the next one or
 * declines (empty), e.g. because the run it was meant for has ended or been replaced.
 */
public final class QueryTransitions {

    private static final int MAX_ATTEMPTS = 1_000;

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
