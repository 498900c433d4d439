package io.sluice.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.Json;
import io.sluice.budget.BudgetSettings;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The {@code budgets} section: all optional, numbers checked, unknown keys refused. */
class BudgetConfigTest {

    @TempDir
    Path dir;

    private SluiceConfig parse(Consumer<ObjectNode> tweak) {
        ObjectNode root = TestServer.configTree(dir);
        tweak.accept(root);
        return new ConfigLoader(Json.mapper(), Map.of("LIMIT", "75.5")).parse(root.toString(), dir);
    }

    private List<String> problems(Consumer<ObjectNode> tweak) {
        try {
            parse(tweak);
        } catch (ConfigException e) {
            return e.problems();
        }
        return fail("expected a ConfigException");
    }

    @Test
    void withoutTheSectionThereAreNoBudgets() {
        BudgetSettings budgets = parse(c -> { }).budgets();
        assertThat(budgets.any()).isFalse();
        assertThat(budgets.warnFraction()).isEqualTo(0.8);
    }

    @Test
    void everyBudgetIsRead() {
        BudgetSettings budgets = parse(c -> {
            ObjectNode b = c.putObject("budgets").put("monthlyUsdPerUser", 50).put("monthlyUsdTotal", "${LIMIT}")
                    .put("warnFraction", 0.9);
            b.putObject("workgroups").putObject("primary").put("monthlyUsd", 200.25);
        }).budgets();
        assertThat(budgets.monthlyUsdPerUser()).isEqualTo(50.0);
        assertThat(budgets.monthlyUsdTotal()).isEqualTo(75.5);
        assertThat(budgets.warnFraction()).isEqualTo(0.9);
        assertThat(budgets.workgroups()).containsExactly(Map.entry("primary", 200.25));
    }

    @Test
    void badBudgetsAreListed() {
        List<String> problems = problems(c -> {
            ObjectNode b = c.putObject("budgets").put("monthlyUsdPerUser", -1).put("monthlyUsdTotal", "lots")
                    .put("warnFraction", 1.5).put("monthly", 3);
            ObjectNode w = b.putObject("workgroups");
            w.putObject("primary");
            w.putObject("other").put("monthlyUsd", 10).put("limit", 1);
        });
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("budgets.monthlyUsdPerUser must be between"))
                .anySatisfy(p -> assertThat(p).isEqualTo("budgets.monthlyUsdTotal must be a number, got \"lots\""))
                .anySatisfy(p -> assertThat(p).startsWith("budgets.warnFraction must be between"))
                .anySatisfy(p -> assertThat(p).isEqualTo("budgets.monthly is not a known setting"))
                .anySatisfy(p -> assertThat(p).isEqualTo("budgets.workgroups.primary needs monthlyUsd, a number above 0"))
                .anySatisfy(p -> assertThat(p).isEqualTo("budgets.workgroups.other.limit is not a known setting"));
    }
}
