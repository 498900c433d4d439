package io.sluice.query;

import io.sluice.engine.Engines;
import io.sluice.engine.LocalEngine;
import io.sluice.store.QueryStore;
import io.sluice.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Start-up recovery: no submitted query is lost. A local run that this instance was executing
 * when it stopped cannot be resumed, so it ends FAILED with SERVER_RESTARTED (rerun it); queued
 * runs that never started are dispatched again (remote ones with the same idempotency token, so
 * no second remote query starts); remote runs with an engine id are picked up by the poller.
 *
 * <p>It runs while the server already answers requests, so it touches only runs of earlier
 * processes: those submitted (and, for running ones, started) before this process's boot.
 */
public final class QueryRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(QueryRecovery.class);

    private final QueryStore store;
    private final QueryTransitions transitions;
    private final QueryRunner runner;
    private final Engines engines;
    private final Clock clock;
    private final InstanceClaims claims;
    private final Instant boot;

    /** @param boot when this process started: later runs are its own, not recovery's */
    public QueryRecovery(QueryStore store, QueryTransitions transitions, QueryRunner runner, Engines engines,
                         Clock clock, InstanceClaims claims, Instant boot) {
        this.store = store;
        this.transitions = transitions;
        this.runner = runner;
        this.engines = engines;
        this.clock = clock;
        this.claims = claims;
        this.boot = boot;
    }

    /** {@link #recover()}, tried again while the store is unavailable (the process may start during an outage). */
    public void recoverDurably() {
        Duration pause = Duration.ofMillis(200);
        while (true) {
            try {
                recover();
                return;
            } catch (StoreUnavailableException e) {
                LOG.warn("recovery waits for the store: {}", e.getMessage());
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : pause.multipliedBy(2);
            }
        }
    }

    /** Runs once at start-up. Idempotent: every change is a compare-and-set. */
    public void recover() {
        List<String> local = engines.all().stream().filter(e -> e instanceof LocalEngine).map(e -> e.name()).toList();
        List<String> all = engines.names();
        int failed = 0;
        int requeued = 0;
        for (QueryRecord r : store.findByStates(List.of(QueryState.RUNNING), local, Integer.MAX_VALUE)) {
            if ((r.claimedBy() == null || claims.owns(r.claimedBy())) && beforeBoot(r)) {
                Instant now = clock.instant();
                int run = r.run();
                failed += transitions.apply(r.id(), c -> c.run() == run && c.state() == QueryState.RUNNING
                        ? Optional.of(c.withEnd(QueryState.FAILED, now, interrupted(c, now),
                        QueryError.sluice("SERVER_RESTARTED", "the server restarted while the query was running",
                                Map.of())))
                        : Optional.empty()).filter(QueryTransitions.Outcome::changed).isPresent() ? 1 : 0;
            }
        }
        List<String> remote = engines.all().stream().filter(e -> !(e instanceof LocalEngine)).map(e -> e.name()).toList();
        for (QueryRecord r : store.findByStates(List.of(QueryState.RUNNING), remote, Integer.MAX_VALUE)) {
            // Claimed but stopped before the engine's id was stored: back to QUEUED, so the loop below
            // starts it again. The run's idempotency token makes the engine return the query it may
            // already have started.
            if (r.engineQueryId() == null && claims.owns(r.claimedBy()) && beforeBoot(r)) {
                int run = r.run();
                transitions.apply(r.id(), c -> c.run() == run && c.state() == QueryState.RUNNING
                        && c.engineQueryId() == null ? Optional.of(c.withState(QueryState.QUEUED)) : Optional.empty());
            }
        }
        for (QueryRecord r : store.findByStates(List.of(QueryState.QUEUED), all, Integer.MAX_VALUE)) {
            if (r.engineQueryId() == null && (r.claimedBy() == null || claims.owns(r.claimedBy()))
                    && r.submittedAt().isBefore(boot)) {
                runner.dispatch(r);
                requeued++;
            }
        }
        if (failed + requeued > 0) {
            LOG.info("recovery: {} interrupted local runs marked failed, {} queued runs dispatched again", failed, requeued);
        }
    }

    /** A run of an earlier process: submitted, and if started, started before this process booted. */
    private boolean beforeBoot(QueryRecord r) {
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
