package io.sluice.query;

import io.sluice.cluster.ClusterMembers;
import io.sluice.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * Start-up recovery: no submitted query is lost. The runs this instance's id owned in its previous
 * process (a restart with the same configured {@code server.instanceId}) and runs stored without an
 * owner by older versions are taken over at once, as {@link RunTakeover} describes, and so are the
 * runs of every other owner that is dead: without a cluster all of them (earlier processes), in a
 * cluster those whose lease has run out (see {@link ClusterMembers}).
 *
 * <p>It runs while the server already answers requests, so it touches only runs of earlier
 * processes: those submitted (and, for running ones, started) before this process's boot.
 */
public final class QueryRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(QueryRecovery.class);

    private final RunTakeover takeover;
    private final ClusterMembers members;
    private final Instant boot;

    /** @param boot when this process started: later runs are its own, not recovery's */
    public QueryRecovery(RunTakeover takeover, ClusterMembers members, Instant boot) {
        this.takeover = takeover;
        this.members = members;
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

    /** Runs once at start-up. Idempotent: every change is a lifecycle event with a compare-and-set. */
    public void recover() {
        int taken = takeover.takeOverPrevious(boot);
        if (taken > 0) {
            LOG.info("recovery: {} runs of the previous process taken over", taken);
        }
        // Owners already known dead (rows gone); the others are judged by the heartbeat.
        takeover.takeOverDead(members::isDead).forEach(members::forget);
    }
}
