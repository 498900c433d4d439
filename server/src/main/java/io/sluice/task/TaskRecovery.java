package io.sluice.task;

import io.sluice.api.MessageCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/**
 * No acknowledged task is lost: tasks of this instance's previous process, and of instances that
 * are dead, are settled. One that was RUNNING ends FAILED with {@code SERVER_RESTARTED} (its
 * statement died with its process; it can be retried); one still PENDING is taken over and run here.
 */
public final class TaskRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRecovery.class);

    private final TaskStore store;
    private final TaskWorkers workers;
    private final String instanceId;
    private final Clock clock;

    public TaskRecovery(TaskStore store, TaskWorkers workers, String instanceId, Clock clock) {
        this.store = store;
        this.workers = workers;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    /**
     * Settles the unfinished tasks of earlier processes of this instance (stored before {@code boot})
     * and of instances {@code dead} says are gone.
     */
    public void recover(Instant boot, Predicate<String> dead) {
        int failed = 0;
        int adopted = 0;
        for (Task t : store.unfinished()) {
            boolean previous = instanceId.equals(t.instanceId()) && t.createdAt().isBefore(boot)
                    && (t.startedAt() == null || t.startedAt().isBefore(boot));
            boolean orphan = t.instanceId() != null && !instanceId.equals(t.instanceId()) && dead.test(t.instanceId());
            if (!previous && !orphan) {
                continue;
            }
            if (t.state() == TaskState.RUNNING) {
                if (store.finish(t.id(), TaskState.RUNNING, TaskState.FAILED, null,
                        new TaskError(MessageCode.SERVER_RESTARTED, Map.of()), clock.instant())) {
                    failed++;
                }
            } else if (previous || store.adopt(t.id(), t.instanceId(), instanceId)) {
                workers.enqueue(t.id());
                adopted++;
            }
        }
        if (failed + adopted > 0) {
            LOG.info("task recovery: {} interrupted task(s) failed with SERVER_RESTARTED, {} waiting task(s) queued",
                    failed, adopted);
        }
    }
}
