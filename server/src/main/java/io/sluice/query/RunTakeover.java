package io.sluice.query;

import io.sluice.engine.Engine;
import io.sluice.engine.Engines;
import io.sluice.engine.LocalEngine;
import io.sluice.store.QueryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Takes runs over from an instance that is gone: another instance that died (its lease ran out),
 * or this instance's own previous process (same configured id, restarted). Each run moves through
 * one lifecycle event, so when several live instances try at once exactly one wins each run.
 *
 * <ul>
 *   <li>A waiting run is owned here and dispatched to this instance's workers.</li>
 *   <li>A remote run being started (its engine id never stored) waits again and is dispatched: its
 *       idempotency token makes the engine return the query the dead instance may have started.</li>
 *   <li>A local run that was executing cannot be resumed: it ends FAILED with SERVER_RESTARTED.</li>
 *   <li>A remote run the engine has is owned here: this instance's poller follows it to its end
 *       (storing its result again if the dead instance was storing it).</li>
 *   <li>An ended run whose engine stop is pending is owned here: this poller delivers the stop.</li>
 * </ul>
 * Runs of engines this instance does not have are left for an instance that has them.
 */
public final class RunTakeover {

    private static final Logger LOG = LoggerFactory.getLogger(RunTakeover.class);
    private static final int BATCH = 10_000;

    private final QueryStore store;
    private final QueryTransitions transitions;
    private final QueryRunner runner;
    private final Engines engines;
    private final Clock clock;

    public RunTakeover(QueryStore store, QueryTransitions transitions, QueryRunner runner, Engines engines, Clock clock) {
        this.store = store;
        this.transitions = transitions;
        this.runner = runner;
        this.engines = engines;
        this.clock = clock;
    }

    /**
     * Takes over the runs of every owner that {@code isDead} says is gone (never this instance).
     *
     * @return the owners whose runs are all taken over now (their rows may be forgotten)
     */
    public List<String> takeOverDead(Predicate<String> isDead) {
        String me = transitions.instanceId();
        List<String> done = new java.util.ArrayList<>();
        for (String owner : store.findOwners()) {
            if (me.equals(owner) || !isDead.test(owner)) {
                continue;
            }
            int left = 0;
            for (QueryRecord r : store.findOwnedRuns(owner, BATCH)) {
                if (!takeOver(r)) {
                    left++;
                }
            }
            if (left == 0 && owner != null) {
                done.add(owner);
            }
        }
        return done;
    }

    /**
     * Takes over runs this instance's id owned before {@code boot} (its previous process), and
     * runs without an owner (stored by older versions). Runs of this process are left alone.
     *
     * @return how many runs were taken over
     */
    public int takeOverPrevious(Instant boot) {
        int taken = 0;
        for (String owner : new String[] {transitions.instanceId(), null}) {
            for (QueryRecord r : store.findOwnedRuns(owner, BATCH)) {
                if (beforeBoot(r, boot) && takeOver(r)) {
                    taken++;
                }
            }
        }
        return taken;
    }

    /**
     * Takes one run over, as the class comment says.
     *
     * @return whether the run is taken care of (taken over here, or changed by someone else first);
     *         false for a run of an engine this instance does not have
     */
    public boolean takeOver(QueryRecord r) {
        Optional<Engine> engine = engines.find(r.engine());
        if (engine.isEmpty()) {
            return false;
        }
        String me = transitions.instanceId();
        boolean mine = me.equals(r.claimedBy());
        boolean local = engine.get() instanceof LocalEngine;
        RunStatus status = r.status();
        if (status.isTerminal()) {
            if (!mine) {
                transitions.fire(r, RunEvent.ADOPT, c -> c.withClaim(me));
            }
            return true;
        }
        if (status == RunStatus.WAITING) {
            Optional<QueryTransitions.Outcome> o = mine ? Optional.of(new QueryTransitions.Outcome(r, true))
                    : transitions.fire(r, RunEvent.ADOPT, c -> c.withClaim(me));
            o.filter(QueryTransitions.Outcome::changed).ifPresent(x -> runner.dispatch(x.record()));
            return true;
        }
        if (local) {
            Instant now = clock.instant();
            transitions.fire(r, RunEvent.FAIL, c -> c.withEnd(now, interrupted(c, now),
                    QueryError.sluice("SERVER_RESTARTED", "the server restarted while the query was running", Map.of())));
            return true;
        }
        if (status == RunStatus.STARTING || r.engineQueryId() == null) {
            transitions.fire(r, RunEvent.REQUEUE, c -> c.withClaim(me))
                    .filter(QueryTransitions.Outcome::changed)
                    .ifPresent(o -> runner.dispatch(o.record()));
            return true;
        }
        if (!mine) {
            transitions.fire(r, RunEvent.ADOPT, c -> c.withClaim(me))
                    .filter(QueryTransitions.Outcome::changed)
                    .ifPresent(o -> LOG.info("query {}: run {} on {} ({}) taken over from {}", r.id(), r.run(),
                            r.engine(), r.engineQueryId(), r.claimedBy()));
        }
        return true;
    }

    /** A run of an earlier process: submitted, and if started, started before this process booted. */
    private static boolean beforeBoot(QueryRecord r, Instant boot) {
        return r.submittedAt().isBefore(boot) && (r.startedAt() == null || r.startedAt().isBefore(boot));
    }

    /**
     * The statistics of a run the restart interrupted: its queue time, and no execution time (how
     * long it really ran before the process died is unknown; the time until now would count the
     * outage as execution).
     */
    private static Statistics interrupted(QueryRecord r, Instant now) {
        Statistics times = QueryRunner.times(r, now);
        return times.withTimes(times.queueMillis(), null);
    }
}
