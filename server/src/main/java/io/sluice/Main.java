package io.sluice;

import io.sluice.config.ConfigException;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar sluice-server.jar --config config/local.json} */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "Sluice 0.1.0",
        description = "SQL query gateway for AWS Athena and an embedded DuckDB engine.",
        subcommands = RekeyDatasourcesCommand.class)
public final class Main implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** The configuration is invalid (every problem is listed on standard error). */
    static final int EXIT_BAD_CONFIG = 2;
    /** The configuration is valid but the service could not start (e.g. a port in use). */
    static final int EXIT_START_FAILED = 1;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "JSON configuration file")
    Path config;

    @Option(names = "--check", description = "validate the configuration and exit")
    boolean checkOnly;

    @Spec
    CommandSpec spec;

    /** The environment that {@code ${VAR}} in the configuration and the key options read. */
    Map<String, String> env = System.getenv();

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /** The configuration, or null after listing its problems on {@code err}. */
    SluiceConfig load(PrintWriter err) {
        try {
            return new ConfigLoader(Json.mapper(), env).load(config);
        } catch (ConfigException e) {
            LOG.error("configuration {} is invalid: {} problem(s)", config, e.problems().size());
            err.println("Sluice cannot start: the configuration " + config + " has "
                    + e.problems().size() + " problem(s):");
            e.problems().forEach(p -> err.println("  - " + p));
            err.flush();
            return null;
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        SluiceConfig loaded = load(err);
        if (loaded == null) {
            return EXIT_BAD_CONFIG;
        }
        if (checkOnly) {
            err.println("configuration " + config + " is valid");
            err.flush();
            return 0;
        }
        Sluice sluice;
        try {
            sluice = Sluice.start(loaded, Clock.systemUTC());
        } catch (RuntimeException e) {
            LOG.error("Sluice failed to start: {}", e.getMessage(), e);
            err.println("Sluice cannot start: " + e.getMessage());
            err.flush();
            return EXIT_START_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            sluice.close();
            stopped.countDown();
        }, "sluice-shutdown"));
        stopped.await();
        return 0;
    }
}
