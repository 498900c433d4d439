package io.sluice.query;

import java.util.Objects;

/**
 * Which claims in the store are this process's. A claim ({@code claimedBy}) carries the instance
 * id of the process that made it, and every process has an id of its own unless one is
 * configured, so a restarted instance finds its earlier runs under another id. Without a cluster
 * there is only one instance: every claim is its own. In a cluster only claims with its own id are.
 */
public record InstanceClaims(String instanceId, boolean clustered) {

    public InstanceClaims {
        Objects.requireNonNull(instanceId, "instanceId");
    }

    /** Whether a run claimed by {@code claimedBy} (null: unclaimed) is this process's to recover and poll. */
    public boolean owns(String claimedBy) {
        return claimedBy != null && (!clustered || instanceId.equals(claimedBy));
    }
}
