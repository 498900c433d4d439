package io.sluice.engine.duckdb;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The folders SQL may touch: the allowed directories it may read, and the writable directories it
 * may also write into, each with its quota. File names in SQL resolve as DuckDB resolves them:
 * against the working directory.
 */
final class FileAreas {

    /** A writable directory; its lock lets one write statement at a time measure and clean it. */
    record Writable(Path path, long quotaBytes, ReentrantLock lock) {
    }

    private final Path workingDirectory;
    private final List<Path> allowed;
    private final List<Writable> writable;

    FileAreas(Path workingDirectory, List<Path> allowed, List<DuckDbSettings.WritableDirectory> writable) {
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
        this.allowed = allowed.stream().map(this::absolute).toList();
        this.writable = writable.stream()
                .map(w -> new Writable(absolute(w.path()), w.quotaBytes(), new ReentrantLock())).toList();
    }

    Path workingDirectory() {
        return workingDirectory;
    }

    /** Every folder SQL may read: the allowed directories and the writable ones. */
    List<Path> readable() {
        List<Path> all = new ArrayList<>(allowed);
        writable.forEach(w -> all.add(w.path()));
        return List.copyOf(all);
    }

    List<Writable> writable() {
        return writable;
    }

    /**
     * The absolute path a file name in SQL means, or empty when Sluice cannot tell for sure
     * (blank, a URL, a home-relative {@code ~} name, or not a path at all).
     */
    Optional<Path> resolve(String name) {
        if (name == null || name.isBlank() || name.startsWith("~") || name.contains("://") || name.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(workingDirectory.resolve(name).normalize());
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * The writable directory that holds {@code target}, also when symbolic links are followed
     * (a link inside a writable directory must not lead a write out of it).
     */
    Optional<Writable> writableHolding(Path target) {
        for (Writable w : writable) {
            if (target.startsWith(w.path()) && staysInside(target, w.path())) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code path} lies in a folder SQL may read. */
    boolean inReadable(Path path) {
        return readable().stream().anyMatch(path::startsWith);
    }

    /** Whether {@code path} lies in a writable directory, where users may have written its files. */
    boolean inWritable(Path path) {
        return writable.stream().anyMatch(w -> path.startsWith(w.path()) || realPath(path).startsWith(realPath(w.path())));
    }

    private static boolean staysInside(Path target, Path dir) {
        Path existing = target;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && realPath(existing).startsWith(realPath(dir));
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    private Path absolute(Path path) {
        return workingDirectory.resolve(path).normalize();
    }
}
