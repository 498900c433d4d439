package io.sluice.usage;

import io.sluice.access.Admins;
import io.sluice.access.Caller;
import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.api.Responder;
import io.sluice.store.UsageStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What runs cost, added up: by day, month, user, engine or Athena workgroup, and the costliest
 * runs. A user sees their own runs; an admin ({@code auth.admins}) everyone's, or one user's.
 */
public final class UsageService {

    static final Set<String> GROUPS = Set.of("day", "month", "user", "engine", "workgroup");
    static final int TOP_DEFAULT = 10;
    static final int TOP_MAX = 100;
    static final int TOP_QUERY_CHARS = 500;

    private final UsageStore store;
    private final Admins admins;
    private final Clock clock;
    private final Function<String, String> workgroups;

    /**
     * @param workgroups the Athena workgroup of an engine by name, null for an engine without one
     */
    public UsageService(UsageStore store, Admins admins, Clock clock, Function<String, String> workgroups) {
        this.store = store;
        this.admins = admins;
        this.clock = clock;
        this.workgroups = workgroups;
    }

    /** {@code GET /api/usage}: see docs/API.md. */
    public Map<String, Object> usage(Caller caller, String from, String to, String groupBy, String user) {
        String group = groupBy == null || groupBy.isBlank() ? "day" : groupBy.trim().toLowerCase(Locale.ROOT);
        if (!GROUPS.contains(group)) {
            throw new ApiException(MessageCode.INVALID_PARAMETER, Map.of("parameter", "groupBy",
                    "value", groupBy.length() > 64 ? groupBy.substring(0, 64) + "…" : groupBy,
                    "allowed", List.of("day", "month", "user", "engine", "workgroup")));
        }
        UsageRequest range = UsageRequest.parse(from, to, clock);
        UsageStore.Range runs = new UsageStore.Range(range.start(), range.end(), owner(caller, user));
        UsageStore.Group stored = switch (group) {
            case "day", "month" -> UsageStore.Group.DAY;
            case "user" -> UsageStore.Group.USER;
            default -> UsageStore.Group.ENGINE;
        };
        UsageBucket totals = new UsageBucket();
        Map<String, UsageBucket> items = new TreeMap<>();
        for (UsageStore.Sums s : store.sums(runs, stored)) {
            totals.add(s);
            String key = switch (group) {
                case "month" -> s.key().substring(0, 7);
                case "workgroup" -> workgroups.apply(s.key());
                default -> s.key();
            };
            if (key != null) {
                items.computeIfAbsent(key, k -> new UsageBucket()).add(s);
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", range.from().toString());
        data.put("to", range.to().toString());
        data.put("groupBy", group);
        data.put("totals", totals.view(null));
        data.put("items", items.entrySet().stream().map(e -> e.getValue().view(e.getKey())).toList());
        return data;
    }

    /** {@code GET /api/usage/top}: the costliest runs, costliest first. */
    public Map<String, Object> top(Caller caller, String from, String to, Integer limit, String user) {
        int size = limit == null ? TOP_DEFAULT : limit;
        if (size < 1 || size > TOP_MAX) {
            throw new ApiException(MessageCode.INVALID_LIMIT, Map.of("limit", size, "min", 1, "max", TOP_MAX));
        }
        UsageRequest range = UsageRequest.parse(from, to, clock);
        List<Map<String, Object>> items = new ArrayList<>();
        for (UsageStore.CostlyRun r : store.costliest(new UsageStore.Range(range.start(), range.end(),
                owner(caller, user)), size)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("queryId", r.queryId());
            item.put("run", r.run());
            item.put("user", r.owner());
            item.put("engine", r.engine());
            item.put("query", r.queryText().length() > TOP_QUERY_CHARS
                    ? r.queryText().substring(0, TOP_QUERY_CHARS) : r.queryText());
            item.put("scannedBytes", r.scannedBytes());
            item.put("costUsd", r.costUsd());
            item.put("state", r.state());
            item.put("submittedAt", Responder.format(r.submittedAt()));
            items.add(item);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", range.from().toString());
        data.put("to", range.to().toString());
        data.put("items", items);
        return data;
    }

    /**
     * Whose runs the caller may see: their own; an admin's choice (null: everyone's). Asking for
     * another user's runs without being an admin is refused.
     */
    private String owner(Caller caller, String user) {
        boolean admin = admins.contains(caller);
        if (user == null || user.isBlank()) {
            return admin ? null : caller.identity();
        }
        String wanted = user.trim().toLowerCase(Locale.ROOT);
        if (!admin && !wanted.equals(caller.identity().toLowerCase(Locale.ROOT))) {
            throw new ApiException(MessageCode.ACCESS_DENIED, Map.of("parameter", "user",
                    "reason", "only admins (auth.admins) may see other users' usage"));
        }
        return admin ? wanted : caller.identity();
    }
}
