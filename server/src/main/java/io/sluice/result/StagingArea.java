package io.sluice.result;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The local folder where a store's writers stream results before publishing them, and where
 * deletions go to disappear at once. Several Sluice instances may share it (a results folder on a
 * shared filesystem): every name in it starts with {@code <instanceId>@}, and {@link #sweep}
 * removes only this instance's leftovers, never another instance's writes in progress.
 */
final class StagingArea {

    /** Instance ids as the configuration allows them; never holding the separator or a path character. */
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String SEPARATOR = "@";

    private final Path dir;
    private final String prefix;
    private final Set<Path> writing = ConcurrentHashMap.newKeySet();

    StagingArea(Path dir, String instanceId) throws IOException {
        if (instanceId == null || !INSTANCE_ID.matcher(instanceId).matches()) {
            throw new IllegalArgumentException("instanceId must be 1..64 letters, digits, '.', '_' or '-'");
        }
        this.dir = dir;
        this.prefix = instanceId + SEPARATOR;
        Files.createDirectories(dir);
    }

    /** The area's folder (shared with other instances). */
    Path dir() {
        return dir;
    }

    /** A new, empty directory for one writer of {@code queryId}'s run {@code run}. */
    Path newWrite(String queryId, int run) throws IOException {
        Files.createDirectories(dir);
        Path write = Files.createDirectory(dir.resolve(prefix + queryId + "." + run + "." + UUID.randomUUID()));
        writing.add(write);
        return write;
    }

    /**
     * A folder of this instance for scratch files that live as long as the process (the result
     * store's DuckDB spills there): kept by {@link #sweep()} while this area lives, swept at the next start.
     */
    Path scratch(String name) {
        Path scratch = dir.resolve(prefix + name);
        writing.add(scratch);
        return scratch;
    }

    /** A fresh name in the area for something about to be deleted. */
    Path newTrash() {
        return dir.resolve(prefix + "deleted." + UUID.randomUUID());
    }

    /** {@code write} was moved out of the area (published). */
    void published(Path write) {
        writing.remove(write);
    }

    /** Deletes a writer's directory and forgets it. */
    void discard(Path write) {
        try {
            deleteTree(write);
        } catch (IOException e) {
            // left for sweep() at the next start
        } finally {
            writing.remove(write);
        }
    }

    /**
     * Deletes this instance's leftovers: writes and deletions a crash interrupted. Call at
     * start-up; this store's own writes in progress and every other instance's entries are kept.
     *
     * @return the number of entries removed
     */
    int sweep() throws IOException {
        int removed = 0;
        Files.createDirectories(dir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path entry : entries) {
                if (!writing.contains(entry)) {
                    deleteTree(entry);
                    removed++;
                }
            }
        }
        return removed;
    }

    static void deleteTree(Path dir) throws IOException {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        }
    }
}
