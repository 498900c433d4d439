package io.sluice.query;

import io.sluice.store.QueryStore;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a caller wait for a run to end (the synchronous API), and tells an {@link EndListener} of
 * every run this instance ends. Whoever ends a run here calls {@link #ended}; {@link #sweep}
 * re-reads the store for waits whose end happened elsewhere (another instance), so no waiter hangs.
 */
public final class QueryEvents {

    /**
     * Told once of each run that a change made on this instance ended, with the record as stored,
     * on the thread that stored it (a worker, the poller, a request): it must return quickly and
     * not throw.
     */
    @FunctionalInterface
    public interface EndListener {
        EndListener NONE = ended -> { };

        void runEnded(QueryRecord ended);
    }

    private final QueryStore store;
    private final EndListener listener;
    private final Map<String, CompletableFuture<QueryRecord>> waiting = new ConcurrentHashMap<>();

    public QueryEvents(QueryStore store) {
        this(store, EndListener.NONE);
    }

    public QueryEvents(QueryStore store, EndListener listener) {
        this.store = store;
        this.listener = listener;
    }

    /** Completes when run {@code run} of query {@code id} is terminal (or the query moved past it). */
    public CompletableFuture<QueryRecord> awaitEnd(String id, int run) {
        CompletableFuture<QueryRecord> future = waiting.computeIfAbsent(key(id, run), k -> new CompletableFuture<>());
        future.whenComplete((r, e) -> waiting.remove(key(id, run), future));
        store.find(id).ifPresent(this::checkEnded);
        return future;
    }

    /** A change made here ended {@code record}'s run: the listener hears of it, its waiters wake. */
    public void ended(QueryRecord record) {
        if (record.state().isTerminal()) {
            listener.runEnded(record);
        }
        wake(record);
    }

    private void wake(QueryRecord record) {
        CompletableFuture<QueryRecord> future = waiting.get(key(record.id(), record.run()));
        if (future != null && record.state().isTerminal()) {
            // Not on the caller's thread: that is a worker (or the poller) with work of its own.
            future.completeAsync(() -> record);
        }
    }

    /** Re-reads the store for every wait still open. Called periodically; never throws (a timer task that throws stops). */
    public void sweep() {
        for (String key : waiting.keySet()) {
            try {
                store.find(key.substring(0, key.indexOf('#'))).ifPresent(this::checkEnded);
            } catch (RuntimeException e) {
                return; // the store is unavailable: the next sweep looks again
            }
        }
    }

    int waiters() {
        return waiting.size();
    }

    private void checkEnded(QueryRecord record) {
        if (record.state().isTerminal()) {
            wake(record);
        }
        // A refresh moved the query past the awaited run: that run ended long ago.
        waiting.forEach((key, future) -> {
            if (key.startsWith(record.id() + "#")) {
                int awaited = Integer.parseInt(key.substring(key.indexOf('#') + 1));
                if (awaited < record.run()) {
                    future.completeAsync(() -> record);
                }
            }
        });
    }

    private static String key(String id, int run) {
        return id + "#" + run;
    }
}
