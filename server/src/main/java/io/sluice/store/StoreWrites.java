package io.sluice.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way the store writes: each write is a transaction, answered only once it is committed.
 *
 * <p>On PostgreSQL and MySQL/MariaDB (which commit durably on their own) and in-memory H2, writes
 * run concurrently, each in its own transaction. On an H2 file they go through one writer thread,
 * with <em>group commit</em>: H2's storage engine can acknowledge a commit made while another
 * thread's commit is being written before the first one reaches the file, so a process killed right
 * then would lose a change already answered 202/200 (seen under load in the crash tests). The writer
 * takes every write waiting (up to {@value #MAX_GROUP}), runs each under its own savepoint in one
 * transaction (a write that fails is rolled back alone and its caller gets its exception), commits
 * once, and only then answers every caller. One commit at a time keeps each commit on file before
 * it returns, and one commit for many writes keeps the write rate of a busy gateway well above what
 * one commit per write allows.
 */
public final class StoreWrites implements AutoCloseable {

    /** Most writes one group commit carries: bounds how long the first write of a group waits. */
    static final int MAX_GROUP = 256;
    private static final Logger LOG = LoggerFactory.getLogger(StoreWrites.class);

    private final Jdbi jdbi;
    private final BlockingQueue<Write<?>> waiting;
    private final Thread writer;
    private final AtomicLong commits = new AtomicLong();

    private StoreWrites(Jdbi jdbi, boolean grouped) {
        this.jdbi = jdbi;
        if (grouped) {
            this.waiting = new LinkedBlockingQueue<>();
            this.writer = new Thread(this::writeGroups, "sluice-store-writer");
            writer.setDaemon(true);
            writer.start();
        } else {
            this.waiting = null;
            this.writer = null;
        }
    }

    /** Writes through one writer thread, grouped into shared commits (an H2 file). */
    public static StoreWrites grouped(Jdbi jdbi) {
        return new StoreWrites(jdbi, true);
    }

    /** Writes as they come, each in its own transaction (a database that commits durably on its own). */
    public static StoreWrites concurrent(Jdbi jdbi) {
        return new StoreWrites(jdbi, false);
    }

    /**
     * Runs {@code work} in a transaction and returns once it is committed. Work must only use the
     * handle it is given (it may run on the writer thread, next to other callers' work) and must not
     * write through this object again.
     *
     * @throws RuntimeException what {@code work} threw (its changes rolled back), or what the commit threw
     */
    public <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
        if (writer == null) {
            return jdbi.inTransaction(work);
        }
        if (Thread.currentThread() == writer) {
            throw new IllegalStateException("a store write must not write through the store again");
        }
        Write<T> write = new Write<>(work);
        waiting.add(write);
        try {
            return write.done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private void writeGroups() {
        List<Write<?>> group = new ArrayList<>();
        while (true) {
            try {
                group.add(waiting.take());
            } catch (InterruptedException e) {
                failAll(new IllegalStateException("the store is closed"));
                return;
            }
            waiting.drainTo(group, MAX_GROUP - 1);
            commit(group);
            group.clear();
        }
    }

    /** One transaction for the whole group; every write answered after the commit. */
    private void commit(List<Write<?>> group) {
        List<Runnable> answers = new ArrayList<>(group.size());
        try (Handle h = jdbi.open()) {
            h.begin();
            try {
                if (group.size() == 1) {
                    answers.add(group.get(0).run(h));
                } else {
                    for (int i = 0; i < group.size(); i++) {
                        answers.add(runUnderSavepoint(h, "w" + i, group.get(i)));
                    }
                }
                h.commit();
                commits.incrementAndGet();
            } catch (RuntimeException | Error e) {
                rollBack(h);
                throw e;
            }
        } catch (RuntimeException | Error e) {
            // Nothing of the group is committed: every writer gets the failure (a lone write, its own).
            group.forEach(w -> w.done.completeExceptionally(e));
            return;
        }
        answers.forEach(Runnable::run);
    }

    /** Runs one write of a group; a failure rolls back its changes alone and becomes its answer. */
    private static Runnable runUnderSavepoint(Handle h, String name, Write<?> write) {
        h.savepoint(name);
        try {
            Runnable answer = write.run(h);
            h.release(name);
            return answer;
        } catch (RuntimeException | Error e) {
            h.rollbackToSavepoint(name);
            return () -> write.done.completeExceptionally(e);
        }
    }

    private static void rollBack(Handle h) {
        try {
            h.rollback();
        } catch (RuntimeException e) {
            LOG.debug("rollback after a failed group commit failed too: {}", e.getMessage());
        }
    }

    private void failAll(RuntimeException e) {
        List<Write<?>> left = new ArrayList<>();
        waiting.drainTo(left);
        left.forEach(w -> w.done.completeExceptionally(e));
    }

    /** Writes queued for the writer, not yet taken (grouped writes only). */
    int waitingWrites() {
        return waiting == null ? 0 : waiting.size();
    }

    /** Group commits made so far (grouped writes only): how many writes shared a commit shows here. */
    long commits() {
        return commits.get();
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A caller's work and its answer, given once the commit that carried it returned. */
    private static final class Write<T> {
        final HandleCallback<T, RuntimeException> work;
        final CompletableFuture<T> done = new CompletableFuture<>();

        Write(HandleCallback<T, RuntimeException> work) {
            this.work = work;
        }

        /** Runs the work; what to answer once committed. */
        Runnable run(Handle h) {
            T result = work.withHandle(h);
            return () -> done.complete(result);
        }
    }
}
