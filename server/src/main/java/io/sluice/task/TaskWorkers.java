package io.sluice.task;

import io.sluice.query.RunCancellation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * The tasks' own worker pool ({@code tasks.workers} threads), apart from the query workers, so long
 * tasks never hold up interactive queries. Each task queued here has a cancel switch from the moment
 * it is queued; a cancel stored by another instance reaches this one's tasks through the store
 * ({@link #stopTasksCancelledElsewhere}).
 */
public final class TaskWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskWorkers.class);

    private final ExecutorService pool;
    private final ScheduledExecutorService timers;
    private final TaskRunner runner;
    private final TaskStore store;
    private final String instanceId;
    private final Map<String, RunCancellation> queued = new ConcurrentHashMap<>();
    /** Waiters for the end of tasks running here (a synchronous federated query waits on its task). */
    private final Map<String, java.util.concurrent.CompletableFuture<Void>> ends = new ConcurrentHashMap<>();

    public TaskWorkers(int workers, TaskRunner runner, TaskStore store, String instanceId,
                       ScheduledExecutorService timers) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "sluice-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.runner = runner;
        this.store = store;
        this.instanceId = instanceId;
        this.timers = timers;
    }

    /** Queues the stored PENDING task {@code id} to run on this instance. */
    public void enqueue(String id) {
        RunCancellation cancellation = new RunCancellation();
        if (queued.putIfAbsent(id, cancellation) != null) {
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    runner.run(id, cancellation);
                } finally {
                    cancellation.ended();
                    queued.remove(id);
                    forget(id);
                }
            });
        } catch (RejectedExecutionException e) {
            queued.remove(id); // stopping: the task stays PENDING for the next start
            forget(id);
        }
    }

    /**
     * Completes when the worker of task {@code id} (queued here) is done with it, or at once when
     * it is not here. Call before {@link #enqueue} to be sure not to miss a fast end.
     */
    java.util.concurrent.CompletableFuture<Void> whenDone(String id) {
        return ends.computeIfAbsent(id, k -> new java.util.concurrent.CompletableFuture<>());
    }

    /** Completes and drops the waiter of task {@code id}: its worker is done, or it was never queued. */
    void forget(String id) {
        java.util.concurrent.CompletableFuture<Void> end = ends.remove(id);
        if (end != null) {
            end.complete(null);
        }
    }

    /** Interrupts the task {@code id} if it runs (or waits) here; false when it is not here. */
    public boolean interrupt(String id) {
        RunCancellation cancellation = queued.get(id);
        if (cancellation == null) {
            return false;
        }
        cancellation.cancel(timers);
        return true;
    }

    /** Interrupts this instance's tasks whose cancel another instance stored. */
    public void stopTasksCancelledElsewhere() {
        try {
            List<String> ids = store.cancelRequestedOn(instanceId);
            ids.forEach(this::interrupt);
        } catch (RuntimeException e) {
            LOG.debug("looking for cancelled tasks failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        runner.stopping();
        pool.shutdownNow();
        queued.values().forEach(c -> c.cancel(timers));
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
