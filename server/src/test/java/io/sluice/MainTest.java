package io.sluice;

import io.sluice.config.ConfigException;
import io.sluice.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The command line: an invalid configuration exits with status 2 and lists every problem. */
class MainTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new Main()).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void anInvalidConfigurationExitsWithStatus2AndListsEveryProblem() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), """
                {"server": {"port": 70000},
                 "queries": {"workers": 0},
                 "i18n": {"defaultLocale": "fr"},
                 "engines": {"default": "athena", "duckdb": {"readOnly": "maybe"}},
                 "typo": 1}""");
        List<String> problems = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(Json.mapper(), Map.of()).load(bad)).problems();
        assertThat(problems).hasSizeGreaterThanOrEqualTo(5);

        assertThat(run("--config", bad.toString())).isEqualTo(2);

        String output = err.toString();
        assertThat(output).contains("has " + problems.size() + " problem(s)");
        for (String problem : problems) {
            assertThat(output).contains("  - " + problem);
        }
    }

    @Test
    void aMissingConfigurationFileExitsWithStatus2() {
        assertThat(run("--config", dir.resolve("nope.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist");
    }

    @Test
    void checkOnlyValidatesAValidConfigurationAndExitsWith0() {
        assertThat(run("--config", "../config/local.json", "--check")).isEqualTo(0);
        assertThat(err.toString()).contains("is valid");
    }

    @Test
    void withoutConfigTheUsageIsShownAndTheExitStatusIs2() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("--config");
    }
}
