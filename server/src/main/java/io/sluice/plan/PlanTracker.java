package io.sluice.plan;

import java.util.function.UnaryOperator;

/**
 * The running plan's record, kept by its runner and written through to the store on every change
 * (a compare-and-set on its version). When the stored plan changed meanwhile — a cancel, here or on
 * another instance, ended it — the change is applied to the stored plan instead, keeping its end,
 * and {@code ended} is told, so the runner stops what still runs.
 */
final class PlanTracker {

    private final PlanStore store;
    private final Runnable ended;
    private Plan current;

    PlanTracker(PlanStore store, Plan current, Runnable ended) {
        this.store = store;
        this.current = current;
        this.ended = ended;
    }

    synchronized Plan current() {
        return current;
    }

    /** Applies {@code change} and stores it; the plan as stored after it. */
    synchronized Plan update(UnaryOperator<Plan> change) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Plan next = bump(change.apply(current));
            if (store.update(next)) {
                current = next;
                return current;
            }
            Plan stored = store.find(current.id()).orElse(null);
            if (stored == null) {
                return current; // deleted: nothing to keep
            }
            current = stored;
            if (stored.state().isTerminal()) {
                ended.run();
                Plan kept = change.apply(stored);
                Plan next2 = bump(new Plan(kept.id(), kept.owner(), kept.spec(), stored.state(), kept.steps(),
                        stored.error(), kept.instanceId(), kept.createdAt(), kept.startedAt(), stored.finishedAt(),
                        stored.version()));
                if (store.update(next2)) {
                    current = next2;
                    return current;
                }
            }
        }
        return current;
    }

    private static Plan bump(Plan p) {
        return new Plan(p.id(), p.owner(), p.spec(), p.state(), p.steps(), p.error(), p.instanceId(), p.createdAt(),
                p.startedAt(), p.finishedAt(), p.version() + 1);
    }
}
