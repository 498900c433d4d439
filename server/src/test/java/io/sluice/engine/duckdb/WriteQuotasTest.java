package io.sluice.engine.duckdb;

import io.sluice.engine.duckdb.DuckDbSettings.WritableDirectory;
import io.sluice.engine.EngineException;
import io.sluice.engine.duckdb.DuckDbEngineTest.Switch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The quota keeper on its own, with the file system as the writer (no DuckDB needed). */
class WriteQuotasTest {

    @TempDir
    Path dir;
    Path folder;
    FileAreas.Writable writable;
    WriteQuotas quotas;

    @BeforeEach
    void start() throws IOException {
        folder = Files.createDirectories(dir.resolve("w"));
        writable = new FileAreas(dir, List.of(), List.of(new WritableDirectory(folder, 1_000))).writable().get(0);
        quotas = WriteQuotas.start(PathMask.of(dir, null, List.of(folder)));
    }

    @AfterEach
    void stop() {
        quotas.close();
    }

    private static void write(Path file, int bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[bytes]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aWriteOverTheQuotaLosesWhatItCreatedOrChangedAndNothingElse() throws Exception {
        write(folder.resolve("kept.bin"), 300);
        write(folder.resolve("changed.bin"), 100);
        assertThatThrownBy(() -> quotas.run(Set.of(writable), () -> { }, new Switch(), () -> {
            write(folder.resolve("changed.bin"), 200);
            write(folder.resolve("new/deep/part.bin"), 900);
            return true;
        })).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.code()).isEqualTo("WRITE_QUOTA_EXCEEDED");
            assertThat(e.details()).containsEntry("directory", "w").containsEntry("removed", true);
            assertThat((Long) e.details().get("usedBytes")).isGreaterThan(1_000L);
        });
        assertThat(folder.resolve("kept.bin")).hasSize(300);
        assertThat(folder.resolve("changed.bin")).doesNotExist();
        assertThat(folder.resolve("new")).doesNotExist();
    }

    @Test
    void aWriteUnderTheQuotaKeepsItsFiles() throws Exception {
        assertThat(quotas.run(Set.of(writable), () -> { }, new Switch(), () -> {
            write(folder.resolve("a.bin"), 999);
            return 1;
        })).isEqualTo(1);
        assertThat(folder.resolve("a.bin")).hasSize(999);
    }

    @Test
    void aSecondWriteIntoTheDirectoryWaitsForTheFirst() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        writable.lock().lock(); // a first write holds the directory
        CompletableFuture<Boolean> second;
        try {
            second = CompletableFuture.supplyAsync(() -> {
                try {
                    return quotas.run(Set.of(writable), () -> { }, new Switch(), () -> ran.getAndSet(true));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).untilFalse(ran);
        } finally {
            writable.lock().unlock();
        }
        assertThat(second.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(ran).isTrue();
    }

    @Test
    void aWriteWaitingForItsDirectoryCanBeCancelled() throws Exception {
        Switch cancellation = new Switch();
        AtomicBoolean ran = new AtomicBoolean();
        writable.lock().lock();
        try {
            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    quotas.run(Set.of(writable), () -> { }, cancellation, () -> ran.getAndSet(true));
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            cancellation.cancelled.set(true);
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(EngineException.class,
                    e -> assertThat(e.code()).isEqualTo("QUERY_CANCELLED"));
        } finally {
            writable.lock().unlock();
        }
        assertThat(ran).isFalse();
    }
}
