package io.sluice.plan;

import java.util.List;
import java.util.Optional;

/**
 * Where plans are kept. Every write returns once committed; every change is a compare-and-set on
 * the plan's version, so a cancel and a runner (or two instances) never both win.
 */
public interface PlanStore {

    /** Adds a new plan (QUEUED, version 0). */
    void insert(Plan plan);

    /** The plan {@code id} of {@code owner}; another owner's plan does not exist for them. */
    Optional<Plan> find(String owner, String id);

    /** The plan {@code id}, whoever owns it: for the runner. */
    Optional<Plan> find(String id);

    /** The owner's plans, newest first, at most {@code limit}. */
    List<Plan> list(String owner, int limit);

    /**
     * Stores {@code next} (its state, steps, error, instance and times) if the stored plan is still
     * at {@code next.version() - 1}; false when it changed meanwhile.
     */
    boolean update(Plan next);

    /** Every plan not yet at an end: for start-up recovery. */
    List<Plan> unfinished();
}
