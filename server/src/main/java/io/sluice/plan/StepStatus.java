package io.sluice.plan;

/**
 * Where one step of a plan is: its state, the query it submitted (Athena steps, once submitted), the
 * rows its table holds (once it succeeded) and why it failed (its own error text in {@code reason}).
 */
public record StepStatus(String id, StepType type, PlanState state, String queryId, Long rows, PlanError error) {

    public static StepStatus queued(PlanStep step) {
        return new StepStatus(step.id(), step.type(), PlanState.QUEUED, null, null, null);
    }

    public StepStatus withState(PlanState next) {
        return new StepStatus(id, type, next, queryId, rows, error);
    }

    public StepStatus withQueryId(String query) {
        return new StepStatus(id, type, state, query, rows, error);
    }

    public StepStatus succeeded(long count) {
        return new StepStatus(id, type, PlanState.SUCCEEDED, queryId, count, null);
    }

    public StepStatus ended(PlanState end, PlanError why) {
        return new StepStatus(id, type, end, queryId, rows, why);
    }
}
