package io.sluice.engine.duckdb;

import io.sluice.Json;
import io.sluice.config.ConfigException;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.engine.duckdb.DuckDbSettings.WritableDirectory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code engines.duckdb.writableDirectories}: none by default, each with a quota, never over Sluice's own files. */
class WritableDirectoriesConfigTest {

    private static final Path BASE = Path.of("/srv/sluice");

    private static DuckDbSettings duck(String duckdb) {
        return new ConfigLoader(Json.mapper(), Map.of()).parse("{\"engines\": {\"duckdb\": " + duckdb + "}}", BASE)
                .engines().settings("duckdb", DuckDbSettings.class).orElseThrow();
    }

    private static List<String> problems(String json) {
        try {
            new ConfigLoader(Json.mapper(), Map.of()).parse(json, BASE);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void noneByDefault() {
        assertThat(duck("{}").writableDirectories()).isEmpty();
    }

    @Test
    void pathsResolveAgainstTheWorkingDirectory() {
        DuckDbSettings d = duck("""
                {"writableDirectories": [{"path": "data/exports", "quotaBytes": 1000000},
                                         {"path": "/mnt/scratch", "quotaBytes": "${QUOTA:-5}"}]}""");
        assertThat(d.writableDirectories()).containsExactly(
                new WritableDirectory(Path.of("/srv/sluice/data/exports"), 1_000_000),
                new WritableDirectory(Path.of("/mnt/scratch"), 5));
    }

    @Test
    void everyProblemIsNamed() {
        List<String> problems = problems("""
                {"engines": {"duckdb": {"writableDirectories": [
                   {"path": "a"}, {"quotaBytes": 10}, {"path": "b", "quotaBytes": 0, "typo": 1},
                   {"path": "data", "quotaBytes": 10}, {"path": "x", "quotaBytes": 10}, {"path": "x/y", "quotaBytes": 10},
                   "not an object"]}}}""");
        assertThat(problems).anyMatch(p -> p.equals("engines.duckdb.writableDirectories[0].quotaBytes is required"));
        assertThat(problems).anyMatch(p -> p.equals("engines.duckdb.writableDirectories[1].path is required"));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.duckdb.writableDirectories[2].quotaBytes must be between 1"));
        assertThat(problems).anyMatch(p -> p.equals("engines.duckdb.writableDirectories[2].typo is not a known setting"));
        assertThat(problems).anyMatch(p -> p.contains("/srv/sluice/data, which holds the database file"));
        assertThat(problems).anyMatch(p -> p.contains("/srv/sluice/x and /srv/sluice/x/y, one inside the other"));
        assertThat(problems).anyMatch(p -> p.equals("engines.duckdb.writableDirectories[6] must be an object"));
        assertThat(problems("{\"engines\": {\"duckdb\": {\"writableDirectories\": {}}}}"))
                .anyMatch(p -> p.equals("engines.duckdb.writableDirectories must be a list of objects"));
    }

    @Test
    void sluicesOwnFilesAreNeverWritable() {
        List<String> problems = problems("""
                {"results": {"dir": "/srv/out/results"}, "store": {"url": "jdbc:h2:file:/srv/store/sluice;WRITE_DELAY=0"},
                 "engines": {"duckdb": {"writableDirectories": [{"path": "/srv/out", "quotaBytes": 10},
                                                               {"path": "/srv/store", "quotaBytes": 10}]}}}""");
        assertThat(problems).anyMatch(p -> p.startsWith("engines.duckdb.writableDirectories has /srv/out, which overlaps"));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.duckdb.writableDirectories has /srv/store, which overlaps"));
    }
}
