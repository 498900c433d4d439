package io.sluice.plan;

/** Runs one kind of step: makes the table {@code main.<step id>} in the plan's database. */
interface StepExecutor {

    /**
     * Makes the step's table.
     *
     * @throws StepFailure when the step cannot make it (a cancel is told apart by the step's switch)
     */
    void run(StepContext context) throws Exception;
}
