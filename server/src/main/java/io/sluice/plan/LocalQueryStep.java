package io.sluice.plan;

/** A LocalQuery: its SELECT (checked to be one) over earlier steps' tables becomes its table. */
final class LocalQueryStep implements StepExecutor {

    @Override
    public void run(StepContext c) throws Exception {
        DuckSteps.execute(c.duck(), "CREATE TABLE " + DuckSteps.table(c.step().id()) + " AS\n" + c.step().sql(),
                c.cancellation());
    }
}
