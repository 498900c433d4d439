package io.sluice.task;

import io.sluice.access.Caller;
import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.datasource.DatasourceException;
import io.sluice.query.OpaqueToken;
import io.sluice.query.QueryIds;
import io.sluice.workspace.Workspaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The tasks' rules. A task is checked whole before it is stored (its SQL one SELECT, its table name
 * free, every database it attaches one the caller may use), answered only once stored, and then
 * queued on this instance. A user sees only their own tasks; another user's task does not exist
 * for them. A retry is a new task with the original's SQL, table and databases unless the retry
 * names other databases.
 */
public final class TaskService {

    private static final Logger LOG = LoggerFactory.getLogger(TaskService.class);
    private static final Pattern CURSOR = Pattern.compile("(\\d{1,18}):([0-9a-f-]{36})");

    /** Limits of the task list. */
    public record Limits(int defaultPageSize, int maxPageSize) {
    }

    private final TaskStore store;
    private final TaskWorkers workers;
    private final TaskDatasources datasources;
    private final TaskSql sql;
    private final Workspaces workspaces;
    private final Clock clock;
    private final String instanceId;
    private final Limits limits;
    /** Catalog names an alias may not take besides the fixed ones (the engine's database). */
    private final List<String> reservedAliases;
    /** Checks that a caller may save a query's result (its own, finished, kept), else throws. */
    private final Consumer<SaveCheck> saveCheck;

    /** A query whose result is to be saved, as the caller named it. */
    public record SaveCheck(Caller caller, String queryId) {
    }

    public TaskService(TaskStore store, TaskWorkers workers, TaskDatasources datasources, TaskSql sql,
                       Workspaces workspaces, Clock clock, String instanceId, Limits limits,
                       List<String> reservedAliases, Consumer<SaveCheck> saveCheck) {
        this.store = store;
        this.workers = workers;
        this.datasources = datasources;
        this.sql = sql;
        this.workspaces = workspaces;
        this.clock = clock;
        this.instanceId = instanceId;
        this.limits = limits;
        this.reservedAliases = reservedAliases.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        this.saveCheck = saveCheck;
    }

    public Task submit(Caller caller, TaskSpec spec) {
        return create(caller, spec, null);
    }

    /**
     * Runs {@code spec} as a task for a synchronous request: completes with the task once it ended
     * (its worker is on this instance).
     */
    public Running run(Caller caller, TaskSpec spec) {
        String id = QueryIds.next();
        java.util.concurrent.CompletableFuture<Void> done = workers.whenDone(id);
        try {
            create(caller, spec, null, id);
        } catch (RuntimeException e) {
            workers.forget(id);
            throw e;
        }
        return new Running(id, done.thenApply(ignored -> store.find(id).orElseThrow()));
    }

    /** A task run for a synchronous request: its id, and the task once it ended. */
    public record Running(String id, java.util.concurrent.CompletableFuture<Task> end) {
    }

    /** Drops a workspace table a synchronous federated query no longer needs (never throws). */
    public void dropQuietly(Caller caller, String table) {
        try {
            workspaces.drop(caller.identity(), table);
        } catch (RuntimeException e) {
            LOG.warn("dropping workspace table {} of {} failed: {}", table, caller.identity(), e.getMessage());
        }
    }

    /** A task that copies the finished query {@code queryId}'s stored result into the table {@code table}. */
    public Task saveResult(Caller caller, String queryId, String table) {
        saveCheck.accept(new SaveCheck(caller, queryId));
        return create(caller, new TaskSpec(null, TaskSpec.SAVE_RESULT, table, List.of(), null, queryId), null);
    }

    public Task get(Caller caller, String id) {
        return visible(caller, id);
    }

    /** One page of the caller's tasks, newest first. */
    public TaskPage list(Caller caller, TaskState state, String cursor, Integer limit) {
        int size = limit == null ? limits.defaultPageSize() : limit;
        if (size < 1 || size > limits.maxPageSize()) {
            throw new ApiException(MessageCode.INVALID_LIMIT, Map.of("min", 1, "max", limits.maxPageSize()));
        }
        Instant afterCreated = null;
        String afterId = null;
        if (cursor != null) {
            var m = OpaqueToken.decode(cursor, CURSOR).orElseThrow(() -> new ApiException(MessageCode.INVALID_CURSOR));
            afterCreated = Instant.ofEpochMilli(Long.parseLong(m.group(1)));
            afterId = m.group(2);
        }
        List<Task> page = store.list(caller.identity(), state, afterCreated, afterId, size + 1);
        String next = null;
        if (page.size() > size) {
            page = page.subList(0, size);
            Task last = page.get(size - 1);
            next = OpaqueToken.encode(last.createdAt().toEpochMilli() + ":" + last.id());
        }
        return new TaskPage(page, next);
    }

    /** One page of tasks and the cursor of the next (null at the end). */
    public record TaskPage(List<Task> tasks, String nextCursor) {
    }

    /**
     * Cancels the caller's task: a waiting one ends CANCELLED at once; a running one is interrupted
     * (here, or by its instance through the store) and ends CANCELLED once its statement stopped and
     * everything attached was detached.
     */
    public Task cancel(Caller caller, String id) {
        Task task = visible(caller, id);
        if (task.state().isTerminal()) {
            throw new ApiException(MessageCode.TASK_ALREADY_FINISHED, Map.of("task_id", id, "state", task.state().name()));
        }
        boolean ended = task.state() == TaskState.PENDING && store.finish(id, TaskState.PENDING, TaskState.CANCELLED,
                null, new TaskError(MessageCode.TASK_CANCELLED, Map.of()), clock.instant());
        if (!ended) {
            store.requestCancel(id); // it started meanwhile: its instance interrupts it (this one below)
        }
        workers.interrupt(id); // does nothing unless it waits or runs here
        Task now = visible(caller, id);
        if (now.state() == TaskState.SUCCEEDED || now.state() == TaskState.FAILED) {
            throw new ApiException(MessageCode.TASK_ALREADY_FINISHED, Map.of("task_id", id, "state", now.state().name()));
        }
        LOG.info("task {} of {}: cancel asked", id, caller.identity());
        return now;
    }

    /** A new task like the caller's failed or cancelled task {@code id}, with other databases if given. */
    public Task retry(Caller caller, String id, List<AttachDatabase> attachOverride) {
        Task task = visible(caller, id);
        if (!task.state().isRetryable()) {
            throw new ApiException(MessageCode.TASK_NOT_RETRYABLE, Map.of("task_id", id, "state", task.state().name()));
        }
        TaskSpec spec = attachOverride == null ? task.spec() : task.spec().withAttachDatabases(attachOverride);
        return create(caller, spec, task.id());
    }

    private Task create(Caller caller, TaskSpec spec, String retryOf) {
        return create(caller, spec, retryOf, QueryIds.next());
    }

    private Task create(Caller caller, TaskSpec spec, String retryOf, String id) {
        if (spec.sql() != null) {
            sql.problem(spec.sql()).ifPresent(problem -> {
                throw TaskRequests.invalid("sql", "SQL_NOT_SELECT", problem);
            });
        }
        for (int i = 0; i < spec.attachDatabases().size(); i++) {
            AttachDatabase a = spec.attachDatabases().get(i);
            if (reservedAliases.contains(a.alias().toLowerCase(Locale.ROOT))) {
                throw TaskRequests.invalid("attach_databases[" + i + "].alias", "ALIAS_INVALID", a.alias());
            }
            try {
                datasources.resolve(caller.identity(), a.alias(), a.connectionId());
            } catch (DatasourceException e) {
                Map<String, Object> details = new LinkedHashMap<>(e.details());
                details.put("connection_id", a.connectionId());
                details.put("field", "attach_databases[" + i + "].connection_id");
                throw ApiException.withMessage(e.code(), e.code() == MessageCode.CONNECTION_NOT_FOUND
                        ? "task.CONNECTION_NOT_FOUND" : e.code().name(), details, a.connectionId());
            }
        }
        Task task = new Task(id, caller.identity(), TaskState.PENDING, spec, null, null, retryOf, false, instanceId,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), null, null, 0);
        if (spec.customTableName() != null && workspaces.hasTable(caller.identity(), spec.customTableName())) {
            throw new ApiException(MessageCode.TABLE_EXISTS, Map.of("table_name", spec.customTableName()));
        }
        store.insert(task);
        workers.enqueue(id);
        LOG.info("task {} of {} submitted{}", id, caller.identity(), retryOf == null ? "" : " (retry of " + retryOf + ")");
        return task;
    }

    private Task visible(Caller caller, String id) {
        Optional<Task> task = QueryIds.isWellFormed(id) ? store.find(caller.identity(), id) : Optional.empty();
        return task.orElseThrow(() -> new ApiException(MessageCode.TASK_NOT_FOUND, Map.of("task_id", safe(id))));
    }

    private static String safe(String id) {
        return QueryIds.isWellFormed(id) ? id : "(malformed)";
    }
}
