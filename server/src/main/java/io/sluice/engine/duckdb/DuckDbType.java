package io.sluice.engine.duckdb;

import io.sluice.config.ConfigLoader;
import io.sluice.config.ConfigSection;
import io.sluice.engine.Engine;
import io.sluice.engine.EngineEnvironment;
import io.sluice.engine.EngineType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The {@code duckdb} engine type: an embedded DuckDB database file per engine. */
public final class DuckDbType implements EngineType<DuckDbSettings> {

    public static final String NAME = "duckdb";
    private static final Pattern MEMORY_LIMIT = Pattern.compile("(?i)\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|%)");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DuckDbSettings settings(ConfigSection d) {
        List<Path> allowed = d.strings("allowedDirectories", List.of("data/files")).stream()
                .map(d::resolve).toList();
        DuckDbSettings duck = new DuckDbSettings(
                d.path("database", "data/sluice.duckdb"),
                d.bool("sampleData", true),
                d.bool("readOnly", true),
                d.integer("threads", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 1024),
                d.string("memoryLimit", "2GB"),
                allowed,
                d.seconds("maxRuntimeSeconds", Duration.ofHours(1), 1, Duration.ofDays(1).toSeconds()),
                d.number("maxResultRows", ConfigLoader.MAX_RESULT_ROWS, 1, Long.MAX_VALUE),
                d.number("maxResultBytes", ConfigLoader.MAX_RESULT_BYTES, 1024, Long.MAX_VALUE),
                writableDirectories(d));
        if (duck.memoryLimit() != null && !MEMORY_LIMIT.matcher(duck.memoryLimit().trim()).matches()) {
            d.problem("memoryLimit", "must be a size like 2GB or 512MB, got \"" + duck.memoryLimit() + "\"");
        }
        List<DuckDbSettings.WritableDirectory> writable = duck.writableDirectories();
        for (int i = 0; i < writable.size(); i++) {
            Path dir = writable.get(i).path();
            if (duck.database().startsWith(dir)) {
                d.problem("writableDirectories", "has " + dir + ", which holds the database file: queries could overwrite it");
            }
            for (int j = 0; j < i; j++) {
                Path other = writable.get(j).path();
                if (dir.startsWith(other) || other.startsWith(dir)) {
                    d.problem("writableDirectories", "has " + other + " and " + dir + ", one inside the other: give each its own quota");
                }
            }
            // Queries must not be able to write over Sluice's own files: results and the embedded store.
            d.reservedPaths().stream().filter(p -> p.startsWith(dir) || dir.startsWith(p))
                    .forEach(p -> d.problem("writableDirectories", "has " + dir + ", which overlaps Sluice's own files at " + p));
        }
        return duck;
    }

    /** {@code [{"path": "...", "quotaBytes": N}]}: folders queries may write into; none by default. */
    private static List<DuckDbSettings.WritableDirectory> writableDirectories(ConfigSection d) {
        List<DuckDbSettings.WritableDirectory> out = new ArrayList<>();
        for (ConfigSection w : d.objects("writableDirectories")) {
            String path = w.requiredString("path");
            if (!w.has("quotaBytes")) {
                w.problem("quotaBytes", "is required");
            }
            long quota = w.number("quotaBytes", 1, 1, Long.MAX_VALUE);
            if (path != null && !path.isBlank()) {
                out.add(new DuckDbSettings.WritableDirectory(d.resolve(path), quota));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public Engine open(String name, DuckDbSettings settings, EngineEnvironment environment) {
        return DuckDbEngine.open(name, settings);
    }
}
