package io.sluice.query;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The local runs waiting for a worker, handed out fairly: users take turns (round robin over the
 * users with waiting runs, each user's runs in submission order), and no user has more than
 * {@code maxRunningPerUser} runs on the workers at once, so one user's backlog or long queries
 * never keep everyone else's waiting. A run is held once: adding a run that is already waiting or
 * running changes nothing (recovery and a submit may both dispatch it).
 *
 * <p>Thread-safe; workers block in {@link #take} until a run may start.
 */
final class FairWorkQueue {

    /** One run waiting for (or holding) a worker. */
    record Job(String queryId, int run, String owner, Runnable work) {
        String key() {
            return queryId + "#" + run;
        }
    }

    private final int maxRunningPerUser;
    /** Waiting runs per user; the map's order is the turn order. */
    private final LinkedHashMap<String, ArrayDeque<Job>> waiting = new LinkedHashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private final Set<String> held = new HashSet<>();
    private boolean closed;

    FairWorkQueue(int maxRunningPerUser) {
        if (maxRunningPerUser < 1) {
            throw new IllegalArgumentException("maxRunningPerUser must be at least 1");
        }
        this.maxRunningPerUser = maxRunningPerUser;
    }

    /** Queues a run; false if the same run is already waiting or running, or the queue is closed. */
    synchronized boolean add(Job job) {
        if (closed || !held.add(job.key())) {
            return false;
        }
        waiting.computeIfAbsent(job.owner(), o -> new ArrayDeque<>()).addLast(job);
        notifyAll();
        return true;
    }

    /**
     * The next run a worker may start: the first user in turn order below the running limit gives
     * its oldest run and goes to the back of the turn order. Blocks until there is one.
     *
     * @throws InterruptedException when interrupted or {@link #close closed}
     */
    synchronized Job take() throws InterruptedException {
        while (true) {
            if (closed) {
                throw new InterruptedException("the work queue is closed");
            }
            Iterator<Map.Entry<String, ArrayDeque<Job>>> turns = waiting.entrySet().iterator();
            while (turns.hasNext()) {
                Map.Entry<String, ArrayDeque<Job>> turn = turns.next();
                String owner = turn.getKey();
                if (running.getOrDefault(owner, 0) >= maxRunningPerUser) {
                    continue;
                }
                Job job = turn.getValue().pollFirst();
                turns.remove();
                if (!turn.getValue().isEmpty()) {
                    waiting.put(owner, turn.getValue()); // to the back of the turn order
                }
                running.merge(owner, 1, Integer::sum);
                return job;
            }
            wait();
        }
    }

    /** A worker finished a run it took: its user may start another. */
    synchronized void done(Job job) {
        held.remove(job.key());
        running.computeIfPresent(job.owner(), (o, n) -> n <= 1 ? null : n - 1);
        notifyAll();
    }

    /** Runs waiting (not yet taken), for tests and metrics. */
    synchronized int waitingCount() {
        return waiting.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    /** Wakes and stops every worker blocked in {@link #take}; later adds are ignored. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
