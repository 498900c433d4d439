package io.sluice.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.ShiftedClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.usage.UsageApiTest.as;
import static io.sluice.usage.UsageApiTest.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Monthly budgets through the Athena stand-in: a warning past 80 %, refusal at 100 % naming the
 * budget and its reset, the admin override, and the reset at the month boundary (clock injected).
 */
class BudgetApiTest {

    /** What one small Athena query costs: the 10 MB minimum at 5 USD per TB. */
    static final double MIN_COST = 10.0 * 1024 * 1024 / (1024d * 1024 * 1024 * 1024) * 5.0;

    @TempDir
    Path dir;
    AthenaFixture athena;

    @AfterEach
    void stop() {
        if (athena != null) {
            athena.close();
        }
    }

    /** Submits to Athena, waits for the end, checks it cost the minimum; returns the submit answer's data. */
    static JsonNode run(ApiClient client, String marker) {
        ApiClient.Response r = client.post("/api/query", Map.of("query", "SELECT 1 AS " + marker, "engine", "athena"));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        String id = r.data().path("id").asText();
        assertThat(awaitEnd(client, id)).isEqualTo("SUCCEEDED");
        // status shows costs to 6 decimals
        assertThat(client.get("/api/query/" + id + "/status").data().path("statistics").path("costUsd").asDouble())
                .isEqualTo(0.000048);
        return r.data();
    }

    static void assertRefused(ApiClient.Response r, String budget, double limit, String resetsAt) {
        assertThat(r.status()).as(r.toString()).isEqualTo(429);
        assertThat(r.errorCode()).isEqualTo("BUDGET_EXCEEDED");
        JsonNode details = r.json().path("error").path("details");
        assertThat(details.path("budget").asText()).isEqualTo(budget);
        assertThat(details.path("limitUsd").asDouble()).isEqualTo(limit);
        assertThat(details.path("spentUsd").asDouble()).isGreaterThanOrEqualTo(limit);
        assertThat(details.path("resetsAt").asText()).isEqualTo(resetsAt);
        assertThat(r.json().path("error").path("message").asText()).contains(budget).contains(resetsAt);
    }

    @Test
    void budgetsWarnRefuseYieldToAnAdminOverrideAndResetWithTheMonth() {
        ShiftedClock clock = new ShiftedClock(Instant.parse("2027-01-31T20:00:00Z"));
        athena = AthenaFixture.start(dir, c -> {
            UsageApiTest.withAuth(c);
            ObjectNode budgets = c.putObject("budgets").put("monthlyUsdPerUser", 0.0001)
                    .put("monthlyUsdTotal", 0.00015).put("warnFraction", 0.8);
            budgets.putObject("workgroups").putObject("primary").put("monthlyUsd", 1.0);
        }, clock);
        ApiClient alice = as(athena.api(), "alice@example.com");
        ApiClient bob = as(athena.api(), "bob@example.com");
        ApiClient admin = as(athena.api(), UsageApiTest.ADMIN);

        assertThat(run(alice, "b1").path("warnings")).isEmpty();              // user 48 %, total 32 %
        assertThat(run(alice, "b2").path("warnings")).isEmpty();              // user 95 %, total 64 %
        JsonNode warned = run(alice, "b3");                                   // warned at 95 %
        assertThat(warned.path("warnings")).hasSize(1);
        JsonNode warning = warned.path("warnings").get(0);
        assertThat(warning.path("code").asText()).isEqualTo("BUDGET_NEARLY_SPENT");
        assertThat(warning.path("params").path("budget").asText()).isEqualTo("user");
        assertThat(warning.path("params").path("spentUsd").asDouble()).isCloseTo(2 * MIN_COST, within(1e-12));
        assertThat(warning.path("params").path("limitUsd").asDouble()).isEqualTo(0.0001);
        assertThat(warning.path("params").path("resetsAt").asText()).isEqualTo("2027-02-01T00:00:00Z");
        assertThat(warning.path("message").asText()).contains("user").contains("2027-02-01T00:00:00Z");
        // status carries the warning too
        JsonNode status = alice.get("/api/query/" + warned.path("id").asText() + "/status").data();
        assertThat(status.path("warnings")).isEqualTo(warned.path("warnings"));

        // user 143 %: alice is refused; DuckDB queries cost nothing and are not budgeted
        assertRefused(alice.post("/api/query", Map.of("query", "SELECT 1 AS b4", "engine", "athena")), "user",
                0.0001, "2027-02-01T00:00:00Z");
        assertThat(alice.post("/api/query", Map.of("query", "SELECT 1", "engine", "duckdb")).status()).isEqualTo(202);

        // total 95 %: the admin is warned of the total budget, then refused by it
        JsonNode adminRun = run(admin, "b5");
        assertThat(adminRun.path("warnings").findValuesAsText("budget")).containsExactly("total");
        assertRefused(admin.post("/api/query", Map.of("query", "SELECT 1 AS b6", "engine", "athena")), "total",
                0.00015, "2027-02-01T00:00:00Z");
        // only an admin may override
        ApiClient.Response notAdmin = bob.post("/api/query", Map.of("query", "SELECT 1 AS b7", "engine", "athena",
                "budgetOverride", true));
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(notAdmin.errorCode()).isEqualTo("ACCESS_DENIED");
        ApiClient.Response overridden = admin.post("/api/query", Map.of("query", "SELECT 1 AS b8",
                "engine", "athena", "budgetOverride", true));
        assertThat(overridden.status()).isEqualTo(202);
        assertThat(overridden.data().path("warnings").get(0).path("code").asText()).isEqualTo("BUDGET_OVERRIDDEN");
        assertThat(awaitEnd(admin, overridden.data().path("id").asText())).isEqualTo("SUCCEEDED");
        // one query only: the next one is refused again
        assertRefused(admin.post("/api/query", Map.of("query", "SELECT 1 AS b9", "engine", "athena")), "total",
                0.00015, "2027-02-01T00:00:00Z");

        JsonNode budgets = alice.get("/api/usage/budget").data();
        assertThat(budgets.path("month").asText()).isEqualTo("2027-01");
        assertThat(budgets.path("resetsAt").asText()).isEqualTo("2027-02-01T00:00:00Z");
        assertThat(budgets.path("budgets").findValuesAsText("scope")).containsExactly("user", "total", "workgroup");
        JsonNode user = budgets.path("budgets").get(0);
        assertThat(user.path("name").asText()).isEqualTo("alice@example.com");
        assertThat(user.path("spentUsd").asDouble()).isCloseTo(3 * MIN_COST, within(1e-12));
        assertThat(user.path("fraction").asDouble()).isCloseTo(3 * MIN_COST / 0.0001, within(1e-9));
        assertThat(budgets.path("budgets").get(1).path("spentUsd").asDouble()).isCloseTo(5 * MIN_COST, within(1e-12));
        assertThat(budgets.path("budgets").get(2).path("name").asText()).isEqualTo("primary");

        // February: every budget starts again
        clock.advance(Duration.ofHours(4));
        assertThat(run(alice, "c1").path("warnings")).isEmpty();
        JsonNode february = alice.get("/api/usage/budget").data();
        assertThat(february.path("month").asText()).isEqualTo("2027-02");
        assertThat(february.path("resetsAt").asText()).isEqualTo("2027-03-01T00:00:00Z");
        assertThat(february.path("budgets").get(0).path("spentUsd").asDouble()).isCloseTo(MIN_COST, within(1e-12));
        // January's usage is kept
        assertThat(alice.get("/api/usage?from=2027-01-01&to=2027-01-31").data().path("totals").path("costUsd")
                .asDouble()).isCloseTo(3 * MIN_COST, within(1e-12));
    }

    @Test
    void withoutBudgetsTheBudgetRouteListsNone() {
        athena = AthenaFixture.start(dir, c -> { });
        JsonNode data = athena.api().get("/api/usage/budget").data();
        assertThat(data.path("budgets")).isEmpty();
        assertThat(data.path("month").asText()).hasSize(7);
    }
}
