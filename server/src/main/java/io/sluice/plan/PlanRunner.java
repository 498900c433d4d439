package io.sluice.plan;

import io.sluice.api.MessageCode;
import io.sluice.engine.ResultLimits;
import io.sluice.engine.duckdb.DuckDbRows;
import io.sluice.query.RunCancellation;
import io.sluice.result.ResultStore;
import io.sluice.result.ResultWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs one plan on this instance: its own DuckDB database ({@link PlanWorkspace}), its steps in
 * dependency order, each as soon as the steps it reads succeeded, independent ones in parallel on the
 * shared step pool; each step's state is stored as it changes. A failed step fails the plan with
 * {@code PLAN_STEP_FAILED {step, error}} and cancels the steps still running; a cancel stops every
 * running step (an Athena step's query included). When every step succeeded, the last step's table
 * is stored as the plan's result in the result store (under the plan's id, run 1), and the plan's
 * database is removed.
 */
final class PlanRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PlanRunner.class);

    /** Settings of the plans' databases. */
    record Settings(Path directory, String memoryLimit, int threads, ResultLimits resultLimits) {
    }

    private final PlanStore store;
    private final Map<StepType, StepExecutor> executors;
    private final ExecutorService stepPool;
    private final ResultStore results;
    private final Settings settings;
    private final Clock clock;
    private final String instanceId;
    private final ScheduledExecutorService timers;
    private volatile boolean stopping;

    PlanRunner(PlanStore store, Map<StepType, StepExecutor> executors, ExecutorService stepPool, ResultStore results,
               Settings settings, Clock clock, String instanceId, ScheduledExecutorService timers) {
        this.store = store;
        this.executors = executors;
        this.stepPool = stepPool;
        this.results = results;
        this.settings = settings;
        this.clock = clock;
        this.instanceId = instanceId;
        this.timers = timers;
    }

    /** This instance stops: plans interrupted from now on end FAILED with SERVER_RESTARTED. */
    void stopping() {
        stopping = true;
    }

    /** A finished step: its id, and why it failed (null: it succeeded, or its cancel stopped it). */
    private record Finished(String id, String failure, Long rows) {
    }

    /** Starts the QUEUED plan {@code id} and runs it to its end; does nothing when it is not QUEUED any more. */
    void run(String id, RunCancellation cancellation) {
        Plan plan = store.find(id).orElse(null);
        if (plan == null || plan.state() != PlanState.QUEUED || cancellation.isCancelled()) {
            return;
        }
        Plan started = plan.started(instanceId, clock.instant());
        started = new Plan(started.id(), started.owner(), started.spec(), started.state(), started.steps(), null,
                started.instanceId(), started.createdAt(), started.startedAt(), null, plan.version() + 1);
        if (!store.update(started)) {
            return; // cancelled meanwhile
        }
        PlanTracker tracker = new PlanTracker(store, started, () -> cancellation.cancel(timers));
        long begin = clock.millis();
        Map<String, RunCancellation> running = new ConcurrentHashMap<>();
        cancellation.onCancel(() -> running.values().forEach(c -> c.cancel(timers)));
        PlanState end;
        PlanError why = null;
        try (PlanWorkspace workspace = PlanWorkspace.open(settings.directory(), id, settings.memoryLimit(),
                settings.threads())) {
            Finished failed;
            try {
                failed = steps(tracker, workspace, cancellation, running);
            } finally {
                running.values().forEach(c -> c.cancel(timers)); // none, unless the store failed under the runner
            }
            if (failed != null) {
                end = PlanState.FAILED;
                why = stepFailed(failed.id(), failed.failure());
            } else if (cancellation.isCancelled()) {
                end = PlanState.CANCELLED;
                why = new PlanError(MessageCode.PLAN_CANCELLED, Map.of());
            } else {
                end = storeResult(tracker.current(), workspace, cancellation);
                if (end == PlanState.CANCELLED) {
                    why = new PlanError(MessageCode.PLAN_CANCELLED, Map.of());
                }
            }
        } catch (Exception e) {
            LOG.warn("plan {} failed: {}", id, e.toString());
            end = PlanState.FAILED;
            why = new PlanError(MessageCode.INTERNAL_ERROR, Map.of());
        }
        if (stopping && end == PlanState.CANCELLED) {
            end = PlanState.FAILED;
            why = new PlanError(MessageCode.SERVER_RESTARTED, Map.of());
        }
        PlanState finalState = end;
        PlanError finalWhy = why;
        Plan ended = tracker.update(p -> p.ended(finalState, finalWhy, clock.instant()));
        LOG.info("plan {} of {} {} in {} ms", id, ended.owner(), ended.state(), clock.millis() - begin);
    }

    /** Runs the steps; the failed step (the first), or null when none failed. */
    private Finished steps(PlanTracker tracker, PlanWorkspace workspace, RunCancellation cancellation,
                           Map<String, RunCancellation> running) throws InterruptedException {
        BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        Set<String> succeeded = new HashSet<>();
        Set<String> launched = new HashSet<>();
        Finished failed = null;
        Map<String, PlanStep> steps = new LinkedHashMap<>();
        tracker.current().spec().steps().forEach(s -> steps.put(s.id(), s));
        while (true) {
            if (failed == null && !cancellation.isCancelled()) {
                for (PlanStep step : steps.values()) {
                    if (!launched.contains(step.id()) && succeeded.containsAll(step.dependsOn())) {
                        launched.add(step.id());
                        launch(tracker, workspace, step, running, finished);
                    }
                }
            }
            if (running.isEmpty()) {
                return failed;
            }
            Finished f = finished.take();
            RunCancellation stepSwitch = running.remove(f.id());
            boolean cancelled = stepSwitch != null && stepSwitch.isCancelled();
            if (f.failure() == null && !cancelled && f.rows() != null) {
                succeeded.add(f.id());
                tracker.update(p -> p.withStep(p.step(f.id()).succeeded(f.rows())));
            } else if (f.failure() != null && !cancelled && failed == null) {
                failed = f;
                tracker.update(p -> p.withStep(p.step(f.id()).ended(PlanState.FAILED, stepError(f.failure()))));
                running.values().forEach(c -> c.cancel(timers));
            } else {
                tracker.update(p -> p.withStep(p.step(f.id()).ended(PlanState.CANCELLED, null)));
            }
        }
    }

    private void launch(PlanTracker tracker, PlanWorkspace workspace, PlanStep step, Map<String, RunCancellation> running,
                        BlockingQueue<Finished> finished) {
        RunCancellation stepSwitch = new RunCancellation();
        running.put(step.id(), stepSwitch);
        Plan plan = tracker.update(p -> p.withStep(p.step(step.id()).withState(PlanState.RUNNING)));
        try {
            stepPool.execute(() -> finished.add(runStep(tracker, plan, workspace, step, stepSwitch)));
        } catch (RejectedExecutionException e) {
            stepSwitch.cancel(timers); // stopping
            finished.add(new Finished(step.id(), null, null));
        }
    }

    private Finished runStep(PlanTracker tracker, Plan plan, PlanWorkspace workspace, PlanStep step,
                             RunCancellation stepSwitch) {
        try (Connection duck = workspace.connection()) {
            StepContext context = new StepContext(plan, step, duck, workspace.scratch(), stepSwitch,
                    queryId -> tracker.update(p -> p.withStep(p.step(step.id()).withQueryId(queryId))));
            executors.get(step.type()).run(context);
            if (stepSwitch.isCancelled()) {
                return new Finished(step.id(), null, null);
            }
            return new Finished(step.id(), null, DuckSteps.rows(duck, step.id()));
        } catch (StepFailure e) {
            return new Finished(step.id(), e.getMessage(), null);
        } catch (Exception e) {
            if (stepSwitch.isCancelled()) {
                return new Finished(step.id(), null, null);
            }
            return new Finished(step.id(), mask(e.getMessage(), workspace), null);
        } finally {
            stepSwitch.ended();
        }
    }

    /** Copies the last step's table into the result store: SUCCEEDED, or CANCELLED when a cancel came first. */
    private PlanState storeResult(Plan plan, PlanWorkspace workspace, RunCancellation cancellation) throws Exception {
        String last = plan.spec().last().id();
        try (Connection duck = workspace.connection(); Statement s = duck.createStatement();
             ResultWriter writer = results.create(plan.id(), 1, settings.resultLimits())) {
            cancellation.onCancel(() -> {
                try {
                    s.cancel();
                } catch (java.sql.SQLException e) {
                    // finished
                }
            });
            try (ResultSet rows = s.executeQuery("SELECT * FROM " + DuckSteps.table(last))) {
                if (!DuckDbRows.copy(rows, writer, cancellation::isCancelled) || cancellation.isCancelled()) {
                    writer.abort();
                    return PlanState.CANCELLED;
                }
            }
            writer.publish();
            return PlanState.SUCCEEDED;
        } catch (java.sql.SQLException e) {
            if (cancellation.isCancelled()) {
                return PlanState.CANCELLED;
            }
            throw e;
        }
    }

    static PlanError stepFailed(String step, String error) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("step", step);
        details.put("error", error);
        return new PlanError(MessageCode.PLAN_STEP_FAILED, details);
    }

    private static PlanError stepError(String reason) {
        return new PlanError(MessageCode.PLAN_STEP_FAILED, Map.of("reason", reason));
    }

    private static String mask(String message, PlanWorkspace workspace) {
        String text = message == null ? "error" : message.strip();
        text = text.replace(workspace.folderText(), "<plan>");
        return text.length() > 4000 ? text.substring(0, 4000) + "…" : text;
    }
}
