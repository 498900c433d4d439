package io.sluice.query;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FairWorkQueueTest {

    private static FairWorkQueue.Job job(String owner, int n) {
        return new FairWorkQueue.Job(owner + "-" + n, 1, owner, () -> { });
    }

    @Test
    void usersTakeTurnsWhateverTheOrderOfTheirSubmissions() throws InterruptedException {
        FairWorkQueue queue = new FairWorkQueue(10);
        for (int i = 0; i < 4; i++) {
            queue.add(job("alice", i));
        }
        queue.add(job("bob", 0));
        queue.add(job("bob", 1));
        queue.add(job("carol", 0));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            FairWorkQueue.Job taken = queue.take();
            order.add(taken.queryId());
            queue.done(taken);
        }
        assertThat(order).containsExactly("alice-0", "bob-0", "carol-0", "alice-1", "bob-1", "alice-2", "alice-3");
    }

    @Test
    void aUserAtTheRunningLimitWaitsWhileOthersGoAhead() throws Exception {
        FairWorkQueue queue = new FairWorkQueue(1);
        queue.add(job("alice", 0));
        queue.add(job("alice", 1));
        queue.add(job("bob", 0));
        FairWorkQueue.Job first = queue.take();
        assertThat(first.queryId()).isEqualTo("alice-0");
        assertThat(queue.take().queryId()).isEqualTo("bob-0");
        CompletableFuture<FairWorkQueue.Job> next = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // Alice holds her one slot: her second run does not start, however long we look.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !next.isDone());
        queue.done(first);
        assertThat(next.get(10, TimeUnit.SECONDS).queryId()).isEqualTo("alice-1");
    }

    @Test
    void aRunIsHeldOnceUntilItIsDone() throws InterruptedException {
        FairWorkQueue queue = new FairWorkQueue(5);
        assertThat(queue.add(job("alice", 0))).isTrue();
        assertThat(queue.add(job("alice", 0))).isFalse();
        FairWorkQueue.Job taken = queue.take();
        assertThat(queue.add(job("alice", 0))).as("still running").isFalse();
        queue.done(taken);
        assertThat(queue.add(job("alice", 0))).isTrue();
        assertThat(queue.waitingCount()).isEqualTo(1);
    }

    @Test
    void closingReleasesBlockedWorkers() throws Exception {
        FairWorkQueue queue = new FairWorkQueue(1);
        CompletableFuture<Boolean> interrupted = CompletableFuture.supplyAsync(() -> {
            try {
                queue.take();
                return false;
            } catch (InterruptedException e) {
                return true;
            }
        });
        queue.close();
        assertThat(interrupted.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(queue.add(job("alice", 0))).isFalse();
    }
}
