package io.sluice.result;

import io.sluice.aws.S3Location;
import io.sluice.standin.AthenaStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.numberedJson;
import static io.sluice.result.Results.numberedRows;
import static io.sluice.result.Results.open;
import static io.sluice.result.Results.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The result store contract on the S3 store writing the row format, through the real AWS SDK
 * against the stand-in's S3 server; every request is recorded (ranged GETs are what a read costs).
 */
class S3ResultStoreContractTest extends ResultStoreContract {

    static final String BUCKET = S3TestBucket.BUCKET;
    static S3TestBucket bucket;
    static AthenaStandIn standIn;
    static S3Client s3;
    /** Every request the SDK sent: its operation, key and, for GETs, range. */
    static List<S3TestBucket.Call> calls;

    @TempDir
    Path local;
    private String prefix;

    @BeforeAll
    static void startS3() {
        bucket = S3TestBucket.start();
        standIn = bucket.standIn;
        s3 = bucket.s3;
        calls = bucket.calls;
    }

    @AfterAll
    static void stopS3() {
        bucket.close();
    }

    @Override
    ResultStore store(String instanceId, int indexStride, PageBudget budget) throws IOException {
        return store(instanceId, indexStride, budget, S3ResultStore.DEFAULT_PART_BYTES);
    }

    private ResultStore store(String instanceId, int indexStride, PageBudget budget, long partBytes)
            throws IOException {
        prefix = "runs-" + UUID.randomUUID() + "/";
        return new S3ResultStore(s3, S3Location.parse("s3://" + BUCKET + "/" + prefix), stagingDir(), instanceId,
                indexStride, budget, partBytes);
    }

    @Override
    List<String> stored() {
        return bucket.keys(prefix);
    }

    @Override
    Path stagingDir() {
        return local.toAbsolutePath().resolve("staging");
    }

    @Override
    DataReads dataReads() {
        return new DataReads() {
            @Override
            public void reset() {
                calls.clear();
            }

            @Override
            public long requests() {
                return dataGets().size();
            }

            @Override
            public long bytes() {
                return dataGets().stream().mapToLong(c -> {
                    String[] range = c.range().substring("bytes=".length()).split("-");
                    return Long.parseLong(range[1]) - Long.parseLong(range[0]) + 1;
                }).sum();
            }
        };
    }

    private static List<S3TestBucket.Call> dataGets() {
        return calls.stream().filter(c -> c.operation().equals("GetObject") && c.key().endsWith("/rows.jsonl"))
                .toList();
    }

    @Override
    long readAhead() {
        return S3RangeSource.FIRST_RANGE_BYTES;
    }

    @Test
    void theSummaryGoesUpLastAfterTheDataAndTheIndex() throws IOException {
        ResultStore store = store();
        String id = newId();
        calls.clear();
        publish(store, id, 1, TWO, numberedRows(10));

        List<String> uploaded = calls.stream().filter(c -> c.operation().equals("PutObject"))
                .map(c -> c.key().substring(c.key().lastIndexOf('/') + 1)).toList();
        assertThat(uploaded).containsExactly("rows.jsonl", "rows.idx", "summary.json");
    }

    @Test
    void largeResultsGoUpInPartsAndReadBackWhole() throws IOException {
        ResultStore store = store("box-a", STRIDE, PageBudget.DEFAULT, S3Upload.MIN_PART_BYTES);
        String id = newId();
        String filler = "y".repeat(100);
        long rows = 120_000;
        calls.clear();
        ResultSummary summary;
        try (ResultWriter writer = store.create(id, 1)) {
            writer.columns(TWO);
            for (long i = 0; i < rows; i++) {
                writer.row(new Object[] {i, filler + i});
            }
            summary = writer.publish();
        }
        assertThat(summary.bytes()).isGreaterThan(2 * S3Upload.MIN_PART_BYTES);
        assertThat(calls.stream().filter(c -> c.operation().equals("UploadPart")).count()).isEqualTo(3);

        ResultReader reader = open(store, id, 1);
        assertThat(reader.page(rows - 1, 10).rowsJson()).containsExactly("[" + (rows - 1) + ",\"" + filler
                + (rows - 1) + "\"]");
        CountingOutput csv = new CountingOutput();
        reader.writeCsv(csv);
        assertThat(csv.lines).isEqualTo(rows + 1);
    }

    @Test
    void aFailedUploadLeavesNothingVisibleOrBehind() throws IOException {
        ResultStore store = store();
        String id = newId();
        standIn.faults().deny("s3:PutObject");
        try {
            ResultWriter writer = store.create(id, 1);
            writer.columns(TWO);
            numberedRows(100).forEach(writer::row);
            assertThatThrownBy(writer::publish).isInstanceOf(IOException.class);
        } finally {
            standIn.faults().reset();
        }
        assertThat(store.open(id, 1)).isEmpty();
        assertThat(stored()).isEmpty();
        assertThat(staged()).isEmpty();
    }

    @Test
    void deleteAlsoRemovesWhatACrashedPublishLeftBehind() throws IOException {
        ResultStore store = store();
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(3));
        // A publish that crashed after uploading its data: objects no summary names.
        s3.putObject(b -> b.bucket(BUCKET).key(prefix + id + "/1/" + UUID.randomUUID() + "/rows.jsonl"),
                RequestBody.fromString("[0,\"row-0\"]\n"));
        assertThat(open(store, id, 1).page(0, 10).rowsJson()).containsExactly(numberedJson(0), numberedJson(1),
                numberedJson(2));

        store.delete(id, 1);

        assertThat(stored()).isEmpty();
    }

    @Test
    void aReaderFetchesTheIndexOnceAndEachPageWithRangedGets() throws IOException {
        ResultStore store = store();
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(10_000));
        ResultReader reader = open(store, id, 1);
        calls.clear();

        for (long offset = 0; offset < 10_000; offset += 2_500) {
            assertThat(reader.page(offset, 100).rowsJson().get(0)).isEqualTo(numberedJson(offset));
        }

        assertThat(calls.stream().filter(c -> c.key() != null && c.key().endsWith("/rows.idx"))).hasSize(1);
        assertThat(dataGets()).hasSize(4).allSatisfy(c -> assertThat(c.range()).startsWith("bytes="));
    }

    /** Counts the lines of a CSV without keeping it. */
    static final class CountingOutput extends java.io.OutputStream {
        long lines;

        @Override
        public void write(int b) {
            if (b == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
