package io.sluice.result;

import io.sluice.engine.Column;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sorted and filtered view of a large result is written to a file once and paged from it: the
 * pages before and after are the same rows, in the view's order (ties in stored order), against an
 * expectation computed here; deleting the result deletes its view files.
 */
class ViewFilesTest {

    private static final long ROWS = 250_000;

    @TempDir
    Path root;

    private FolderResultStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aViewOfALargeResultIsWrittenOnceAndPagedFromItsFile() throws Exception {
        String id = publishLargeResult();
        ResultView view = ResultView.parse("s:desc", List.of("contains:s:9", "ge:n:1000"), COLUMNS);
        List<Long> expected = LongStream.range(1000, ROWS).filter(i -> ("v" + (i % 1000)).contains("9")).boxed()
                .sorted(Comparator.comparing((Long i) -> "v" + (i % 1000)).reversed()).toList();

        ParquetResultReader reader = (ParquetResultReader) Results.open(store, id, 1);
        long deep = expected.size() - 150;
        ResultPage first = reader.page(view, deep, 100);
        assertRows(first, expected, deep);
        assertThat(reader.writtenView(view)).as("a deep page waits for the view's file rather than sort the result again")
                .isNotNull();
        Path file = reader.writtenView(view).file();
        assertThat(reader.writtenView(view).rows()).isEqualTo(expected.size());
        assertThat(reader.page(view, deep, 100)).isEqualTo(first);
        for (long offset : new long[] {0, expected.size() / 2, expected.size() - 1}) {
            assertRows(reader.page(view, offset, 100), expected, offset);
        }

        store.delete(id, 1);
        assertThat(Files.exists(file)).as("the view file goes with its result").isFalse();
    }

    @Test
    void aShallowPageOfAViewIsAnsweredWhileItsFileIsWritten() throws Exception {
        String id = publishLargeResult();
        ResultView view = ResultView.parse("n:desc", List.of(), COLUMNS);
        List<Long> expected = LongStream.range(0, ROWS).map(i -> ROWS - 1 - i).boxed().toList();

        ParquetResultReader reader = (ParquetResultReader) Results.open(store, id, 1);
        assertRows(reader.page(view, ViewFiles.TOP_N_ROWS - 100, 100), expected, ViewFiles.TOP_N_ROWS - 100);
        await().atMost(Duration.ofSeconds(60)).until(() -> reader.writtenView(view) != null);
        assertRows(reader.page(view, ViewFiles.TOP_N_ROWS - 100, 100), expected, ViewFiles.TOP_N_ROWS - 100);
    }

    @Test
    void aDeepPageWaitsForTheViewBeingWrittenAndGivesUpOnAFailedOrSlowWrite() throws Exception {
        try (ViewFiles views = new ViewFiles(root.resolve("views"))) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<ViewFiles.Ready> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return views.awaitOrStart("slow", "r1", target -> {
                        release.await();
                        Files.writeString(target, "x");
                        return 7;
                    }, Duration.ofSeconds(60));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
            assertThat(views.readyOrStart("slow", "r1", target -> 0)).as("the write under way is not started again").isNull();
            release.countDown();
            ViewFiles.Ready ready = waiting.get(60, TimeUnit.SECONDS);
            assertThat(ready.rows()).isEqualTo(7);
            assertThat(Files.readString(ready.file())).isEqualTo("x");

            assertThat(views.awaitOrStart("broken", "r2", target -> {
                throw new IllegalStateException("disk full");
            }, Duration.ofSeconds(60))).as("a failed write: the page queries the result").isNull();

            CountDownLatch never = new CountDownLatch(1);
            assertThat(views.awaitOrStart("stuck", "r3", target -> {
                never.await();
                return 1;
            }, Duration.ofMillis(100))).as("a write slower than the wait: the page queries the result").isNull();
            never.countDown();
        }
    }

    @Test
    void closingTheStoreReleasesAPageWaitingForAViewNotYetWritten() throws Exception {
        ViewFiles views = new ViewFiles(root.resolve("views"));
        CountDownLatch never = new CountDownLatch(1);
        views.readyOrStart("busy", "r1", target -> {
            never.await(); // the one writer thread is busy: the next view's write never starts
            return 1;
        });
        CompletableFuture<ViewFiles.Ready> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return views.awaitOrStart("queued", "r2", target -> 2, Duration.ofMinutes(10));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
        views.close();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).as("the page goes on to query the result").isNull();
    }

    private static final List<Column> COLUMNS = Results.columns("n", "bigint", "s", "varchar");

    /** A result of {@value #ROWS} rows in a new store: n, and s = "v" + n % 1,000 (so a sort by s has ties, kept in stored order). */
    private String publishLargeResult() throws Exception {
        store = Results.parquetStore(root);
        String id = Results.newId();
        Results.publish(store, id, 1, COLUMNS, LongStream.range(0, ROWS)
                .mapToObj(i -> new Object[] {i, "v" + (i % 1000)}).toList());
        return id;
    }

    private static void assertRows(ResultPage page, List<Long> expected, long offset) {
        List<String> rows = page.rowsJson();
        assertThat(page.totalRows()).isEqualTo(expected.size());
        for (int i = 0; i < rows.size(); i++) {
            long n = expected.get((int) offset + i);
            assertThat(rows.get(i)).as("row %d", offset + i).isEqualTo("[" + n + ",\"v" + (n % 1000) + "\"]");
        }
        assertThat(rows).hasSize((int) Math.min(100, expected.size() - offset));
    }
}
