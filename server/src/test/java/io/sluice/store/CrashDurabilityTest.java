package io.sluice.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.CrashLoad;
import io.sluice.testing.EmbeddedDatabases;
import io.sluice.testing.SluiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acknowledged means durable, on every store: Sluice runs as a separate JVM that is killed with
 * SIGKILL while four clients submit and cancel as fast as they can; after each restart on the same
 * store, every submit answered 202 must exist and every cancel answered 200 must have stuck (the
 * query is CANCELLED, never run to SUCCEEDED). At least 1,000 acknowledged submits and 100
 * acknowledged cancels per store, over several kills.
 */
class CrashDurabilityTest {

    /**
     * A query of a millisecond or two: with one worker, the four clients submit faster than it
     * runs them, so a backlog of QUEUED (cancellable) queries builds up and drains quickly.
     */
    private static final String WORK = "SELECT count(*) AS n FROM range(100000) WHERE range %% 7 = %d";
    private static final int MIN_SUBMITS = 1_000;
    private static final int MIN_CANCELS = 100;

    @TempDir
    Path dir;

    @Test
    void h2LosesNothingAcknowledged() {
        assertNothingAcknowledgedIsLost(SluiceProcess.defaultConfig(dir));
    }

    @Test
    void postgresqlLosesNothingAcknowledged() {
        try (EmbeddedDatabases.Postgres pg = EmbeddedDatabases.postgres()) {
            assertNothingAcknowledgedIsLost(withStore(SluiceProcess.defaultConfig(dir), pg.createDatabase()));
        }
    }

    @Test
    void mariaDbLosesNothingAcknowledged() {
        try (EmbeddedDatabases.MariaDb maria = EmbeddedDatabases.mariaDb()) {
            assertNothingAcknowledgedIsLost(withStore(SluiceProcess.defaultConfig(dir), maria.createDatabase()));
        }
    }

    private static ObjectNode withStore(ObjectNode config, EmbeddedDatabases.Store store) {
        ((ObjectNode) config.get("store")).put("url", store.url()).put("user", store.user())
                .put("password", store.password());
        return config;
    }

    private void assertNothingAcknowledgedIsLost(ObjectNode config) {
        try {
            loadKillAndVerify(config);
        } catch (AssertionError e) {
            keepLogs();
            throw e;
        }
    }

    /** The Sluice processes' logs of a failed run, kept under target/crash-logs for the post-mortem. */
    private void keepLogs() {
        Path kept = Path.of("target", "crash-logs", dir.getFileName().toString());
        try (java.util.stream.Stream<Path> logs = java.nio.file.Files.list(dir)) {
            java.nio.file.Files.createDirectories(kept);
            for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                java.nio.file.Files.copy(log, kept.resolve(log.getFileName()));
            }
            System.err.println("crash test logs kept in " + kept.toAbsolutePath());
        } catch (java.io.IOException io) {
            System.err.println("could not keep the crash test logs: " + io.getMessage());
        }
    }

    private void loadKillAndVerify(ObjectNode config) {
        // One worker; one user may queue as much as the clients manage to submit.
        ((ObjectNode) config.get("queries")).put("workers", 1).put("maxQueuedPerUser", 100_000);
        CrashLoad load = new CrashLoad(n -> WORK.formatted(n % 7), 42);
        while (load.submitted().size() < MIN_SUBMITS || load.cancelled().size() < MIN_CANCELS) {
            SluiceProcess sluice = SluiceProcess.start(dir, "crash", config, Map.of());
            try {
                load.verifyNothingAcknowledgedIsLost(sluice.api());
                load.loadAndKill(sluice, 350);
            } finally {
                sluice.kill();
            }
        }
        try (SluiceProcess sluice = SluiceProcess.start(dir, "crash", config, Map.of())) {
            load.verifyNothingAcknowledgedIsLost(sluice.api());
            // Nothing stays behind: every acknowledged query reaches an end after the last restart,
            // and no acknowledged cancel ran to SUCCEEDED meanwhile.
            load.awaitAllEnded(sluice.api());
            load.verifyNothingAcknowledgedIsLost(sluice.api());
        }
        assertThat(load.submitted()).hasSizeGreaterThanOrEqualTo(MIN_SUBMITS);
        assertThat(load.cancelled()).hasSizeGreaterThanOrEqualTo(MIN_CANCELS);
    }
}
