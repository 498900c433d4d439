package io.sluice.store;

import java.util.List;

/**
 * The live Sluice instances sharing one store: each keeps a row alive with a heartbeat. Every call
 * may throw {@link StoreUnavailableException}.
 */
public interface InstanceStore {

    /** One instance's row: its heartbeat counter, its lease, when it started and last beat (its own clock). */
    record Instance(String id, long beat, long leaseMillis, long startedAt, long heartbeatAt) {
    }

    /** Adds this instance's row, or replaces a stale one with the same id (a restart). */
    void register(String id, long leaseMillis, long now);

    /** Counts the beat up; re-adds the row if another instance removed it (it took this one for dead). */
    void beat(String id, long leaseMillis, long now);

    /** Removes an instance's row: a graceful stop, or the takeover of a dead instance is done. */
    void remove(String id);

    List<Instance> all();
}
