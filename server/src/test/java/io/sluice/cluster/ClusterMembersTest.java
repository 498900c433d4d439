package io.sluice.cluster;

import io.sluice.store.InstanceStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who is dead, as one instance sees it, on its own monotonic clock: an instance whose heartbeat
 * stops for its lease (a tenth of a second later is still alive), one whose row is gone, never one
 * that keeps beating; without a cluster an earlier process is dead after three missed heartbeats.
 */
class ClusterMembersTest {

    /** Instance rows in memory: the unit under test is the liveness view, not the SQL. */
    static final class Rows implements InstanceStore {
        final Map<String, Instance> rows = new LinkedHashMap<>();

        @Override
        public synchronized void register(String id, long leaseMillis, long now) {
            rows.put(id, new Instance(id, 0, leaseMillis, now, now));
        }

        @Override
        public synchronized void beat(String id, long leaseMillis, long now) {
            Instance r = rows.get(id);
            rows.put(id, new Instance(id, r == null ? 0 : r.beat() + 1, leaseMillis, now, now));
        }

        @Override
        public synchronized void remove(String id) {
            rows.remove(id);
        }

        @Override
        public synchronized List<Instance> all() {
            return new ArrayList<>(rows.values());
        }
    }

    private final Rows rows = new Rows();
    private final AtomicLong nanos = new AtomicLong();

    private ClusterMembers member(String id, boolean clustered) {
        return new ClusterMembers(rows, id, Duration.ofSeconds(30), clustered, Clock.systemUTC(), nanos::get);
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void anInstanceIsDeadOnlyOnceItsHeartbeatStoppedForItsLease() {
        ClusterMembers a = member("a", true);
        ClusterMembers b = member("b", true);
        a.join();
        b.join();
        assertThat(b.isDead("a")).isFalse();
        assertThat(b.liveCount()).isEqualTo(2);
        for (int i = 0; i < 100; i++) { // a beats every second for 100 s
            advance(Duration.ofSeconds(1));
            a.beat();
            b.beat();
        }
        assertThat(b.isDead("a")).isFalse();
        advance(Duration.ofSeconds(29)); // a stops beating
        b.beat();
        assertThat(b.isDead("a")).isFalse();
        advance(Duration.ofSeconds(1));
        b.beat();
        assertThat(b.isDead("a")).isTrue();
        assertThat(b.liveCount()).isEqualTo(1);
        assertThat(b.isDead("b")).as("never dead to itself").isFalse();
    }

    @Test
    void anInstanceThatLeftOrWasNeverSeenIsDeadAtOnce() {
        ClusterMembers a = member("a", true);
        ClusterMembers b = member("b", true);
        a.join();
        b.join();
        a.leave();
        b.beat();
        assertThat(b.isDead("a")).isTrue();
        assertThat(b.isDead("never-registered")).isTrue();
        assertThat(b.isDead(null)).isTrue();
    }

    @Test
    void withoutAClusterAnEarlierProcessIsDeadAfterThreeMissedHeartbeatsButABeatingOneNever() {
        ClusterMembers earlier = member("earlier", false);
        earlier.join(); // then it dies
        ClusterMembers other = member("other", false);
        other.join(); // a second live instance, wrongly configured
        ClusterMembers me = member("me", false);
        me.join();
        for (int i = 0; i < 3; i++) {
            advance(me.heartbeatInterval());
            other.beat();
            me.beat();
        }
        assertThat(me.isDead("earlier")).isTrue();
        assertThat(me.isDead("other")).isFalse();
        assertThat(me.liveCount()).as("a single instance keeps the whole poll budget").isEqualTo(1);
    }

    @Test
    void aLookBetweenBeatsTellsWhenAnInstanceDiedOrLeftOnlyOnce() {
        ClusterMembers a = member("a", true);
        ClusterMembers b = member("b", true);
        ClusterMembers c = member("c", true);
        a.join();
        b.join();
        c.join();
        assertThat(b.observeInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(b.observe()).as("everyone alive").isFalse();
        advance(Duration.ofSeconds(29)); // a stops beating
        c.beat();
        assertThat(b.observe()).isFalse();
        advance(Duration.ofSeconds(1));
        c.beat();
        assertThat(b.observe()).as("a's lease ran out").isTrue();
        assertThat(b.isDead("a")).isTrue();
        assertThat(b.observe()).as("already known dead").isFalse();
        c.leave();
        assertThat(b.observe()).as("c left").isTrue();
        assertThat(b.isDead("c")).isTrue();
        assertThat(b.observe()).isFalse();
    }
}
