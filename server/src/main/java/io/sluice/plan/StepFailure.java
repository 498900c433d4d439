package io.sluice.plan;

/** A step that could not make its table, with the reason to show (no passwords, no server paths). */
final class StepFailure extends Exception {

    StepFailure(String reason) {
        super(reason, null, false, false);
    }
}
