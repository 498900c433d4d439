package io.sluice.plan;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One plan as stored: what was submitted, where it is, each step's status, why it did not succeed,
 * the instance running it, its times, and {@code version}, which counts its changes (every change
 * is a compare-and-set on it).
 */
public record Plan(String id, String owner, PlanSpec spec, PlanState state, List<StepStatus> steps, PlanError error,
                   String instanceId, Instant createdAt, Instant startedAt, Instant finishedAt, long version) {

    public Plan {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        steps = List.copyOf(steps);
    }

    public String name() {
        return spec.name();
    }

    public StepStatus step(String stepId) {
        return steps.stream().filter(s -> s.id().equals(stepId)).findFirst().orElseThrow();
    }
}
