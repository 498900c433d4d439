package io.sluice.engine.duckdb;

import io.sluice.engine.Cancellation;
import io.sluice.engine.EngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs statements that write into writable directories within their quotas. One write at a time
 * per directory (so what a write added is known and its quota is not shared by racing writes):
 * it starts only while the directory holds less than its quota; the directory is measured while
 * the statement runs and the statement is interrupted once the quota is passed; a statement that
 * ends over the quota has every file it created or changed removed and fails with
 * {@code WRITE_QUOTA_EXCEEDED}.
 */
final class WriteQuotas implements AutoCloseable {

    /** The engine call that may write; answers what {@code Statement.execute} answers. */
    interface Write<T> {
        T run() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(WriteQuotas.class);
    /** How often a running write's directories are measured: bounds how far a write overshoots. */
    private static final long WATCH_MILLIS = 50;
    private static final long LOCK_POLL_MILLIS = 100;

    private final ScheduledExecutorService watcher;
    private final PathMask mask;

    private WriteQuotas(ScheduledExecutorService watcher, PathMask mask) {
        this.watcher = watcher;
        this.mask = mask;
    }

    /** Starts the watcher thread (daemon); {@link #close()} stops it. */
    static WriteQuotas start(PathMask mask) {
        return new WriteQuotas(Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "duckdb-write-quota");
            t.setDaemon(true);
            return t;
        }), mask);
    }

    /**
     * Runs {@code write} holding the directories it writes into; {@code interrupt} stops the
     * statement (it may run after the statement ended).
     */
    <T> T run(Set<FileAreas.Writable> directories, Runnable interrupt, Cancellation cancellation, Write<T> write)
            throws SQLException, EngineException {
        if (directories.isEmpty()) {
            return write.run();
        }
        List<FileAreas.Writable> ordered = directories.stream()
                .sorted(Comparator.comparing(w -> w.path().toString())).toList(); // one lock order: no deadlock
        List<FileAreas.Writable> held = new ArrayList<>();
        try {
            for (FileAreas.Writable w : ordered) {
                lock(w, cancellation);
                held.add(w);
            }
            Map<FileAreas.Writable, Map<Path, FileState>> before = new LinkedHashMap<>();
            for (FileAreas.Writable w : ordered) {
                Map<Path, FileState> files = files(w.path());
                long used = used(files);
                if (used >= w.quotaBytes()) {
                    throw exceeded(w, used, false);
                }
                before.put(w, files);
            }
            return watched(ordered, before, interrupt, write);
        } finally {
            held.forEach(w -> w.lock().unlock());
        }
    }

    /** A directory found over its quota, with what it held then. */
    private record Over(FileAreas.Writable directory, long usedBytes) {
    }

    private <T> T watched(List<FileAreas.Writable> directories, Map<FileAreas.Writable, Map<Path, FileState>> before,
                          Runnable interrupt, Write<T> write) throws SQLException, EngineException {
        AtomicReference<Over> over = new AtomicReference<>();
        ScheduledFuture<?> watch = watcher.scheduleWithFixedDelay(() -> {
            Over found = firstOver(directories);
            if (found != null) {
                over.compareAndSet(null, found);
                interrupt.run();
            }
        }, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        T result;
        try {
            result = write.run();
        } catch (SQLException e) {
            watch.cancel(false);
            Over found = over.get() != null ? over.get() : firstOver(directories);
            if (found != null) {
                throw removeWritten(found, before);
            }
            throw e;
        } finally {
            watch.cancel(false);
        }
        Over found = over.get() != null ? over.get() : firstOver(directories);
        if (found != null) {
            throw removeWritten(found, before);
        }
        return result;
    }

    private EngineException removeWritten(Over over, Map<FileAreas.Writable, Map<Path, FileState>> before) {
        before.forEach(WriteQuotas::remove);
        return exceeded(over.directory(), over.usedBytes(), true);
    }

    private static Over firstOver(List<FileAreas.Writable> directories) {
        for (FileAreas.Writable w : directories) {
            long used = used(files(w.path()));
            if (used > w.quotaBytes()) {
                return new Over(w, used);
            }
        }
        return null;
    }

    /** Removes files created or changed since {@code before}, then the folders created since. */
    private static void remove(FileAreas.Writable w, Map<Path, FileState> before) {
        Map<Path, FileState> now = files(w.path());
        now.forEach((path, state) -> {
            if (state != null && !state.equals(before.get(path))) {
                delete(path);
            }
        });
        now.keySet().stream().filter(path -> now.get(path) == null && !before.containsKey(path))
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                .forEach(WriteQuotas::deleteIfEmpty);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("removing a file over the write quota failed: {}", e.getMessage());
        }
    }

    private static void deleteIfEmpty(Path folder) {
        try (var entries = Files.list(folder)) {
            if (entries.findAny().isEmpty()) {
                Files.deleteIfExists(folder);
            }
        } catch (IOException e) {
            LOG.warn("removing a folder over the write quota failed: {}", e.getMessage());
        }
    }

    private EngineException exceeded(FileAreas.Writable w, long used, boolean removed) {
        String directory = mask.apply(w.path().toString());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("directory", directory);
        details.put("quotaBytes", w.quotaBytes());
        details.put("usedBytes", used);
        details.put("removed", removed);
        return DuckDbErrors.sluice("WRITE_QUOTA_EXCEEDED", EngineException.Kind.INSUFFICIENT_RESOURCES,
                "the write into " + directory + " passes its quota of " + w.quotaBytes() + " bytes (" + used
                        + " bytes used)" + (removed ? "; what the statement wrote was removed" : ""), details);
    }

    private static void lock(FileAreas.Writable w, Cancellation cancellation) throws EngineException {
        try {
            while (!w.lock().tryLock(LOCK_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (cancellation.isCancelled()) {
                    throw DuckDbErrors.cancelled();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DuckDbErrors.cancelled();
        }
    }

    /** Size and modification time: a file whose state changed was written by the statement. */
    private record FileState(long size, FileTime modified) {
    }

    /** Every file and folder under {@code dir} (folders with a null state), not following links. */
    private static Map<Path, FileState> files(Path dir) {
        Map<Path, FileState> files = new HashMap<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    files.put(d, null);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        files.put(file, new FileState(attrs.size(), attrs.lastModifiedTime()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // a file removed while walking (a write's temporary file)
                }
            });
        } catch (IOException e) {
            LOG.warn("measuring {} failed: {}", dir, e.getMessage());
        }
        return files;
    }

    private static long used(Map<Path, FileState> files) {
        return files.values().stream().filter(Objects::nonNull).mapToLong(FileState::size).sum();
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
