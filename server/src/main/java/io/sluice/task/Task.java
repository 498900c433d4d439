package io.sluice.task;

import java.time.Instant;
import java.util.Objects;

/**
 * One async task as stored. {@code resultInfo} is set when it succeeded, {@code error} when it failed
 * or was cancelled; {@code instanceId} names the instance running it; {@code version} counts its
 * changes (every change is a compare-and-set on it).
 */
public record Task(String id, String owner, TaskState state, TaskSpec spec, TaskResultInfo resultInfo, TaskError error,
                   String retryOf, boolean cancelRequested, String instanceId, Instant createdAt, Instant startedAt,
                   Instant finishedAt, long version) {

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The table its result becomes: the custom name, else {@code task_<id without dashes>}. */
    public String tableName() {
        return spec.customTableName() != null ? spec.customTableName() : "task_" + id.replace("-", "");
    }
}
