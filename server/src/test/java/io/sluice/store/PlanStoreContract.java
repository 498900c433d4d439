package io.sluice.store;

import io.sluice.api.MessageCode;
import io.sluice.plan.JdbcPlanStore;
import io.sluice.plan.Plan;
import io.sluice.plan.PlanError;
import io.sluice.plan.PlanRecovery;
import io.sluice.plan.PlanSpec;
import io.sluice.plan.PlanState;
import io.sluice.plan.PlanStep;
import io.sluice.plan.PlanStore;
import io.sluice.plan.StepStatus;
import io.sluice.plan.StepType;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the plans table must do on every store database, with the real migrations. */
interface PlanStoreContract {

    Instant T0 = Instant.parse("2026-11-20T08:00:00.123Z");

    Database database();

    private PlanStore plans() {
        return new JdbcPlanStore(database(), io.sluice.Json.mapper());
    }

    private static Plan plan(String owner, Instant created, PlanState state, String instance) {
        PlanSpec spec = new PlanSpec("温度 baseline ✓", List.of(
                new PlanStep("week", StepType.ATHENA_QUERY, "SELECT 'ü' AS x", "athena", 5.0, null, null, null, null, null),
                new PlanStep("accounts", StepType.RELATIONAL_QUERY, "SELECT * FROM a WHERE id = ANY($1)", null, null,
                        "crm", Map.of("$1", new PlanStep.Bind("week", "x")), null, null, Set.of("week")),
                new PlanStep("base", StepType.S3_PARQUET_READ, null, "athena", null, null, null, "bucket", "k/ey.parquet",
                        null),
                new PlanStep("joined", StepType.LOCAL_QUERY, "SELECT * FROM week, accounts, base", null, null, null,
                        null, null, null, Set.of("week", "accounts", "base"))));
        List<StepStatus> steps = spec.steps().stream().map(StepStatus::queued).toList();
        return new Plan(UUID.randomUUID().toString(), owner, spec, state, steps, null, instance, created, null, null, 0);
    }

    private static Plan next(Plan p, PlanState state, List<StepStatus> steps, PlanError error, Instant finished) {
        return new Plan(p.id(), p.owner(), p.spec(), state, steps, error, p.instanceId(), p.createdAt(),
                p.createdAt().plusMillis(5), finished, p.version() + 1);
    }

    @Test
    default void aPlanSurvivesInsertFindAndUpdateWholeAndOnlyForItsOwner() {
        Plan p = plan("ali@example.com", T0, PlanState.QUEUED, "i1");
        plans().insert(p);
        assertThat(plans().find("ali@example.com", p.id())).contains(p);
        assertThat(plans().find("bob@example.com", p.id())).isEmpty();
        assertThat(plans().find(p.id())).contains(p);

        List<StepStatus> steps = List.of(p.steps().get(0).withQueryId("q-1").succeeded(3),
                p.steps().get(1).ended(PlanState.FAILED,
                        new PlanError(MessageCode.PLAN_STEP_FAILED, Map.of("reason", "bad \"ü\""))),
                p.steps().get(2).ended(PlanState.CANCELLED, null), p.steps().get(3).ended(PlanState.CANCELLED, null));
        Plan failed = next(p, PlanState.FAILED, steps,
                new PlanError(MessageCode.PLAN_STEP_FAILED, Map.of("step", "accounts", "error", "bad \"ü\"")),
                T0.plusSeconds(2));
        assertThat(plans().update(failed)).isTrue();
        assertThat(plans().find(p.id())).contains(failed);
    }

    @Test
    default void anUpdateIsACompareAndSetOnTheVersion() {
        Plan p = plan("cas@example.com", T0, PlanState.QUEUED, "i1");
        plans().insert(p);
        Plan running = next(p, PlanState.RUNNING, p.steps(), null, null);
        Plan cancelled = next(p, PlanState.CANCELLED, p.steps(), new PlanError(MessageCode.PLAN_CANCELLED, Map.of()),
                T0.plusSeconds(1));
        assertThat(plans().update(running)).isTrue();
        assertThat(plans().update(cancelled)).isFalse(); // built on the version the runner already changed
        assertThat(plans().find(p.id()).orElseThrow().state()).isEqualTo(PlanState.RUNNING);
        assertThat(plans().find(p.id()).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    default void theListIsTheOwnersNewestFirstUpToTheLimit() {
        Plan a = plan("list@example.com", T0, PlanState.QUEUED, "i1");
        Plan b = plan("list@example.com", T0.plusSeconds(1), PlanState.QUEUED, "i1");
        Plan c = plan("list@example.com", T0.plusSeconds(2), PlanState.QUEUED, "i1");
        Plan other = plan("other@example.com", T0.plusSeconds(3), PlanState.QUEUED, "i1");
        for (Plan p : List.of(b, a, other, c)) {
            plans().insert(p);
        }
        assertThat(plans().list("list@example.com", 10)).extracting(Plan::id).containsExactly(c.id(), b.id(), a.id());
        assertThat(plans().list("list@example.com", 2)).extracting(Plan::id).containsExactly(c.id(), b.id());
    }

    @Test
    default void recoveryFailsThePlansOfTheEarlierProcessAndOfDeadInstancesOnly() {
        Instant boot = T0.plusSeconds(60);
        Plan earlier = plan("rec@example.com", T0, PlanState.RUNNING, "me");
        Plan queuedEarlier = plan("rec@example.com", T0, PlanState.QUEUED, "me");
        Plan dead = plan("rec@example.com", T0, PlanState.RUNNING, "gone");
        Plan alive = plan("rec@example.com", T0, PlanState.RUNNING, "alive");
        Plan done = plan("rec@example.com", T0, PlanState.SUCCEEDED, "me");
        for (Plan p : List.of(earlier, queuedEarlier, dead, alive, done)) {
            plans().insert(p);
        }
        new PlanRecovery(plans(), "me", Clock.fixed(boot, ZoneOffset.UTC)).recover(boot, "gone"::equals);
        for (Plan p : List.of(earlier, queuedEarlier, dead)) {
            Plan now = plans().find(p.id()).orElseThrow();
            assertThat(now.state()).isEqualTo(PlanState.FAILED);
            assertThat(now.error().code()).isEqualTo(MessageCode.SERVER_RESTARTED);
            assertThat(now.finishedAt()).isEqualTo(boot);
            assertThat(now.steps()).allMatch(s -> s.state() == PlanState.CANCELLED);
        }
        assertThat(plans().find(alive.id()).orElseThrow().state()).isEqualTo(PlanState.RUNNING);
        assertThat(plans().find(done.id()).orElseThrow().state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(plans().unfinished()).extracting(Plan::id).containsExactly(alive.id());
    }
}
