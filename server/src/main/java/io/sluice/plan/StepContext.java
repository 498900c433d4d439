package io.sluice.plan;

import io.sluice.query.RunCancellation;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.function.Consumer;

/**
 * What one running step has: its plan and step, a connection to the plan's database (its output
 * becomes the table {@code main.<step id>}), the scratch folder, its cancel switch, and where to
 * report the query it submitted.
 */
record StepContext(Plan plan, PlanStep step, Connection duck, Path scratch, RunCancellation cancellation,
                   Consumer<String> querySubmitted) {
}
