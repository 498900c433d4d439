package io.sluice.budget;

import java.util.Map;

/**
 * Monthly spend limits (config {@code budgets}), in USD; each is optional.
 *
 * @param monthlyUsdPerUser what each user's runs may cost per UTC month, or null for no limit
 * @param monthlyUsdTotal   what everyone's runs may cost together per UTC month, or null
 * @param warnFraction      the share of a budget past which submits carry a warning (0.8: at 80 %)
 * @param workgroups        per Athena workgroup: what the runs of engines in it may cost per month
 */
public record BudgetSettings(Double monthlyUsdPerUser, Double monthlyUsdTotal, double warnFraction,
                             Map<String, Double> workgroups) {

    /** No budgets. */
    public static final BudgetSettings NONE = new BudgetSettings(null, null, 0.8, Map.of());

    public BudgetSettings {
        workgroups = workgroups == null ? Map.of() : Map.copyOf(workgroups);
    }

    /** Whether any budget is configured. */
    public boolean any() {
        return monthlyUsdPerUser != null || monthlyUsdTotal != null || !workgroups.isEmpty();
    }
}
