package io.sluice.query;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import static io.sluice.query.RunStatus.CANCELLED;
import static io.sluice.query.RunStatus.ENGINE_QUEUED;
import static io.sluice.query.RunStatus.EXECUTING;
import static io.sluice.query.RunStatus.FAILED;
import static io.sluice.query.RunStatus.STARTING;
import static io.sluice.query.RunStatus.STORING_RESULT;
import static io.sluice.query.RunStatus.SUCCEEDED;
import static io.sluice.query.RunStatus.TIMED_OUT;
import static io.sluice.query.RunStatus.WAITING;

/**
 * The one place that says how a run may change: a table of (from status, event, to status,
 * guard). Every change of a stored run goes through {@link #next}; the store only does the
 * compare-and-set of what this allows.
 *
 * <p>Terminal runs never change status again. What may still happen to one: its pending engine
 * stop is settled ({@link RunEvent#STOP_SETTLED}), the engine id of that stop is learned, a live
 * instance adopts the stop from a dead one, or a refresh starts the query's next run (the ended
 * run stays as it was, in the query's run list).
 */
public final class Lifecycle {

    private static final Set<RunStatus> ACTIVE = EnumSet.of(WAITING, STARTING, ENGINE_QUEUED, EXECUTING, STORING_RESULT);
    private static final Set<RunStatus> TERMINAL = EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT);
    private static final Set<RunStatus> ACCEPTED = EnumSet.of(ENGINE_QUEUED, EXECUTING);

    /** Who is changing the run: an instance, and which instances it currently believes dead. */
    public record Actor(String instanceId, Predicate<String> isDead) {

        /** A request thread or tool with no view of other instances (it never adopts). */
        public static Actor of(String instanceId) {
            return new Actor(instanceId, owner -> false);
        }
    }

    /** A condition on the run and the actor, beyond the from-status. */
    public enum Guard {
        /** Anyone (a user's cancel, a refresh: the query's owner was checked before). */
        ANYONE,
        /** The instance that owns the run. */
        OWNER,
        /** The owner, or anyone once the owner is dead (recovery and takeover). */
        OWNER_OR_DEAD_OWNER,
        /** Anyone but the owner, once the owner is dead (or there is none). */
        DEAD_OWNER,
        /** The run's engine stop is still pending. */
        STOP_PENDING,
        /** The run's engine stop is pending and its engine id unknown. */
        STOP_PENDING_WITHOUT_ENGINE_ID;

        boolean allows(QueryRecord r, Actor actor) {
            return switch (this) {
                case ANYONE -> true;
                case OWNER -> actor.instanceId().equals(r.claimedBy());
                case OWNER_OR_DEAD_OWNER -> actor.instanceId().equals(r.claimedBy()) || ownerDead(r, actor);
                case DEAD_OWNER -> !actor.instanceId().equals(r.claimedBy()) && ownerDead(r, actor);
                case STOP_PENDING -> r.stopRequested();
                case STOP_PENDING_WITHOUT_ENGINE_ID -> r.stopRequested() && r.engineQueryId() == null;
            };
        }

        private static boolean ownerDead(QueryRecord r, Actor actor) {
            return r.claimedBy() == null || actor.isDead().test(r.claimedBy());
        }
    }

    /**
     * One legal move. {@code to} null keeps the status (statistics, owner or stop changes).
     */
    public record Transition(Set<RunStatus> from, RunEvent event, RunStatus to, Guard guard) {
    }

    /** The lifecycle of a run, in full. */
    public static final List<Transition> TABLE = List.of(
            new Transition(EnumSet.of(WAITING), RunEvent.CLAIM, STARTING, Guard.OWNER),
            new Transition(EnumSet.of(WAITING), RunEvent.START_LOCAL, EXECUTING, Guard.OWNER),
            new Transition(EnumSet.of(STARTING), RunEvent.ENGINE_ACCEPTED, EXECUTING, Guard.OWNER),
            new Transition(EnumSet.of(EXECUTING), RunEvent.ENGINE_QUEUED, ENGINE_QUEUED, Guard.OWNER),
            new Transition(EnumSet.of(ENGINE_QUEUED), RunEvent.ENGINE_RUNNING, EXECUTING, Guard.OWNER),
            new Transition(ACCEPTED, RunEvent.PROGRESS, null, Guard.OWNER),
            new Transition(ACCEPTED, RunEvent.STORE_RESULT, STORING_RESULT, Guard.OWNER),
            // A local engine stores its result while it executes; a remote one after it finished.
            new Transition(EnumSet.of(EXECUTING, STORING_RESULT), RunEvent.SUCCEED, SUCCEEDED, Guard.OWNER),
            new Transition(ACTIVE, RunEvent.FAIL, FAILED, Guard.OWNER_OR_DEAD_OWNER),
            new Transition(ACTIVE, RunEvent.CANCEL, CANCELLED, Guard.ANYONE),
            new Transition(EnumSet.of(ENGINE_QUEUED, EXECUTING, STORING_RESULT), RunEvent.ENGINE_CANCELLED, CANCELLED,
                    Guard.OWNER),
            new Transition(ACTIVE, RunEvent.TIME_OUT, TIMED_OUT, Guard.OWNER),
            // A remote run whose engine id was never stored (legacy rows show it as EXECUTING).
            new Transition(EnumSet.of(STARTING, EXECUTING), RunEvent.REQUEUE, WAITING, Guard.OWNER_OR_DEAD_OWNER),
            new Transition(ACTIVE, RunEvent.ADOPT, null, Guard.DEAD_OWNER),
            new Transition(TERMINAL, RunEvent.ADOPT, null, Guard.STOP_PENDING),
            new Transition(TERMINAL, RunEvent.ENGINE_ID_LEARNED, null, Guard.STOP_PENDING_WITHOUT_ENGINE_ID),
            new Transition(TERMINAL, RunEvent.STOP_SETTLED, null, Guard.STOP_PENDING),
            new Transition(TERMINAL, RunEvent.REFRESH, WAITING, Guard.ANYONE));

    private Lifecycle() {
    }

    /**
     * The status {@code event} moves run {@code r} to, if the table allows it from the run's status
     * for this actor; empty if not (the caller's change is then declined, nothing is written).
     * Adopting an ended run with a pending stop also needs its owner dead.
     */
    public static Optional<RunStatus> next(QueryRecord r, RunEvent event, Actor actor) {
        RunStatus from = r.status();
        for (Transition t : TABLE) {
            if (t.event() == event && t.from().contains(from) && t.guard().allows(r, actor)) {
                if (event == RunEvent.ADOPT && !Guard.DEAD_OWNER.allows(r, actor)) {
                    continue;
                }
                return Optional.of(t.to() == null ? from : t.to());
            }
        }
        return Optional.empty();
    }
}
