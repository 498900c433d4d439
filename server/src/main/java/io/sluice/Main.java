package io.sluice;

import io.sluice.config.ConfigException;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar sluice-server.jar --config config/local.json} */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "Sluice 0.1.0",
        description = "SQL query gateway for AWS Athena and an embedded DuckDB engine.")
public final class Main implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "JSON configuration file")
    Path config;

    @Option(names = "--check", description = "validate the configuration and exit")
    boolean checkOnly;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        SluiceConfig loaded;
        try {
            loaded = new ConfigLoader(Json.mapper(), System.getenv()).load(config);
        } catch (ConfigException e) {
            LOG.error("configuration {} is invalid: {} problem(s)", config, e.problems().size());
            System.err.println("Sluice cannot start: the configuration " + config + " has "
                    + e.problems().size() + " problem(s):");
            e.problems().forEach(p -> System.err.println("  - " + p));
            return 2;
        }
        if (checkOnly) {
            System.err.println("configuration " + config + " is valid");
            return 0;
        }
        Sluice sluice;
        try {
            sluice = Sluice.start(loaded, Clock.systemUTC());
        } catch (RuntimeException e) {
            LOG.error("Sluice failed to start: {}", e.getMessage(), e);
            System.err.println("Sluice cannot start: " + e.getMessage());
            return 1;
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
