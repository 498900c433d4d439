package io.sluice.query;

import io.sluice.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads runs are done on: local workers that take runs from a {@link FairWorkQueue} (users
 * take turns, each within its running limit), and a plain pool for remote work (starts and result
 * ingestion: short calls and streaming, no fairness needed). Every piece of work runs with the
 * query's id in the log context and is counted as busy while it runs; an unexpected failure is
 * logged and handed to {@code onFailure} so that no run is left without an end.
 */
final class QueryWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryWorkers.class);

    /** What to do when a run's work fails unexpectedly (the runner records the run as failed). */
    @FunctionalInterface
    interface FailureHandler {
        void failed(String queryId, int run);
    }

    private final FairWorkQueue localQueue;
    private final List<Thread> localThreads;
    private final ThreadPoolExecutor remotePool;
    private final FailureHandler onFailure;
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean started;
    private volatile boolean closed;

    QueryWorkers(int localCount, int maxRunningPerUser, int remoteCount, FailureHandler onFailure) {
        this.localQueue = new FairWorkQueue(maxRunningPerUser);
        this.onFailure = onFailure;
        this.localThreads = new ArrayList<>(localCount);
        for (int i = 1; i <= localCount; i++) {
            Thread worker = new Thread(this::work, "sluice-worker-" + i);
            worker.setDaemon(true);
            localThreads.add(worker);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        this.remotePool = new ThreadPoolExecutor(remoteCount, remoteCount, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "sluice-remote-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Starts the local workers; later calls do nothing. */
    void start() {
        if (started) {
            return;
        }
        synchronized (this) {
            if (!started && !closed) {
                localThreads.forEach(Thread::start);
                started = true;
            }
        }
    }

    /** Queues a local run for the next free worker in fair order; a run already held is not queued twice. */
    void local(String queryId, int run, String owner, Runnable work) {
        start();
        localQueue.add(new FairWorkQueue.Job(queryId, run, owner, work));
    }

    /** Runs remote work (a start, an ingestion) on the remote pool; after {@link #drain} it is not taken. */
    void remote(String queryId, int run, Runnable work) {
        try {
            remotePool.execute(() -> guarded(queryId, run, work));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("run {} of query {} not started here: the instance is stopping", run, queryId);
        }
    }

    /**
     * Stops taking new work (queued local runs stay queued) and lets what runs go on. The runs left
     * waiting are taken over by another instance once this one has left.
     */
    void drain() {
        localQueue.close();
        remotePool.shutdown();
    }

    /** Work running right now, local and remote. */
    int busy() {
        return busy.get();
    }

    /** Local runs waiting for a worker. */
    int waitingLocal() {
        return localQueue.waitingCount();
    }

    private void work() {
        while (!closed) {
            FairWorkQueue.Job job;
            try {
                job = localQueue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                guarded(job.queryId(), job.run(), job.work());
            } finally {
                localQueue.done(job);
            }
        }
    }

    private void guarded(String queryId, int run, Runnable work) {
        busy.incrementAndGet();
        MDC.put(QueryService.QUERY_ID, queryId);
        try {
            work.run();
        } catch (StoreUnavailableException e) {
            // Only when the service stops while waiting for the store: recovery at the next start ends the run.
            LOG.warn("run {} of query {} left as it is: the store is unavailable and the service stops", run, queryId);
        } catch (RuntimeException e) {
            LOG.error("run {} of query {} failed unexpectedly", run, queryId, e);
            onFailure.failed(queryId, run);
        } finally {
            MDC.remove(QueryService.QUERY_ID);
            busy.decrementAndGet();
        }
    }

    /** Stops taking work and interrupts what runs; waits up to 10 s for the threads to leave. */
    @Override
    public void close() {
        closed = true;
        localQueue.close();
        localThreads.forEach(Thread::interrupt);
        remotePool.shutdownNow();
        try {
            for (Thread worker : localThreads) {
                if (worker.getState() != Thread.State.NEW) {
                    worker.join(10_000);
                }
            }
            remotePool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
