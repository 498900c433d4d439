package io.sluice.usage;

import io.javalin.http.Context;
import io.sluice.access.Role;
import io.sluice.api.HttpApp;
import io.sluice.api.MessageCode;
import io.sluice.api.QueryParams;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;
import io.sluice.budget.Budget;
import io.sluice.budget.BudgetGuard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Usage and budgets: {@code /api/usage}, {@code /api/usage/top}, {@code /api/usage/budget}. */
public final class UsageRoutes implements Routes {

    private final UsageService usage;
    private final BudgetGuard budgets;
    private final Responder responder;

    public UsageRoutes(UsageService usage, BudgetGuard budgets, Responder responder) {
        this.usage = usage;
        this.budgets = budgets;
        this.responder = responder;
    }

    @Override
    public void register(RouteTable table) {
        table.get("/api/usage", Role.USER, this::usage);
        table.get("/api/usage/top", Role.USER, this::top);
        table.get("/api/usage/budget", Role.USER, this::budget);
    }

    private void usage(Context ctx) {
        responder.ok(ctx, MessageCode.USAGE, usage.usage(HttpApp.caller(ctx), ctx.queryParam("from"),
                ctx.queryParam("to"), ctx.queryParam("groupBy"), ctx.queryParam("user")));
    }

    private void top(Context ctx) {
        responder.ok(ctx, MessageCode.USAGE_TOP, usage.top(HttpApp.caller(ctx), ctx.queryParam("from"),
                ctx.queryParam("to"), QueryParams.integer(ctx, "limit", MessageCode.INVALID_LIMIT),
                ctx.queryParam("user")));
    }

    private void budget(Context ctx) {
        BudgetGuard.Status status = budgets.status(HttpApp.caller(ctx));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("month", status.month().toString());
        data.put("resetsAt", status.resetsAt().toString());
        List<Map<String, Object>> items = status.budgets().stream().map(UsageRoutes::view).toList();
        data.put("budgets", items);
        responder.ok(ctx, MessageCode.USAGE_BUDGET, data);
    }

    private static Map<String, Object> view(Budget b) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("scope", b.scope());
        view.put("name", b.name());
        view.put("limitUsd", b.limitUsd());
        view.put("spentUsd", b.spentUsd());
        view.put("fraction", b.fraction());
        return view;
    }
}
