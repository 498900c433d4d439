package io.sluice.retention;

import io.sluice.config.SluiceConfig;
import io.sluice.query.QueryRecord;
import io.sluice.result.ResultStore;
import io.sluice.store.LeaseStore;
import io.sluice.store.RetentionStore;
import io.sluice.store.RetentionStore.RunKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Removes what is kept longer than {@code retention.*} says: stored results of runs that ended
 * more than {@code resultDays} ago (the run is marked, so the API can say why the result is gone),
 * and queries whose latest run ended more than {@code historyDays} ago, with all their runs and
 * results. Active queries and queries with an engine stop pending are never removed.
 *
 * <p>Every instance runs a round every {@code intervalMinutes}, but only the holder of the
 * cluster-wide lease {@value #LEASE} does the work; it renews the lease before every batch and stops
 * when it lost it, and gives it up when the round is done. Work goes in batches of {@value #BATCH}
 * rows, one short transaction each, so a large backlog never holds a long transaction. A stored
 * result is deleted before its row is marked or removed: a crash in between leaves a row that the
 * next round visits again, never a result nobody knows of.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    /** The lease's name in the store. */
    public static final String LEASE = "retention";
    /** Rows per batch (and per transaction). */
    public static final int BATCH = 500;

    /** What a round removed: stored results of old runs, and old queries (with their runs and results). */
    public record Round(int results, int queries) {
    }

    private final RetentionStore store;
    private final LeaseStore leases;
    private final ResultStore results;
    private final SluiceConfig.Retention policy;
    private final String instanceId;
    private final Duration leaseLength;
    private final Clock clock;

    /**
     * @param leaseLength how long the lease holds without a renewal; a holder that dies mid-round
     *                    leaves the work to another instance after this long
     */
    public Retention(RetentionStore store, LeaseStore leases, ResultStore results, SluiceConfig.Retention policy,
                     String instanceId, Duration leaseLength, Clock clock) {
        this.store = store;
        this.leases = leases;
        this.results = results;
        this.policy = policy;
        this.instanceId = instanceId;
        this.leaseLength = leaseLength;
        this.clock = clock;
    }

    /** Whether there is anything to do: a result or a history retention is set. */
    public boolean enabled() {
        return policy.resultDays() > 0 || policy.historyDays() > 0;
    }

    /** A timer's round: never throws (a timer task that throws stops), a store outage skips the round. */
    public void run() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("retention round skipped: {}", e.getMessage());
        }
    }

    /**
     * One round, if this instance takes the lease.
     *
     * @return what it removed; empty when another instance holds the lease
     */
    public Optional<Round> runOnce() {
        if (!enabled() || !holdLease()) {
            return Optional.empty();
        }
        try {
            Instant now = clock.instant();
            int removedResults = policy.resultDays() > 0 ? removeResults(now, now.minus(Duration.ofDays(policy.resultDays()))) : 0;
            int removedQueries = policy.historyDays() > 0 ? removeQueries(now.minus(Duration.ofDays(policy.historyDays()))) : 0;
            if (removedResults > 0 || removedQueries > 0) {
                LOG.info("retention removed {} stored result(s) older than {} days and {} query(ies) older than {} days",
                        removedResults, policy.resultDays(), removedQueries, policy.historyDays());
            }
            return Optional.of(new Round(removedResults, removedQueries));
        } finally {
            leases.release(LEASE, instanceId);
        }
    }

    /** Takes or renews the lease. */
    private boolean holdLease() {
        return leases.acquire(LEASE, instanceId, clock.millis(), leaseLength.toMillis());
    }

    private int removeResults(Instant now, Instant endedBefore) {
        int removed = 0;
        while (true) {
            List<RunKey> batch = store.findResultsEndedBefore(endedBefore, BATCH);
            List<RunKey> gone = new ArrayList<>(batch.size());
            for (RunKey run : batch) {
                try {
                    results.delete(run.queryId(), run.run());
                    gone.add(run);
                } catch (IOException e) {
                    LOG.warn("retention could not delete the result of run {} of query {}: {}", run.run(),
                            run.queryId(), e.getMessage());
                }
            }
            store.markResultsRemoved(gone, now);
            removed += gone.size();
            if (batch.size() < BATCH || gone.isEmpty() || !holdLease()) {
                return removed;
            }
        }
    }

    private int removeQueries(Instant endedBefore) {
        int removed = 0;
        while (true) {
            List<QueryRecord> batch = store.findQueriesEndedBefore(endedBefore, BATCH);
            List<QueryRecord> resultsGone = new ArrayList<>(batch.size());
            for (QueryRecord query : batch) {
                if (deleteResults(query)) {
                    resultsGone.add(query);
                }
            }
            int deleted = store.deleteQueries(resultsGone).size();
            removed += deleted;
            if (batch.size() < BATCH || deleted == 0 || !holdLease()) {
                return removed;
            }
        }
    }

    /** Deletes the stored results of every run of a query; false (the query stays for now) if one could not be. */
    private boolean deleteResults(QueryRecord query) {
        try {
            for (int run = 1; run <= query.run(); run++) {
                results.delete(query.id(), run);
            }
            return true;
        } catch (IOException e) {
            LOG.warn("retention could not delete the results of query {}: {}", query.id(), e.getMessage());
            return false;
        }
    }
}
