package io.sluice.datasource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import io.sluice.api.MessageCode;

/**
 * Where a SQLite datasource's file may be: inside one of the configured directories, judged on the
 * real path (normalized, every symbolic link followed), so neither {@code ..} nor a link leads out.
 * The file itself need not exist yet; the folders up to it are resolved as they are now.
 */
public final class SqlitePaths {

    private final List<Path> allowed;

    public SqlitePaths(List<Path> directories) {
        this.allowed = directories.stream().map(SqlitePaths::realOrNormal).toList();
    }

    /**
     * The real path of {@code text}.
     *
     * @throws DatasourceException {@code PATH_NOT_ALLOWED} when it is not absolute, cannot be resolved,
     *                             or is outside every allowed directory
     */
    public Path resolve(String text) {
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            throw refused(text, "is not a valid path");
        }
        if (!path.isAbsolute()) {
            throw refused(text, "must be an absolute path");
        }
        Path real = real(path.normalize(), text);
        if (allowed.stream().noneMatch(real::startsWith) || allowed.contains(real)) {
            throw refused(text, "is outside the directories SQLite files may be in");
        }
        return real;
    }

    private static Path real(Path normalized, String text) {
        // The longest part that exists (a dangling link counts: it must resolve too), then the rest.
        Path existing = normalized;
        Deque<Path> rest = new ArrayDeque<>();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            rest.push(existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            throw refused(text, "cannot be resolved");
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (IOException e) {
            throw refused(text, "cannot be resolved (a link leads nowhere)");
        }
        for (Path part : rest) {
            real = real.resolve(part);
        }
        return real;
    }

    private static Path realOrNormal(Path dir) {
        Path normal = dir.toAbsolutePath().normalize();
        try {
            return normal.toRealPath();
        } catch (IOException e) {
            return normal;
        }
    }

    private static DatasourceException refused(String path, String reason) {
        return new DatasourceException(MessageCode.PATH_NOT_ALLOWED, Map.of("field", "params.path",
                "path", path.length() > 1024 ? path.substring(0, 1024) + "…" : path, "reason", reason));
    }
}
