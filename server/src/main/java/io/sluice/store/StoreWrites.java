package io.sluice.store;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * How the store's writes run. On an H2 file they run one at a time: H2's storage engine can
 * acknowledge a commit made while another thread's commit is being written before the first one
 * reaches the file, and a process killed right then loses a change that was already answered
 * 202/200 (seen under load in the crash tests). One writer at a time makes every commit write its
 * own changes before it returns. PostgreSQL and MySQL/MariaDB commit durably on their own, and
 * their writes run concurrently.
 */
public final class StoreWrites {

    private static final StoreWrites CONCURRENT = new StoreWrites(null);

    private final ReentrantLock lock;

    private StoreWrites(ReentrantLock lock) {
        this.lock = lock;
    }

    /** Writes one at a time (an H2 file). */
    public static StoreWrites serialized() {
        return new StoreWrites(new ReentrantLock(true));
    }

    /** Writes as they come (a database that commits durably on its own, or an in-memory one). */
    public static StoreWrites concurrent() {
        return CONCURRENT;
    }

    public <T> T run(Supplier<T> write) {
        if (lock == null) {
            return write.get();
        }
        lock.lock();
        try {
            return write.get();
        } finally {
            lock.unlock();
        }
    }
}
