package io.sluice.cluster;

import io.sluice.store.InstanceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * This instance's membership of the cluster, and its view of the others. It keeps its own row in
 * the store alive with a heartbeat ({@link #beat}); another instance is dead when its row is gone
 * (a graceful stop) or its beat has not moved for its lease, as measured by this instance's own
 * monotonic clock — so clocks of different machines never need to agree.
 *
 * <p>A single instance ({@code cluster.enabled: false}) expects to be alone: every other owner of a
 * run is an earlier process of this one (whose id, generated at start, differs). It does not wait
 * for their lease, only for three heartbeats without a beat, so a restart takes the runs over
 * within seconds. Another instance whose heartbeat does move is alive whatever the mode (its runs
 * are never taken), and is reported: instances sharing a store need {@code cluster.enabled}.
 *
 * <p>Thread-safe: the heartbeat thread updates the view, every other thread reads it.
 */
public final class ClusterMembers {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembers.class);

    private final InstanceStore store;
    private final String instanceId;
    private final Duration lease;
    private final boolean clustered;
    private final Clock clock;
    private final LongSupplier nanos;
    /** Per other instance: the beat last seen, and when (monotonic nanos) it last moved. */
    private final Map<String, Seen> seen = new HashMap<>();
    private final java.util.Set<String> warnedAbout = new java.util.HashSet<>();
    private volatile Map<String, Boolean> dead = Map.of();
    private volatile int live = 1;

    private record Seen(long beat, long movedAtNanos, long leaseMillis) {
    }

    /** @param clustered whether other live instances may share the store ({@code cluster.enabled}) */
    public ClusterMembers(InstanceStore store, String instanceId, Duration lease, boolean clustered, Clock clock,
                          LongSupplier nanos) {
        this.store = store;
        this.instanceId = instanceId;
        this.lease = lease;
        this.clustered = clustered;
        this.clock = clock;
        this.nanos = nanos;
    }

    public ClusterMembers(InstanceStore store, String instanceId, Duration lease, boolean clustered, Clock clock) {
        this(store, instanceId, lease, clustered, clock, System::nanoTime);
    }

    public String instanceId() {
        return instanceId;
    }

    public Duration lease() {
        return lease;
    }

    /**
     * How often {@link #beat} should run: a twentieth of the lease, between 100 ms and 500 ms. Each
     * beat also looks for dead instances, so a dead one's runs are taken over within its lease plus
     * about one beat (a beat is one small UPDATE and one SELECT).
     */
    public Duration heartbeatInterval() {
        long millis = Math.max(100, Math.min(500, lease.toMillis() / 20));
        return Duration.ofMillis(millis);
    }

    /** Adds this instance's row (start-up, before it takes any work). */
    public void join() {
        store.register(instanceId, lease.toMillis(), clock.millis());
        refresh();
    }

    /** Renews this instance's lease and refreshes the view of the others. */
    public synchronized void beat() {
        store.beat(instanceId, lease.toMillis(), clock.millis());
        refresh();
    }

    /** Gives up this instance's leases at once (a graceful stop): the others take its runs over. */
    public void leave() {
        store.remove(instanceId);
    }

    /**
     * Whether {@code owner} is dead: no row, or a beat that has not moved for its lease. This
     * instance is never dead to itself; an owner this instance has not seen yet counts as dead only
     * when it has no row.
     */
    public boolean isDead(String owner) {
        if (owner == null) {
            return true;
        }
        if (owner.equals(instanceId)) {
            return false;
        }
        return dead.getOrDefault(owner, Boolean.TRUE);
    }

    /** Live instances, this one included: they share the engines' call budgets. */
    public int liveCount() {
        return clustered ? live : 1;
    }

    /** Removes the row of a dead instance whose runs have all been taken over. */
    public synchronized void forget(String owner) {
        if (!owner.equals(instanceId) && isDead(owner)) {
            store.remove(owner);
            seen.remove(owner);
            LOG.info("instance {} is gone; its runs were taken over", owner);
        }
    }

    /** How often {@link #observe} should run: looking costs one SELECT of a tiny table. */
    public Duration observeInterval() {
        return Duration.ofMillis(Math.min(100, heartbeatInterval().toMillis()));
    }

    /**
     * Looks at the other instances' heartbeats between this instance's own beats, so that one whose
     * lease ran out (or that left) is noticed within this interval rather than within a beat.
     *
     * @return whether an instance died or left since the last look: its runs are to be taken over now
     */
    public boolean observe() {
        return refresh();
    }

    /** Reads every instance's row; whether one died or left since the last look. */
    private synchronized boolean refresh() {
        long now = nanos.getAsLong();
        List<InstanceStore.Instance> rows = store.all();
        Map<String, Boolean> view = new HashMap<>();
        Map<String, Seen> current = new HashMap<>();
        int alive = 1;
        boolean changed = false;
        for (InstanceStore.Instance row : rows) {
            if (row.id().equals(instanceId)) {
                continue;
            }
            Seen before = seen.get(row.id());
            Seen after = before == null || before.beat() != row.beat()
                    ? new Seen(row.beat(), now, row.leaseMillis())
                    : before;
            current.put(row.id(), after);
            long patience = clustered ? after.leaseMillis() : heartbeatInterval().toMillis() * 3;
            boolean stale = now - after.movedAtNanos() >= Duration.ofMillis(patience).toNanos();
            if (!clustered && before != null && before.beat() != row.beat() && warnedAbout.add(row.id())) {
                LOG.warn("another Sluice instance ({}) uses this store while cluster.enabled is false here: "
                        + "instances that share a store must all set cluster.enabled", row.id());
            }
            if (stale && !Boolean.TRUE.equals(dead.get(row.id()))) {
                LOG.warn("instance {} missed its heartbeats for its lease of {} ms: its runs are taken over",
                        row.id(), after.leaseMillis());
                changed = true;
            }
            view.put(row.id(), stale);
            if (!stale) {
                alive++;
            }
        }
        for (String known : dead.keySet()) {
            changed |= !view.containsKey(known);
        }
        seen.clear();
        seen.putAll(current);
        dead = Map.copyOf(view);
        live = alive;
        return changed;
    }
}
