package io.sluice.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One object of the configuration file as an engine type reads it (its {@code engines.<name>}
 * section): typed values with defaults and {@code ${ENV_VAR}} substitution, paths resolved against
 * the working directory, and problems collected for start-up to list them all. Keys nobody read are
 * reported as unknown.
 */
public final class ConfigSection {

    private final ConfigNode node;
    private final Path baseDir;
    private final List<Path> reservedPaths;

    ConfigSection(ConfigNode node, Path baseDir, List<Path> reservedPaths) {
        this.node = node;
        this.baseDir = baseDir;
        this.reservedPaths = List.copyOf(reservedPaths);
    }

    public boolean has(String key) {
        return node.has(key);
    }

    public String string(String key, String fallback) {
        return node.string(key, fallback);
    }

    /** A string that must be present and not blank. */
    public String requiredString(String key) {
        return node.requiredString(key);
    }

    public int integer(String key, int fallback, int min, int max) {
        return node.integer(key, fallback, min, max);
    }

    public long number(String key, long fallback, long min, long max) {
        return node.number(key, fallback, min, max);
    }

    public boolean bool(String key, boolean fallback) {
        return node.bool(key, fallback);
    }

    public Duration seconds(String key, Duration fallback, long minSeconds, long maxSeconds) {
        return node.seconds(key, fallback, minSeconds, maxSeconds);
    }

    public Duration millis(String key, Duration fallback, long minMillis, long maxMillis) {
        return node.millis(key, fallback, minMillis, maxMillis);
    }

    public List<String> strings(String key, List<String> fallback) {
        return node.strings(key, fallback);
    }

    /** The objects of the list at {@code key}, each read like a section; missing reads as empty. */
    public List<ConfigSection> objects(String key) {
        return node.objects(key).stream().map(o -> new ConfigSection(o, baseDir, reservedPaths)).toList();
    }

    /** Reads {@code key} with {@code parse}; a parse failure becomes a problem naming the key. */
    public <T> T parsed(String key, T fallback, Function<String, T> parse, String expectation) {
        return node.parsed(key, fallback, parse, expectation);
    }

    /** The path at {@code key} (or {@code fallback}), resolved against the working directory. */
    public Path path(String key, String fallback) {
        String text = node.string(key, fallback);
        return text == null ? null : resolve(text);
    }

    /** {@code path} resolved against the working directory, normalized. */
    public Path resolve(String path) {
        Path p = Path.of(path);
        return (p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p)).normalize();
    }

    /**
     * Sluice's own files and folders (stored results, the embedded store): no engine may let queries
     * write into them.
     */
    public List<Path> reservedPaths() {
        return reservedPaths;
    }

    /** Records a problem with {@code key} of this section ({@code ""} for the section itself). */
    public void problem(String key, String what) {
        node.problem(key, what);
    }
}
