package io.sluice.result;

import io.sluice.engine.Column;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.sluice.result.Results.columns;
import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.numbered;
import static io.sluice.result.Results.numberedJson;
import static io.sluice.result.Results.numberedRows;
import static io.sluice.result.Results.open;
import static io.sluice.result.Results.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResultConcurrencyTest {

    private static final List<Column> TWO = columns("n", "bigint", "s", "varchar");

    @TempDir
    Path root;

    @Test
    void readersOfOneQueryAreUndisturbedWhileAnotherQueryIsWritten() throws Exception {
        FolderResultStore store = new FolderResultStore(root);
        String published = newId();
        int rows = 20_000;
        publish(store, published, 1, TWO, numberedRows(rows));
        ResultReader shared = open(store, published, 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong pagesRead = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                readers.add(pool.submit(() -> {
                    long offset = seed * 997L;
                    do {
                        // some threads share one reader, some open their own
                        ResultReader reader = seed % 2 == 0 ? shared : open(store, published, 1);
                        offset = (offset * 31 + 7919) % rows;
                        ResultPage page = reader.page(offset, 50);
                        for (int i = 0; i < page.rowsJson().size(); i++) {
                            assertThat(page.rowsJson().get(i)).isEqualTo(numberedJson(offset + i));
                        }
                        pagesRead.incrementAndGet();
                    } while (writing.get() || pagesRead.get() < 100);
                    return null;
                }));
            }
            String other = newId();
            Future<ResultSummary> writer = pool.submit(() -> {
                try (ResultWriter w = store.create(other, 1)) {
                    w.columns(TWO);
                    for (long i = 0; i < 200_000; i++) {
                        w.row(numbered(i));
                    }
                    return w.publish();
                } finally {
                    writing.set(false);
                }
            });

            assertThat(writer.get(60, TimeUnit.SECONDS).rows()).isEqualTo(200_000);
            for (Future<?> reader : readers) {
                reader.get(60, TimeUnit.SECONDS);
            }
            assertThat(open(store, other, 1).page(199_999, 10).rowsJson()).containsExactly(numberedJson(199_999));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReaderPollingDuringPublishSeesNothingOrTheWholeResult() throws Exception {
        FolderResultStore store = new FolderResultStore(root);
        String id = newId();
        int rows = 50_000;
        AtomicLong emptyPolls = new AtomicLong();
        CountDownLatch rowsWritten = new CountDownLatch(1);
        CountDownLatch polledBeforePublish = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ResultSummary> writer = pool.submit(() -> {
                try (ResultWriter w = store.create(id, 1)) {
                    w.columns(TWO);
                    for (long i = 0; i < rows; i++) {
                        w.row(numbered(i));
                    }
                    rowsWritten.countDown();
                    // publish only once the reader has seen "nothing" with every row already on disk
                    assertThat(polledBeforePublish.await(60, TimeUnit.SECONDS)).isTrue();
                    return w.publish();
                }
            });

            await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                Optional<ResultReader> reader = store.open(id, 1);
                if (reader.isEmpty()) {
                    emptyPolls.incrementAndGet();
                    if (rowsWritten.getCount() == 0) {
                        polledBeforePublish.countDown();
                    }
                    return false;
                }
                // Whatever is visible must be complete: the summary, the last row and the CSV.
                assertThat(reader.get().summary().rows()).isEqualTo(rows);
                assertThat(reader.get().page(rows - 1, 10).rowsJson()).containsExactly(numberedJson(rows - 1));
                assertThat(Results.csv(reader.get()).lines().count()).isEqualTo(rows + 1);
                return true;
            });

            assertThat(writer.get(60, TimeUnit.SECONDS).rows()).isEqualTo(rows);
            assertThat(emptyPolls.get()).as("the reader polled before the publish").isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readersRacingRepeatedReplaceAndDeleteNeverSeeMixedRows() throws Exception {
        FolderResultStore store = new FolderResultStore(root, 16);
        String id = newId();
        int rounds = 40;
        AtomicBoolean done = new AtomicBoolean(false);
        AtomicLong checkedPages = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                readers.add(pool.submit(() -> {
                    while (!done.get()) {
                        Optional<ResultReader> maybe = store.open(id, 1);
                        if (maybe.isEmpty()) {
                            continue;
                        }
                        // Round r has r * 100 rows whose strings carry the round, so rows of two
                        // rounds in one answer would show.
                        ResultReader reader = maybe.get();
                        long total = reader.summary().rows();
                        try {
                            ResultPage page = reader.page(total - 1, 5);
                            assertThat(page.rowsJson()).containsExactly(row(total / 100, total - 1));
                            checkedPages.incrementAndGet();
                        } catch (NoSuchFileException expected) {
                            // replaced or deleted after open: a clean failure is the contract
                        }
                    }
                    return null;
                }));
            }
            for (int r = 1; r <= rounds; r++) {
                int round = r;
                try (ResultWriter w = store.create(id, 1)) {
                    w.columns(TWO);
                    for (long i = 0; i < round * 100L; i++) {
                        w.row(new Object[] {i, "round-" + round});
                    }
                    w.publish();
                }
                long before = checkedPages.get();
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                        .until(() -> checkedPages.get() > before);
                if (r % 5 == 0) {
                    store.delete(id, 1);
                }
            }
            done.set(true);
            for (Future<?> reader : readers) {
                reader.get(60, TimeUnit.SECONDS);
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
        assertThat(root.resolve(".tmp")).isEmptyDirectory();
    }

    private static String row(long round, long i) {
        return "[" + i + ",\"round-" + round + "\"]";
    }
}
