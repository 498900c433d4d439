package io.sluice.budget;

/**
 * One budget as it stands this month for a caller.
 *
 * @param scope    {@code user}, {@code total} or {@code workgroup}
 * @param name     the user's identity, {@code total}, or the workgroup's name
 * @param limitUsd the monthly limit
 * @param spentUsd what runs submitted this month cost so far
 */
public record Budget(String scope, String name, double limitUsd, double spentUsd) {

    /** How much of the budget is spent (1 = all of it). */
    public double fraction() {
        return spentUsd / limitUsd;
    }

    /** The budget as refusals and warnings name it: {@code user}, {@code total} or {@code workgroup:<name>}. */
    public String label() {
        return scope.equals("workgroup") ? "workgroup:" + name : scope;
    }
}
