package io.sluice.plan;

import io.sluice.api.MessageCode;
import io.sluice.api.Messages;
import io.sluice.api.Responder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plans as the API shows them: {@code planId}, {@code name}, {@code state}, {@code steps} (each
 * {@code id, type, state}, and {@code queryId}, {@code rows}, {@code error} when it has them),
 * {@code error} ({@code code, message, params}) and the times.
 */
final class PlanViews {

    private final Messages messages;

    PlanViews(Messages messages) {
        this.messages = messages;
    }

    Map<String, Object> view(Plan p, Locale locale) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("planId", p.id());
        v.put("name", p.name());
        v.put("state", p.state().name());
        v.put("steps", steps(p.steps(), locale));
        v.put("error", p.error() == null ? null : error(p.error(), locale));
        v.put("createdAt", Responder.format(p.createdAt()));
        v.put("startedAt", Responder.format(p.startedAt()));
        v.put("finishedAt", Responder.format(p.finishedAt()));
        return v;
    }

    /** The answer to a submit: the plan's id, state and steps. */
    Map<String, Object> submitted(Plan p, Locale locale) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("planId", p.id());
        v.put("state", p.state().name());
        v.put("steps", steps(p.steps(), locale));
        return v;
    }

    /** A plan in the list: its view with the submitted steps' definitions. */
    Map<String, Object> listItem(Plan p, Locale locale) {
        return view(p, locale);
    }

    private List<Map<String, Object>> steps(List<StepStatus> steps, Locale locale) {
        return steps.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("type", s.type().wireName());
            m.put("state", s.state().name());
            if (s.queryId() != null) {
                m.put("queryId", s.queryId());
            }
            if (s.rows() != null) {
                m.put("rows", s.rows());
            }
            if (s.error() != null) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("code", s.error().code().name());
                e.put("message", messages.text(locale, s.error().code().name(), s.id(), s.error().details().get("reason")));
                e.put("params", s.error().details());
                m.put("error", e);
            }
            return m;
        }).toList();
    }

    private Map<String, Object> error(PlanError e, Locale locale) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", e.code().name());
        m.put("message", message(e, locale));
        m.put("params", e.details());
        return m;
    }

    private String message(PlanError e, Locale locale) {
        return switch (e.code()) {
            case PLAN_STEP_FAILED -> messages.text(locale, e.code().name(), e.details().get("step"), e.details().get("error"));
            case SERVER_RESTARTED -> messages.text(locale, "plan.SERVER_RESTARTED");
            default -> messages.text(locale, e.code().name());
        };
    }

}
