package io.sluice.result;

import io.sluice.engine.CsvSink;
import io.sluice.engine.ResultLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Athena's CSV stored in Parquet parts converted while the copy goes on: a value that is not of its
 * column's type in a late part turns that column into text in every part, losing nothing, and no
 * CSV is left behind.
 */
class CsvParquetPartsTest {

    private static final int ROWS = 300_000;

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
    void aValueOfAnotherTypeInALatePartMakesItsColumnTextInEveryPart() throws Exception {
        store = Results.parquetStore(root);
        StringBuilder csv = new StringBuilder("\"n\",\"d\",\"s\"\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append(i == 250_000 ? "\"oops\"" : "\"" + i + "\"").append(",\"").append(i / 2.0).append("\",")
                    .append(i % 7 == 0 ? "" : "\"s" + i + "\"").append('\n');
        }
        String id = Results.newId();
        try (ResultWriter writer = store.create(id, 1, ResultLimits.NONE)) {
            ((CsvSink) writer).athenaCsv(Results.columns("n", "integer", "d", "double", "s", "varchar"),
                    new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));
            writer.publish();
        }
        ResultReader reader = Results.converted(store, id, 1);
        assertThat(reader.summary().rows()).isEqualTo(ROWS);
        assertThat(reader.page(0, 1).rowsJson()).containsExactly("[\"0\",0.0,null]");
        assertThat(reader.page(131_072, 1).rowsJson()).containsExactly("[\"131072\",65536.0,\"s131072\"]");
        assertThat(reader.page(250_000, 2).rowsJson()).containsExactly("[\"oops\",125000.0,\"s250000\"]",
                "[\"250001\",125000.5,\"s250001\"]");
        assertThat(reader.page(ROWS - 2, 1).rowsJson()).containsExactly("[\"299998\",149999.0,\"s299998\"]");
        try (Stream<Path> files = Files.walk(root)) {
            List<String> names = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
            assertThat(names.stream().filter(n -> n.endsWith(".parquet"))).hasSize(3);
            assertThat(names).noneMatch(n -> n.endsWith(".csv"));
        }
    }
}
