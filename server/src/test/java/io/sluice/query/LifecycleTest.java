package io.sluice.query;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transition table: the paths a run takes, what each guard refuses, and — as properties over
 * random interleavings of claims, engine events, cancels, time-outs, refreshes, instance deaths and
 * takeovers — that an ended run never changes status again and no run is ever owned by two live
 * instances.
 */
class LifecycleTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Lifecycle.Actor A = Lifecycle.Actor.of("a");
    private static final Lifecycle.Actor B = Lifecycle.Actor.of("b");

    private static QueryRecord waiting(String owner) {
        return QueryRecord.queued("q", "alice", "athena", "SELECT 1", null, null, null, T0).withClaim(owner);
    }

    private static QueryRecord fire(QueryRecord r, RunEvent event, Lifecycle.Actor actor) {
        RunStatus to = Lifecycle.next(r, event, actor).orElseThrow(() -> new AssertionError(event + " refused"));
        return r.withStatus(to);
    }

    @Test
    void aRemoteRunIsShownQueuedUntilTheEngineAcceptsItAndRunningWhileItsResultIsStored() {
        QueryRecord r = fire(waiting("a"), RunEvent.CLAIM, A);
        assertThat(r.state()).isEqualTo(QueryState.QUEUED);
        assertThat(r.phase()).isEqualTo(RunStatus.STARTING);
        r = fire(r, RunEvent.ENGINE_ACCEPTED, A);
        assertThat(r.status()).isEqualTo(RunStatus.EXECUTING);
        r = fire(r, RunEvent.ENGINE_QUEUED, A);
        assertThat(r.state()).isEqualTo(QueryState.QUEUED);
        r = fire(fire(r, RunEvent.ENGINE_RUNNING, A), RunEvent.STORE_RESULT, A);
        assertThat(r.state()).isEqualTo(QueryState.RUNNING);
        assertThat(r.phase()).isEqualTo(RunStatus.STORING_RESULT);
        r = fire(r, RunEvent.SUCCEED, A);
        assertThat(r.state()).isEqualTo(QueryState.SUCCEEDED);
        assertThat(r.phase()).isNull();
    }

    @Test
    void aLocalRunExecutesAsSoonAsItsWorkerTakesIt() {
        QueryRecord r = fire(waiting("a"), RunEvent.START_LOCAL, A);
        assertThat(r.status()).isEqualTo(RunStatus.EXECUTING);
        assertThat(fire(r, RunEvent.SUCCEED, A).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void onlyTheOwnerDrivesItsRunButAnyoneMayCancelIt() {
        QueryRecord r = fire(fire(waiting("a"), RunEvent.CLAIM, A), RunEvent.ENGINE_ACCEPTED, A);
        for (RunEvent event : List.of(RunEvent.PROGRESS, RunEvent.ENGINE_QUEUED, RunEvent.STORE_RESULT,
                RunEvent.SUCCEED, RunEvent.TIME_OUT, RunEvent.ENGINE_CANCELLED, RunEvent.FAIL, RunEvent.ADOPT)) {
            assertThat(Lifecycle.next(r, event, B)).as("%s by a live non-owner", event).isEmpty();
        }
        assertThat(Lifecycle.next(r, RunEvent.CANCEL, B)).contains(RunStatus.CANCELLED);
    }

    @Test
    void aDeadOwnersRunsAreTakenOverAndAnOwnerNeverAdoptsItsOwn() {
        Lifecycle.Actor bSeesADead = new Lifecycle.Actor("b", "a"::equals);
        QueryRecord running = fire(fire(waiting("a"), RunEvent.CLAIM, A), RunEvent.ENGINE_ACCEPTED, A);
        assertThat(Lifecycle.next(running, RunEvent.ADOPT, bSeesADead)).contains(RunStatus.EXECUTING);
        assertThat(Lifecycle.next(running, RunEvent.ADOPT, new Lifecycle.Actor("a", o -> true))).isEmpty();
        QueryRecord starting = fire(waiting("a"), RunEvent.CLAIM, A);
        assertThat(Lifecycle.next(starting, RunEvent.REQUEUE, bSeesADead)).contains(RunStatus.WAITING);
        assertThat(Lifecycle.next(starting, RunEvent.REQUEUE, B)).isEmpty();
    }

    @Test
    void anEndedRunOnlySettlesItsStopAndIsReplacedByARefresh() {
        QueryRecord cancelled = fire(fire(waiting("a"), RunEvent.CLAIM, A), RunEvent.CANCEL, B).withStopRequested(true);
        for (RunEvent event : RunEvent.values()) {
            Optional<RunStatus> to = Lifecycle.next(cancelled, event, A);
            if (event == RunEvent.REFRESH) {
                assertThat(to).contains(RunStatus.WAITING);
            } else if (Set.of(RunEvent.STOP_SETTLED, RunEvent.ENGINE_ID_LEARNED).contains(event)) {
                assertThat(to).as("%s", event).contains(RunStatus.CANCELLED);
            } else {
                assertThat(to).as("%s", event).isEmpty();
            }
        }
        assertThat(Lifecycle.next(cancelled.withStopRequested(false), RunEvent.STOP_SETTLED, A)).isEmpty();
    }

    /** One step of a random history: an event fired by an instance, or an instance dying. */
    record Step(RunEvent event, String actor, boolean kill) {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> fire = Combinators.combine(Arbitraries.of(RunEvent.class), Arbitraries.of("a", "b", "c"))
                .as((event, actor) -> new Step(event, actor, false));
        Arbitrary<Step> kill = Arbitraries.of("a", "b", "c").map(actor -> new Step(null, actor, true));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, fire), net.jqwik.api.Tuple.of(1, kill)).list().ofMaxSize(60);
    }

    @Property(tries = 2_000)
    void anEndedRunNeverChangesAndNoRunHasTwoLiveOwners(@ForAll("histories") List<Step> history) {
        Set<String> dead = new HashSet<>();
        QueryRecord run = waiting("a");
        List<QueryRecord> ended = new ArrayList<>();
        for (Step step : history) {
            if (step.kill()) {
                dead.add(step.actor());
                continue;
            }
            if (dead.contains(step.actor())) {
                continue; // a dead instance does nothing
            }
            Lifecycle.Actor actor = new Lifecycle.Actor(step.actor(), dead::contains);
            Optional<RunStatus> to = Lifecycle.next(run, step.event(), actor);
            if (to.isEmpty()) {
                continue;
            }
            QueryRecord before = run;
            QueryRecord next = switch (step.event()) {
                case REFRESH -> before.nextRun(T0, step.actor());
                case ADOPT, REQUEUE -> before.withClaim(step.actor());
                case CANCEL, TIME_OUT -> before.withStopRequested(true);
                case STOP_SETTLED -> before.withStopRequested(false);
                default -> before;
            };
            run = next.withStatus(to.get());
            if (before.status().isTerminal()) {
                if (step.event() == RunEvent.REFRESH) {
                    ended.add(before);
                    assertThat(run.run()).isEqualTo(before.run() + 1);
                } else {
                    assertThat(run.status()).as("ended run after %s", step.event()).isEqualTo(before.status());
                }
            }
            // The owner changes only when the old one is dead (or absent) and the new one takes the run itself.
            if (!java.util.Objects.equals(before.claimedBy(), run.claimedBy()) && run.run() == before.run()) {
                assertThat(before.claimedBy() == null || dead.contains(before.claimedBy()))
                        .as("%s took the run of live %s", step.actor(), before.claimedBy()).isTrue();
                assertThat(run.claimedBy()).isEqualTo(step.actor());
            }
        }
        // A refresh only ever replaces an ended run.
        assertThat(ended).allSatisfy(r -> assertThat(r.status().isTerminal()).isTrue());
    }
}
