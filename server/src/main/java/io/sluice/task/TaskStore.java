package io.sluice.task;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where tasks are kept. Every write returns once committed, and every change of state is a
 * compare-and-set, so two instances (or a cancel and a worker) never both win.
 */
public interface TaskStore {

    /** Adds a new task (PENDING). */
    void insert(Task task);

    /** The task {@code id} of {@code owner}; another owner's task does not exist for them. */
    Optional<Task> find(String owner, String id);

    /** The task {@code id}, whoever owns it: for the workers. */
    Optional<Task> find(String id);

    /**
     * The owner's tasks, newest first, optionally in one state, after the cursor's task (created at
     * {@code afterCreated} with id {@code afterId}; both null for the first page).
     */
    List<Task> list(String owner, TaskState state, Instant afterCreated, String afterId, int limit);

    /** PENDING to RUNNING on {@code instanceId}, unless a cancel was asked meanwhile. */
    boolean start(String id, String instanceId, Instant at);

    /** RUNNING (or PENDING) to an end, with its result or error; false when it is no longer in {@code from}. */
    boolean finish(String id, TaskState from, TaskState to, TaskResultInfo result, TaskError error, Instant at);

    /** Marks a RUNNING task's cancel as asked (its instance interrupts it); false when it is not running. */
    boolean requestCancel(String id);

    /** The ids of tasks running on {@code instanceId} whose cancel was asked: cancels answered elsewhere. */
    List<String> cancelRequestedOn(String instanceId);

    /** Every task not yet at an end: for start-up recovery. */
    List<Task> unfinished();

    /** Gives a PENDING task of another (dead or earlier) instance to {@code instanceId}; false when it moved. */
    boolean adopt(String id, String fromInstance, String instanceId);
}
