package io.sluice.query;

import io.sluice.store.QueryStore;
import io.sluice.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Changes stored runs, each change an event of the {@link Lifecycle}: the table decides whether the
 * event may happen to the run as stored now and which status it leads to; the caller's effect adds
 * the event's data (times, statistics, engine id, error, owner); the store compare-and-sets it,
 * and on a conflict the event is tried again on the freshly stored run. An event the table does not
 * allow any more (the run ended, was replaced by a refresh, or changed owner) is declined and
 * nothing is written.
 */
public final class QueryTransitions {

    private static final Logger LOG = LoggerFactory.getLogger(QueryTransitions.class);
    private static final int MAX_ATTEMPTS = 1_000;
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(2);

    private final QueryStore store;
    private final QueryEvents events;
    private final Lifecycle.Actor actor;

    /** @param actor this instance, with its view of which instances are dead */
    public QueryTransitions(QueryStore store, QueryEvents events, Lifecycle.Actor actor) {
        this.store = store;
        this.events = events;
        this.actor = actor;
    }

    /** This instance's id: the owner it writes into the runs it takes. */
    public String instanceId() {
        return actor.instanceId();
    }

    /** The record as stored now (the query's latest run). */
    public Optional<QueryRecord> current(String id) {
        return store.find(id);
    }

    /** The queries with these ids as stored now (their latest runs); missing ones are left out. */
    public java.util.List<QueryRecord> currentAll(java.util.Collection<String> ids) {
        return store.findAll(ids);
    }

    /** The outcome: the run as now stored, and whether this event is what got stored. */
    public record Outcome(QueryRecord record, boolean changed) {
    }

    /**
     * Fires {@code event} on run {@code run} of query {@code id} until it is stored or declined.
     *
     * @param effect the event's data, applied to the run as stored; it must not change the status
     * @return empty if the query does not exist
     */
    public Optional<Outcome> fire(String id, int run, RunEvent event, UnaryOperator<QueryRecord> effect) {
        return fire(id, run, store.find(id), event, effect);
    }

    /**
     * As {@link #fire(String, int, RunEvent, UnaryOperator)} on the run of a record the caller
     * already read: the compare-and-set tries it first and reads the store again only if something
     * changed since.
     */
    public Optional<Outcome> fire(QueryRecord known, RunEvent event, UnaryOperator<QueryRecord> effect) {
        return fire(known.id(), known.run(), Optional.of(known), event, effect);
    }

    /**
     * As {@link #fire(String, int, RunEvent, UnaryOperator)}, for the writers no client waits on
     * (workers, the poller, recovery): while the store is unavailable it waits and tries again, with
     * growing pauses, until the event is stored or declined, so that a run ends in its true state as
     * soon as the store is back. Each attempt reads the store afresh, so an event whose first attempt
     * was in fact committed before the failure is then declined, never applied twice: callers judge
     * the outcome by the stored record, not by {@link Outcome#changed()} alone.
     *
     * @throws StoreUnavailableException only if the thread is interrupted (the service stops)
     */
    public Optional<Outcome> fireDurably(String id, int run, RunEvent event, UnaryOperator<QueryRecord> effect) {
        Duration pause = FIRST_RETRY;
        for (int attempt = 1; ; attempt++) {
            try {
                Optional<Outcome> outcome = fire(id, run, event, effect);
                if (attempt > 1) {
                    LOG.info("query {}: {} stored after {} attempts, the store is back", id, event, attempt);
                }
                return outcome;
            } catch (StoreUnavailableException e) {
                if (attempt == 1) {
                    LOG.warn("query {}: the store is unavailable; {} waits for it ({})", id, event, e.getMessage());
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

    private Optional<Outcome> fire(String id, int run, Optional<QueryRecord> start, RunEvent event,
                                   UnaryOperator<QueryRecord> effect) {
        Optional<QueryRecord> current = start;
        for (int attempt = 0; attempt < MAX_ATTEMPTS && current.isPresent(); attempt++) {
            QueryRecord before = current.get();
            if (before.run() != run) {
                return before.run() > run ? fireOnEarlierRun(id, run, event, effect)
                        : Optional.of(new Outcome(before, false));
            }
            Optional<RunStatus> to = Lifecycle.next(before, event, actor);
            if (to.isEmpty()) {
                return Optional.of(new Outcome(before, false));
            }
            QueryRecord next = effect.apply(before).withStatus(to.get());
            Optional<QueryRecord> stored = store.update(before, next);
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

    /**
     * An event for a run that a refresh has since replaced: only an ended run's pending stop is
     * still handled there (settled, its engine id learned, adopted), on the run's own record.
     */
    private Optional<Outcome> fireOnEarlierRun(String id, int run, RunEvent event, UnaryOperator<QueryRecord> effect) {
        Optional<QueryRecord> current = store.findRun(id, run);
        for (int attempt = 0; attempt < MAX_ATTEMPTS && current.isPresent(); attempt++) {
            QueryRecord before = current.get();
            Optional<RunStatus> to = Lifecycle.next(before, event, actor);
            if (to.isEmpty() || event == RunEvent.REFRESH) {
                return Optional.of(new Outcome(before, false));
            }
            Optional<QueryRecord> stored = store.updateRun(before, effect.apply(before).withStatus(to.get()));
            if (stored.isPresent()) {
                return Optional.of(new Outcome(stored.get(), true));
            }
            current = store.findRun(id, run);
        }
        if (current.isEmpty()) {
            return Optional.empty();
        }
        throw new IllegalStateException("run " + run + " of query " + id + " kept changing; gave up after "
                + MAX_ATTEMPTS + " attempts");
    }
}
