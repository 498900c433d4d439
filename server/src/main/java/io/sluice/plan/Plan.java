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

    /** The same plan with {@code status} in place of its step's. */
    public Plan withStep(StepStatus status) {
        List<StepStatus> next = steps.stream().map(s -> s.id().equals(status.id()) ? status : s).toList();
        return new Plan(id, owner, spec, state, next, error, instanceId, createdAt, startedAt, finishedAt, version);
    }

    /** Running on {@code instance} since {@code at}. */
    public Plan started(String instance, Instant at) {
        return new Plan(id, owner, spec, PlanState.RUNNING, steps, null, instance, createdAt, at, null, version);
    }

    /** Ended in {@code end} at {@code at}; steps that had not ended end CANCELLED with it. */
    public Plan ended(PlanState end, PlanError why, Instant at) {
        List<StepStatus> next = steps.stream().map(s -> s.state().isTerminal() ? s
                : s.ended(PlanState.CANCELLED, null)).toList();
        return new Plan(id, owner, spec, end, next, why, instanceId, createdAt, startedAt, at, version);
    }
}
