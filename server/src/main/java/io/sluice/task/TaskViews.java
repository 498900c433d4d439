package io.sluice.task;

import io.sluice.api.MessageCode;
import io.sluice.api.Messages;
import io.sluice.api.Responder;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Tasks as the API shows them, with the requirement's field names: {@code task_id}, {@code state},
 * {@code metadata} (what was submitted, {@code attach_databases} exactly as sent), {@code result_info}
 * and {@code error} (its code, its message in the caller's language, its details).
 */
public final class TaskViews {

    private final Messages messages;

    public TaskViews(Messages messages) {
        this.messages = messages;
    }

    public Map<String, Object> view(Task t, Locale locale) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("task_id", t.id());
        v.put("state", t.state().name());
        v.put("task_type", t.spec().taskType());
        v.put("owner", t.owner());
        v.put("metadata", t.spec().toMap());
        v.put("result_info", t.resultInfo() == null ? null : result(t.resultInfo()));
        v.put("error", t.error() == null ? null : error(t.error(), locale));
        v.put("table_name", t.tableName());
        v.put("created_at", Responder.format(t.createdAt()));
        v.put("started_at", Responder.format(t.startedAt()));
        v.put("finished_at", Responder.format(t.finishedAt()));
        v.put("retry_of", t.retryOf());
        v.put("cancel_requested", t.cancelRequested());
        return v;
    }

    private static Map<String, Object> result(TaskResultInfo r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "completed");
        m.putAll(r.toMap());
        return m;
    }

    private Map<String, Object> error(TaskError e, Locale locale) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", e.code().name());
        m.put("message", message(e, locale));
        m.put("details", e.details());
        return m;
    }

    private String message(TaskError e, Locale locale) {
        if (e.code() == MessageCode.SERVER_RESTARTED) {
            return messages.text(locale, "task.SERVER_RESTARTED");
        }
        if (e.code() == MessageCode.QUERY_FAILED && e.details().get("reason") != null) {
            return messages.text(locale, "task.QUERY_FAILED", e.details().get("reason"));
        }
        return messages.text(locale, e.code().name());
    }
}
