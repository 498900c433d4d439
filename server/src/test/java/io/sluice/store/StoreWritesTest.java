package io.sluice.store;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Group commit on an H2 file: many writes share a commit, each answered once committed, failures stay apart. */
class StoreWritesTest {

    @TempDir
    Path dir;
    Jdbi jdbi;
    StoreWrites writes;

    @BeforeEach
    void open() {
        jdbi = Jdbi.create("jdbc:h2:file:" + dir.resolve("writes") + ";WRITE_DELAY=0", "sa", "");
        jdbi.useHandle(h -> h.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))"));
        writes = StoreWrites.grouped(jdbi);
    }

    @AfterEach
    void close() {
        writes.close();
    }

    @Test
    void concurrentWritesAreAllCommittedInFewerCommitsThanWrites() throws Exception {
        int threads = 16;
        int each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        int id = thread * each + i;
                        int inserted = writes.inTransaction(h -> h.createUpdate("INSERT INTO t VALUES (:id, 'x')")
                                .bind("id", id).execute());
                        assertThat(inserted).isEqualTo(1);
                        // Answered means committed: another connection sees it at once.
                        int seen = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM t WHERE id = :id")
                                .bind("id", id).mapTo(Integer.class).one());
                        assertThat(seen).isEqualTo(1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count()).isEqualTo(threads * each);
        assertThat(writes.commits()).isLessThan(threads * each);
    }

    @Test
    void aFailingWriteIsRolledBackAloneAndItsCallerGetsItsException() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The first write holds the writer, so the next ones wait and go out together in one commit.
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> writes.inTransaction(h -> {
            holding.countDown();
            awaitLatch(release);
            return h.createUpdate("INSERT INTO t VALUES (1, 'first')").execute();
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        long commitsBefore = writes.commits();
        CompletableFuture<Integer> good = CompletableFuture.supplyAsync(() -> writes.inTransaction(h ->
                h.createUpdate("INSERT INTO t VALUES (2, 'good')").execute()));
        CompletableFuture<Integer> clash = CompletableFuture.supplyAsync(() -> writes.inTransaction(h -> {
            h.createUpdate("INSERT INTO t VALUES (3, 'half')").execute();
            return h.createUpdate("INSERT INTO t VALUES (1, 'clash')").execute();
        }));
        CompletableFuture<Integer> after = CompletableFuture.supplyAsync(() -> writes.inTransaction(h ->
                h.createUpdate("INSERT INTO t VALUES (4, 'after')").execute()));
        // All three are queued behind the held write before it goes on.
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.waitingWrites() == 3);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(clash::join).hasCauseInstanceOf(UnableToExecuteStatementException.class);
        assertThat(writes.commits() - commitsBefore).as("the held write's commit, then one for the three").isEqualTo(2);
        List<String> kept = jdbi.withHandle(h -> h.createQuery("SELECT v FROM t ORDER BY id").mapTo(String.class).list());
        assertThat(kept).containsExactly("first", "good", "after");
    }

    @Test
    void aWriteThatWritesAgainIsRefused() {
        assertThatThrownBy(() -> writes.inTransaction(h -> writes.inTransaction(h2 -> 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(count()).isZero();
        // The writer goes on.
        int inserted = writes.inTransaction(h -> h.createUpdate("INSERT INTO t VALUES (9, 'ok')").execute());
        assertThat(inserted).isEqualTo(1);
    }

    @Test
    void concurrentWritesOnADatabaseThatCommitsDurablyRunInTheirOwnTransactions() {
        StoreWrites concurrent = StoreWrites.concurrent(jdbi);
        assertThatThrownBy(() -> concurrent.inTransaction(h -> {
            h.createUpdate("INSERT INTO t VALUES (5, 'rolled back')").execute();
            throw new IllegalArgumentException("no");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(count()).isZero();
        assertThat(concurrent.commits()).isZero();
    }

    private int count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM t").mapTo(Integer.class).one());
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
