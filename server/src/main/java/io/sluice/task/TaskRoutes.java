package io.sluice.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sluice.access.Role;
import io.sluice.api.ApiException;
import io.sluice.api.HttpApp;
import io.sluice.api.MessageCode;
import io.sluice.api.QueryParams;
import io.sluice.api.RequestBody;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Async tasks: {@code POST /api/async_query} (202 once the task is stored), {@code GET /api/async_tasks}
 * (the caller's, newest first, by state, cursor paging), {@code GET /api/async_tasks/{task_id}},
 * {@code POST …/{task_id}/cancel}, {@code POST …/{task_id}/retry}, and
 * {@code POST /api/query/{id}/save-as-table} (a task that copies a finished query's result into the
 * caller's workspace). Another user's task answers 404 on every route.
 */
public final class TaskRoutes implements Routes {

    private static final String TASKS = "/api/async_tasks";
    private static final Set<String> SAVE_FIELDS = Set.of("table_name");

    private final TaskService service;
    private final TaskViews views;
    private final Responder responder;
    private final ObjectMapper mapper;

    public TaskRoutes(TaskService service, TaskViews views, Responder responder, ObjectMapper mapper) {
        this.service = service;
        this.views = views;
        this.responder = responder;
        this.mapper = mapper;
    }

    @Override
    public void register(RouteTable table) {
        table.post("/api/async_query", Role.USER, ctx -> {
            RequestBody body = RequestBody.parse(ctx, mapper, TaskRequests.SUBMIT_FIELDS);
            Task task = service.submit(HttpApp.caller(ctx), TaskRequests.submission(body, mapper));
            responder.reply(ctx, 202, MessageCode.TASK_SUBMITTED, MessageCode.TASK_SUBMITTED.name(), view(ctx, task));
        });
        table.get(TASKS, Role.USER, ctx -> {
            TaskState state = state(ctx.queryParam("state"));
            TaskService.TaskPage page = service.list(HttpApp.caller(ctx), state, ctx.queryParam("cursor"),
                    QueryParams.integer(ctx, "limit", MessageCode.INVALID_LIMIT));
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("items", page.tasks().stream().map(t -> view(ctx, t)).toList());
            data.put("nextCursor", page.nextCursor());
            responder.ok(ctx, MessageCode.TASKS_LISTED, data);
        });
        table.get(TASKS + "/{task_id}", Role.USER, ctx ->
                responder.ok(ctx, MessageCode.TASK_DETAILS, view(ctx, service.get(HttpApp.caller(ctx), ctx.pathParam("task_id")))));
        table.post(TASKS + "/{task_id}/cancel", Role.USER, ctx ->
                responder.ok(ctx, MessageCode.TASK_CANCELLED, view(ctx, service.cancel(HttpApp.caller(ctx), ctx.pathParam("task_id")))));
        table.post(TASKS + "/{task_id}/retry", Role.USER, ctx -> {
            RequestBody body = RequestBody.parse(ctx, mapper, TaskRequests.RETRY_FIELDS);
            Task task = service.retry(HttpApp.caller(ctx), ctx.pathParam("task_id"), TaskRequests.attachDatabases(body));
            responder.reply(ctx, 202, MessageCode.TASK_SUBMITTED, MessageCode.TASK_SUBMITTED.name(), view(ctx, task));
        });
        table.post("/api/query/{id}/save-as-table", Role.USER, ctx -> {
            RequestBody body = RequestBody.parse(ctx, mapper, SAVE_FIELDS);
            String tableName = TaskRequests.tableName(body, "table_name");
            Task task = service.saveResult(HttpApp.caller(ctx), ctx.pathParam("id"), tableName);
            responder.reply(ctx, 202, MessageCode.TASK_SUBMITTED, MessageCode.TASK_SUBMITTED.name(), view(ctx, task));
        });
    }

    private Map<String, Object> view(Context ctx, Task task) {
        return views.view(task, responder.locale(ctx));
    }

    private static TaskState state(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return TaskState.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(MessageCode.INVALID_PARAMETER, Map.of("parameter", "state",
                    "allowed", java.util.Arrays.stream(TaskState.values()).map(Enum::name).toList()));
        }
    }
}
