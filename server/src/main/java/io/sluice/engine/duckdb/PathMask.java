package io.sluice.engine.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hides the server's absolute paths in what the engine shows users: error messages, result values
 * and catalog answers. A user needs to know which file is meant, not where the server keeps it.
 *
 * <p>A known folder (an allowed or writable directory, the database file and its folder, DuckDB's
 * temporary directory) shows as its path relative to the working directory when it lies inside
 * it ({@code data/files/in.csv}, which is also how SQL may name it), else as its own name
 * ({@code files/in.csv}). The working directory itself shows as {@code .} and the user's home as
 * {@code ~}. The longest known path wins; a path counts only as a whole name ({@code /srv/files2}
 * is not {@code /srv/files}).
 */
final class PathMask {

    private record Entry(String prefix, String display) {
    }

    private final List<Entry> entries;

    private PathMask(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * @param workingDirectory the directory relative paths resolve against
     * @param home             the user's home directory, or null
     * @param known            the folders and files to show relative to the working directory or by name
     */
    static PathMask of(Path workingDirectory, Path home, List<Path> known) {
        Path cwd = workingDirectory.toAbsolutePath().normalize();
        Map<String, String> displays = new LinkedHashMap<>();
        for (Path path : known) {
            Path p = path.toAbsolutePath().normalize();
            String display = p.startsWith(cwd) && !p.equals(cwd) ? cwd.relativize(p).toString()
                    : p.getFileName() == null ? p.toString() : p.getFileName().toString();
            add(displays, p, display);
        }
        add(displays, cwd, ".");
        if (home != null) {
            add(displays, home.toAbsolutePath().normalize(), "~");
        }
        List<Entry> entries = new ArrayList<>();
        displays.forEach((prefix, display) -> entries.add(new Entry(prefix, display)));
        entries.sort(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed());
        return new PathMask(List.copyOf(entries));
    }

    /** Adds the path as written and as resolved through symbolic links; the first display of a path stays. */
    private static void add(Map<String, String> displays, Path path, String display) {
        List<String> forms = new ArrayList<>(List.of(path.toString()));
        try {
            if (Files.exists(path)) {
                forms.add(path.toRealPath().toString());
            }
        } catch (IOException e) {
            // an unreadable path is shown masked as written only
        }
        for (String form : forms) {
            if (form.length() > 1) { // never the file system root: it would mask every path
                displays.putIfAbsent(form, display);
            }
        }
    }

    /** The text with every known absolute path replaced by its display. */
    String apply(String text) {
        if (text == null || text.indexOf('/') < 0) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = text.indexOf('/');
        while (i >= 0) {
            Entry match = i > 0 && isNameChar(text.charAt(i - 1)) ? null : match(text, i);
            if (match != null) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, i).append(match.display());
                copied = i + match.prefix().length();
                i = text.indexOf('/', copied);
            } else {
                i = text.indexOf('/', i + 1);
            }
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** A reader of result values that masks the strings the inner reader answers. */
    DuckDbValues.Reader reader(DuckDbValues.Reader inner) {
        return (rows, column) -> {
            Object value = inner.read(rows, column);
            return value instanceof String s ? apply(s) : value;
        };
    }

    private Entry match(String text, int at) {
        for (Entry e : entries) {
            int end = at + e.prefix().length();
            if (text.startsWith(e.prefix(), at) && (end == text.length() || !isNameChar(text.charAt(end)))) {
                return e;
            }
        }
        return null;
    }

    /** Characters that continue a file name: a path ending before one of them is a different path. */
    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '~';
    }
}
