package io.sluice.task;

import io.sluice.access.Caller;
import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.api.RequestBody;
import io.sluice.sync.FederatedQueries;
import io.sluice.sync.SyncQueryRoutes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@link FederatedQueries} as tasks of the caller: the task's table is read, then dropped. */
public final class TaskSyncQueries implements FederatedQueries {

    private final TaskService tasks;

    public TaskSyncQueries(TaskService tasks) {
        this.tasks = tasks;
    }

    @Override
    public Started start(Caller caller, String sql, RequestBody body) {
        List<AttachDatabase> attach = TaskRequests.attachDatabases(body);
        if (sql == null || sql.isBlank()) {
            throw TaskRequests.invalid("sql", "SQL_EMPTY");
        }
        TaskSpec spec = new TaskSpec(sql.trim(), TaskSpec.QUERY, null, attach == null ? List.of() : attach, null, null);
        TaskService.Running run = tasks.run(caller, spec);
        CompletableFuture<String> table = run.end().thenApply(task -> {
            return switch (task.state()) {
                case SUCCEEDED -> task.resultInfo().tableName();
                case CANCELLED -> throw new ApiException(SyncQueryRoutes.CANCELLED_STATUS, MessageCode.QUERY_CANCELLED,
                        Map.of("task_id", task.id()), null);
                default -> throw failure(task);
            };
        });
        return new Started(run.id(), table);
    }

    private static ApiException failure(Task task) {
        TaskError error = task.error();
        Map<String, Object> details = new LinkedHashMap<>(error == null ? Map.of() : error.details());
        details.put("task_id", task.id());
        MessageCode code = error == null ? MessageCode.QUERY_FAILED : error.code();
        return new ApiException(code.status() >= 400 ? code.status() : 422, code, details, null);
    }

    @Override
    public void cancel(Caller caller, String taskId) {
        try {
            tasks.cancel(caller, taskId);
        } catch (ApiException e) {
            // it ended first
        }
    }

    @Override
    public void drop(Caller caller, String table) {
        tasks.dropQuietly(caller, table);
    }
}
