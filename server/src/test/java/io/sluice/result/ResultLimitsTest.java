package io.sluice.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.engine.Column;
import io.sluice.engine.ResultLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.sluice.result.Results.JSON;
import static io.sluice.result.Results.columns;
import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.numbered;
import static io.sluice.result.Results.numberedJson;
import static io.sluice.result.Results.open;
import static io.sluice.result.Results.parseRow;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer keeps its result within its limits: the rows up to a limit are stored, the first row past
 * it is refused, and the published result says it was truncated and why, in its summary and in
 * {@code summary.json}. These are the row format's writer's limits, measured in {@code rows.jsonl}
 * bytes; the Parquet writer's are tested by the store contract and {@code DuckDbStoredResultTest}.
 */
class ResultLimitsTest {

    private static final List<Column> TWO = columns("n", "bigint", "s", "varchar");

    @TempDir
    Path root;

    @Test
    void aRowLimitKeepsTheFirstRowsAndMarksTheResultTruncated() throws IOException {
        FolderResultStore store = new FolderResultStore(root, 4);
        String id = newId();
        List<Boolean> taken = new ArrayList<>();
        ResultSummary summary;
        try (ResultWriter writer = store.create(id, 1, new ResultLimits(5, Long.MAX_VALUE))) {
            writer.columns(TWO);
            for (long i = 0; i < 8; i++) {
                taken.add(writer.row(numbered(i)));
            }
            assertThat(writer.truncation()).isEqualTo(new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_ROWS, 5));
            summary = writer.publish();
        }

        assertThat(taken).containsExactly(true, true, true, true, true, false, false, false);
        assertThat(summary.rows()).isEqualTo(5);
        assertThat(summary.truncation()).isEqualTo(new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_ROWS, 5));
        JsonNode file = JSON.readTree(root.resolve(id).resolve("1").resolve(ResultFiles.SUMMARY_FILE).toFile());
        assertThat(file.path("truncation").path("reason").asText()).isEqualTo("MAX_RESULT_ROWS");
        assertThat(file.path("truncation").path("limit").asLong()).isEqualTo(5);
        ResultReader reader = open(store, id, 1);
        assertThat(reader.summary()).isEqualTo(summary);
        assertThat(reader.page(0, 100).rowsJson()).containsExactly(numberedJson(0), numberedJson(1), numberedJson(2),
                numberedJson(3), numberedJson(4));
        assertThat(Results.csv(reader).lines()).hasSize(6);
    }

    @Test
    void aResultOfExactlyTheLimitIsComplete() throws IOException {
        FolderResultStore store = new FolderResultStore(root, 4);
        String id = newId();
        try (ResultWriter writer = store.create(id, 1, new ResultLimits(3, 3 * (numberedJson(0).length() + 1)))) {
            writer.columns(TWO);
            for (long i = 0; i < 3; i++) {
                assertThat(writer.row(numbered(i))).isTrue();
            }
            ResultSummary summary = writer.publish();
            assertThat(summary.truncation()).isNull();
            assertThat(summary.truncated()).isFalse();
        }
        JsonNode file = JSON.readTree(root.resolve(id).resolve("1").resolve(ResultFiles.SUMMARY_FILE).toFile());
        assertThat(file.path("truncation").isNull()).isTrue();
    }

    @Test
    void aByteLimitStopsBeforeTheRowThatWouldPassItAndTheDataFileNeverDoes() throws IOException {
        long limit = 1000;
        FolderResultStore store = new FolderResultStore(root, 4);
        String id = newId();
        List<Object[]> offered = new ArrayList<>();
        ResultSummary summary;
        try (ResultWriter writer = store.create(id, 1, new ResultLimits(Long.MAX_VALUE, limit))) {
            writer.columns(TWO);
            for (long i = 0; ; i++) {
                Object[] row = {i, "v".repeat((int) (i * 7 % 50))};
                offered.add(row);
                if (!writer.row(row)) {
                    break;
                }
            }
            summary = writer.publish();
        }

        Path data = root.resolve(id).resolve("1").resolve(ResultFiles.DATA_FILE);
        long stored = offered.size() - 1;
        assertThat(summary.rows()).isEqualTo(stored);
        assertThat(summary.truncation()).isEqualTo(new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_BYTES, limit));
        assertThat(Files.size(data)).isEqualTo(summary.bytes()).isLessThanOrEqualTo(limit);
        String refused = Results.JSON.writeValueAsString(offered.get(offered.size() - 1)) + "\n";
        assertThat(summary.bytes() + refused.length()).as("the refused row would have passed the limit")
                .isGreaterThan(limit);
        ResultReader reader = open(store, id, 1);
        for (long i = 0; i < stored; i++) {
            assertThat(parseRow(reader.page(i, 1).rowsJson().get(0))).containsExactly(offered.get((int) i));
        }
        assertThat(Results.csv(reader).lines()).hasSize((int) stored + 1);
    }

    @Test
    void aRowAloneLargerThanTheByteLimitLeavesAnEmptyTruncatedResult() throws IOException {
        FolderResultStore store = new FolderResultStore(root, 4);
        String id = newId();
        try (ResultWriter writer = store.create(id, 1, new ResultLimits(10, 2048))) {
            writer.columns(TWO);
            assertThat(writer.row(new Object[] {1L, "x".repeat(5000)})).isFalse();
            ResultSummary summary = writer.publish();
            assertThat(summary.rows()).isZero();
            assertThat(summary.bytes()).isZero();
            assertThat(summary.truncated()).isTrue();
        }
        assertThat(open(store, id, 1).page(0, 10).rowsJson()).isEmpty();
        assertThat(Results.csv(open(store, id, 1))).isEqualTo("\"n\",\"s\"\n");
    }

    @Test
    void resultsStoredBeforeResultsHadLimitsReadAsComplete() throws IOException {
        FolderResultStore store = new FolderResultStore(root, 4);
        String id = newId();
        Results.publish(store, id, 1, TWO, Results.numberedRows(3));
        Path summaryFile = root.resolve(id).resolve("1").resolve(ResultFiles.SUMMARY_FILE);
        ObjectNode old = (ObjectNode) JSON.readTree(summaryFile.toFile());
        old.remove("truncation");
        Files.writeString(summaryFile, JSON.writeValueAsString(old));
        assertThat(Files.readString(summaryFile)).doesNotContain("truncation");

        ResultReader reader = open(store, id, 1);

        assertThat(reader.summary().truncation()).isNull();
        assertThat(reader.summary().rows()).isEqualTo(3);
        assertThat(reader.page(0, 10).rowsJson()).hasSize(3);
    }
}
