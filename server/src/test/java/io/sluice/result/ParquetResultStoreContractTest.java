package io.sluice.result;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The result store contract on the folder store writing Parquet: pages, values and CSV byte for
 * byte as the row format's, publishing, replacing, deleting and sweeping. DuckDB reads the files
 * itself, so reads are not counted here; docs/BENCHMARKS.md measures a page's cost at any offset.
 */
class ParquetResultStoreContractTest extends ResultStoreContract {

    @TempDir
    Path root;

    @Test
    void aValueOfAnotherKindTurnsItsColumnToTextAndLosesNothing() throws IOException {
        ResultStore store = store();
        String id = Results.newId();
        Results.publish(store, id, 1, Results.columns("n", "bigint", "d", "double", "s", "varchar"), List.of(
                new Object[] {1L, 1.5, "a"}, new Object[] {"not a number", 2.5, "b"}, new Object[] {3L, "n/a", 7L}));
        ResultPage page = Results.open(store, id, 1).page(0, 10);
        assertThat(page.rowsJson()).containsExactly("[\"1\",\"1.5\",\"a\"]", "[\"not a number\",\"2.5\",\"b\"]",
                "[\"3\",\"n/a\",\"7\"]");
    }

    @Override
    ResultStore store(String instanceId, int indexStride, PageBudget budget) throws IOException {
        return new FolderResultStore(root, instanceId, ResultFormat.PARQUET, indexStride, false, budget,
                2, "256MB");
    }

    @Override
    List<String> stored() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.startsWith(stagingDir()))
                    .map(p -> root.relativize(p).toString()).toList();
        }
    }

    @Override
    Path stagingDir() {
        return root.toAbsolutePath().normalize().resolve(FolderResultStore.TEMP_DIR);
    }

    @Override
    DataReads dataReads() {
        return null;
    }

    @Override
    long readAhead() {
        return 0;
    }
}
