package io.sluice.plan;

import io.sluice.query.RunCancellation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plans' own threads: {@code plans.workers} that each lead one plan, and the shared step pool
 * ({@code plans.stepWorkers}) its steps run on. Each plan queued here has a cancel switch from the
 * moment it is queued.
 */
final class PlanWorkers implements AutoCloseable {

    private final ExecutorService plans;
    private final ExecutorService steps;
    private final ScheduledExecutorService timers;
    private final Map<String, RunCancellation> queued = new ConcurrentHashMap<>();
    private PlanRunner runner;

    PlanWorkers(int planWorkers, int stepWorkers, ScheduledExecutorService timers) {
        this.plans = Executors.newFixedThreadPool(planWorkers, named("sluice-plan-"));
        this.steps = Executors.newFixedThreadPool(stepWorkers, named("sluice-plan-step-"));
        this.timers = timers;
    }

    ExecutorService stepPool() {
        return steps;
    }

    void runWith(PlanRunner planRunner) {
        this.runner = planRunner;
    }

    /** Queues the stored QUEUED plan {@code id} to run on this instance. */
    void enqueue(String id) {
        RunCancellation cancellation = new RunCancellation();
        if (queued.putIfAbsent(id, cancellation) != null) {
            return;
        }
        try {
            plans.execute(() -> {
                try {
                    runner.run(id, cancellation);
                } finally {
                    cancellation.ended();
                    queued.remove(id);
                }
            });
        } catch (RejectedExecutionException e) {
            queued.remove(id); // stopping
        }
    }

    /** Cancels plan {@code id} if it runs (or waits) here. */
    boolean interrupt(String id) {
        RunCancellation cancellation = queued.get(id);
        if (cancellation == null) {
            return false;
        }
        cancellation.cancel(timers);
        return true;
    }

    /** The plans queued or running here. */
    List<String> local() {
        return List.copyOf(queued.keySet());
    }

    @Override
    public void close() {
        if (runner != null) {
            runner.stopping();
        }
        queued.values().forEach(c -> c.cancel(timers));
        plans.shutdown();
        try {
            if (!plans.awaitTermination(10, TimeUnit.SECONDS)) {
                plans.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        steps.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
