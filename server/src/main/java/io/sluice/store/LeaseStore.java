package io.sluice.store;

/**
 * Cluster-wide named leases: at most one live instance holds a name (a job such as
 * {@code "retention"}) until its lease expires. Every call may throw
 * {@link StoreUnavailableException}.
 */
public interface LeaseStore {

    /**
     * Takes the lease {@code name} for {@code holder} until {@code now + lengthMillis}: when nobody
     * holds it, its lease has expired ({@code expires_at <= now}), or {@code holder} holds it already
     * (a renewal). Atomic: of instances racing for a free lease exactly one wins.
     *
     * @return whether {@code holder} holds the lease now
     */
    boolean acquire(String name, String holder, long now, long lengthMillis);

    /** Gives the lease up if {@code holder} holds it, so another instance may take it at once. */
    void release(String name, String holder);
}
