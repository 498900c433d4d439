package io.sluice.budget;

import io.sluice.access.Admins;
import io.sluice.access.Caller;
import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.engine.Engine;
import io.sluice.engine.athena.AthenaEngine;
import io.sluice.query.PendingRun;
import io.sluice.query.SubmitCheck;
import io.sluice.query.Warning;
import io.sluice.store.UsageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Monthly budgets (config {@code budgets}) on engines that price their queries (Athena): a new
 * query is refused with 429 BUDGET_EXCEEDED once a budget that applies to it is spent, and carries a
 * BUDGET_NEARLY_SPENT warning past {@code warnFraction}. Spend is what the runs submitted in the
 * current UTC month cost (every run, refreshes included). An admin ({@code auth.admins}) may run one
 * query anyway with {@code budgetOverride}; anyone else asking for it is refused (403).
 *
 * <p>The check reads the month's spend at submit: concurrent submits may pass a budget by a few
 * queries, and a running query's cost counts as far as it is known.
 */
public final class BudgetGuard implements SubmitCheck {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetGuard.class);

    private final BudgetSettings settings;
    private final UsageStore usage;
    private final Admins admins;
    private final Clock clock;
    private final Function<String, String> workgroups;

    /**
     * @param workgroups the Athena workgroup of an engine by its name, null for an engine without one
     *                   (the runs of engines gone from the configuration count for no workgroup)
     */
    public BudgetGuard(BudgetSettings settings, UsageStore usage, Admins admins, Clock clock,
                       Function<String, String> workgroups) {
        this.settings = settings;
        this.workgroups = workgroups;
        this.usage = usage;
        this.admins = admins;
        this.clock = clock;
    }

    /** The month and the budgets that apply to {@code caller}, for the budget route. */
    public Status status(Caller caller) {
        YearMonth month = month();
        return new Status(month, resetsAt(month), settings.any() ? budgets(caller, month, null) : List.of());
    }

    /**
     * The month's budgets as they stand for {@code caller}.
     *
     * @param month     the UTC month
     * @param workgroup only this workgroup's budget (and the user and total ones); null: every workgroup's
     */
    private List<Budget> budgets(Caller caller, YearMonth month, String workgroup) {
        Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<UsageStore.EngineSpend> spend = usage.spend(from, resetsAt(month), caller.identity());
        List<Budget> budgets = new ArrayList<>();
        if (settings.monthlyUsdPerUser() != null) {
            budgets.add(new Budget("user", caller.identity(), settings.monthlyUsdPerUser(),
                    spend.stream().mapToDouble(UsageStore.EngineSpend::ownerUsd).sum()));
        }
        if (settings.monthlyUsdTotal() != null) {
            budgets.add(new Budget("total", "total", settings.monthlyUsdTotal(),
                    spend.stream().mapToDouble(UsageStore.EngineSpend::totalUsd).sum()));
        }
        settings.workgroups().forEach((name, limit) -> {
            if (workgroup == null || workgroup.equals(name)) {
                budgets.add(new Budget("workgroup", name, limit, spend.stream()
                        .filter(s -> name.equals(workgroups.apply(s.engine())))
                        .mapToDouble(UsageStore.EngineSpend::totalUsd).sum()));
            }
        });
        return budgets;
    }

    @Override
    public List<Warning> check(Caller caller, PendingRun run) {
        boolean override = run.submission() != null && run.submission().budgetOverride();
        if (override && !admins.contains(caller)) {
            throw new ApiException(MessageCode.ACCESS_DENIED, Map.of("field", "budgetOverride",
                    "reason", "only admins (auth.admins) may run a query over budget"));
        }
        Optional<String> workgroup = workgroup(run.engine());
        if (workgroup.isEmpty() || !settings.any()) {
            return List.of();
        }
        YearMonth month = month();
        Instant resets = resetsAt(month);
        List<Warning> warnings = new ArrayList<>();
        for (Budget b : budgets(caller, month, workgroup.get())) {
            if (b.spentUsd() >= b.limitUsd()) {
                if (!override) {
                    LOG.info("query of {} refused: the {} budget of {} USD is spent ({} USD)", caller.identity(),
                            b.label(), b.limitUsd(), b.spentUsd());
                    throw ApiException.withMessage(MessageCode.BUDGET_EXCEEDED, "budget.BUDGET_EXCEEDED",
                            params(b, resets), b.label(), usd(b.spentUsd()), usd(b.limitUsd()), resets.toString());
                }
                LOG.info("admin {} runs a query over the spent {} budget", caller.identity(), b.label());
                warnings.add(new Warning("BUDGET_OVERRIDDEN", params(b, resets)));
            } else if (b.fraction() >= settings.warnFraction()) {
                warnings.add(new Warning("BUDGET_NEARLY_SPENT", params(b, resets)));
            }
        }
        return warnings;
    }

    /** The Athena workgroup of an engine that prices its queries; empty for engines that do not. */
    public static Optional<String> workgroup(Engine engine) {
        return engine instanceof AthenaEngine athena ? Optional.of(athena.config().workgroup()) : Optional.empty();
    }

    private static Map<String, Object> params(Budget b, Instant resets) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("budget", b.label());
        params.put("spentUsd", b.spentUsd());
        params.put("limitUsd", b.limitUsd());
        params.put("resetsAt", resets.toString());
        return params;
    }

    private static String usd(double value) {
        return java.math.BigDecimal.valueOf(value).setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    private YearMonth month() {
        return YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
    }

    /** The first instant of the month after {@code month}, UTC. */
    static Instant resetsAt(YearMonth month) {
        return month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The month's budgets for a caller. */
    public record Status(YearMonth month, Instant resetsAt, List<Budget> budgets) {
    }
}
