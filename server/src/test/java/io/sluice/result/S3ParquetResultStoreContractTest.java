package io.sluice.result;

import io.sluice.aws.S3Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.numberedJson;
import static io.sluice.result.Results.numberedRows;
import static io.sluice.result.Results.open;
import static io.sluice.result.Results.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The result store contract on the S3 store writing Parquet (its default), through the real AWS
 * SDK against the stand-in's S3 server; and what is its own: the parts go up before the summary
 * and stay on the instance that wrote them, another instance downloads only the parts a read
 * needs, sorts, filters, aggregates and downloads the result like the folder store, and keeps its
 * local copies within their bound.
 */
class S3ParquetResultStoreContractTest extends ResultStoreContract {

    /** Three parts: {@link ParquetLayout#PART_ROWS} is 262,144 rows. */
    static final long THREE_PARTS = 2 * ParquetLayout.PART_ROWS + 1_000;

    static S3TestBucket bucket;

    @TempDir
    Path local;
    private String prefix;
    private Path staging;

    @BeforeAll
    static void startS3() {
        bucket = S3TestBucket.start();
    }

    @AfterAll
    static void stopS3() {
        bucket.close();
    }

    @Override
    ResultStore store(String instanceId, int indexStride, PageBudget budget) throws IOException {
        prefix = "runs-" + UUID.randomUUID() + "/";
        staging = local.resolve(instanceId);
        return instance(instanceId, budget, S3ResultStore.DEFAULT_CACHE_BYTES);
    }

    /** Another instance on the same location as the last store made, with staging and copies of its own. */
    private S3ResultStore instance(String instanceId, PageBudget budget, long cacheBytes) throws IOException {
        return new S3ResultStore(bucket.s3, S3Location.parse("s3://" + S3TestBucket.BUCKET + "/" + prefix),
                local.resolve(instanceId), instanceId, STRIDE, budget, S3ResultStore.DEFAULT_PART_BYTES,
                ResultFormat.PARQUET, new ResultDuck.Settings(2, "256MB"), cacheBytes);
    }

    @Override
    List<String> stored() {
        return bucket.keys(prefix);
    }

    @Override
    Path stagingDir() {
        return staging.toAbsolutePath();
    }

    @Override
    DataReads dataReads() {
        return null;
    }

    @Override
    long readAhead() {
        return 0;
    }

    private List<S3TestBucket.Call> partGets() {
        return bucket.calls.stream().filter(c -> c.operation().equals("GetObject") && c.key().endsWith(".parquet"))
                .toList();
    }

    @Test
    void thePartsGoUpBeforeTheSummaryAndTheWriterReadsThemWithoutDownloading() throws IOException {
        ResultStore store = store();
        String id = newId();
        bucket.calls.clear();
        publish(store, id, 1, TWO, numberedRows(10));

        List<String> uploaded = bucket.calls.stream().filter(c -> c.operation().equals("PutObject"))
                .map(c -> c.key().substring(c.key().lastIndexOf('/') + 1)).toList();
        assertThat(uploaded).hasSize(2);
        assertThat(uploaded.get(0)).matches("rows-[0-9a-f-]{36}-00000\\.parquet");
        assertThat(uploaded.get(1)).isEqualTo("summary.json");

        assertThat(open(store, id, 1).page(0, 3).rowsJson()).containsExactly(numberedJson(0), numberedJson(1),
                numberedJson(2));
        assertThat(partGets()).isEmpty();
    }

    @Test
    void anotherInstanceDownloadsThePartAPageNeedsAndAllOfThemForAViewAggregateOrDownload() throws Exception {
        ResultStore writer = store();
        String id = newId();
        publish(writer, id, 1, TWO, numberedRows(THREE_PARTS));
        try (S3ResultStore reader = instance("box-b", PageBudget.DEFAULT, S3ResultStore.DEFAULT_CACHE_BYTES)) {
            bucket.calls.clear();
            ResultReader result = open(reader, id, 1);
            assertThat(result.page(THREE_PARTS - 2, 10).rowsJson()).containsExactly(numberedJson(THREE_PARTS - 2),
                    numberedJson(THREE_PARTS - 1));
            assertThat(partGets()).singleElement().satisfies(c -> assertThat(c.key()).endsWith("-00002.parquet"));
            assertThat(result.page(THREE_PARTS - 200, 10).rowsJson().get(0)).isEqualTo(numberedJson(THREE_PARTS - 200));
            assertThat(partGets()).hasSize(1); // read locally from then on

            ResultView descending = ResultView.parse("n:desc", List.of("lt:n:5"), TWO);
            assertThat(result.page(descending, 0, 10).rowsJson()).containsExactly(numberedJson(4), numberedJson(3),
                    numberedJson(2), numberedJson(1), numberedJson(0));
            assertThat(partGets()).hasSize(3);

            Aggregation.Result counted = result.aggregate(Aggregation.parse(null, "count,max:n", List.of(), null, TWO));
            assertThat(counted.rows()).containsExactly(List.of(THREE_PARTS, THREE_PARTS - 1));

            Path downloaded = local.resolve("download.parquet");
            try (var out = Files.newOutputStream(downloaded)) {
                result.write(DownloadFormat.PARQUET, out);
            }
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), max(n), min(s) FROM read_parquet('" + downloaded + "')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(THREE_PARTS);
                assertThat(rs.getLong(2)).isEqualTo(THREE_PARTS - 1);
                assertThat(rs.getString(3)).isEqualTo("row-0");
            }
            assertThat(partGets()).hasSize(3);
        }
    }

    @Test
    void localCopiesStayWithinTheirBoundAndAnEvictedResultIsDownloadedAgain() throws IOException {
        ResultStore writer = store();
        String first = newId();
        String second = newId();
        publish(writer, first, 1, TWO, numberedRows(1_000));
        publish(writer, second, 1, TWO, numberedRows(1_000));
        try (S3ResultStore reader = instance("box-b", PageBudget.DEFAULT, 1)) {
            bucket.calls.clear();
            assertThat(open(reader, first, 1).page(10, 1).rowsJson()).containsExactly(numberedJson(10));
            assertThat(copies("box-b")).singleElement().satisfies(p -> assertThat(p.toString()).contains(first));

            assertThat(open(reader, second, 1).page(20, 1).rowsJson()).containsExactly(numberedJson(20));
            assertThat(copies("box-b")).singleElement().satisfies(p -> assertThat(p.toString()).contains(second));

            assertThat(open(reader, first, 1).page(30, 1).rowsJson()).containsExactly(numberedJson(30));
            assertThat(partGets()).hasSize(3);
        }
    }

    @Test
    void aResultDeletedBeforeItsPartsAreCopiedIsGoneForAReaderOfAnotherInstance() throws IOException {
        ResultStore writer = store();
        String id = newId();
        publish(writer, id, 1, TWO, numberedRows(100));
        try (S3ResultStore reader = instance("box-b", PageBudget.DEFAULT, S3ResultStore.DEFAULT_CACHE_BYTES)) {
            ResultReader result = open(reader, id, 1);
            writer.delete(id, 1);

            assertThatThrownBy(() -> result.page(0, 10)).isInstanceOf(NoSuchFileException.class);
            assertThat(reader.open(id, 1)).isEmpty();
            assertThat(stored()).isEmpty();
        }
    }

    @Test
    void aDeletedResultsLocalCopyGoesWithIt() throws IOException {
        ResultStore store = store();
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(100));
        assertThat(open(store, id, 1).page(0, 1).rowsJson()).containsExactly(numberedJson(0));
        assertThat(copies("box-a")).hasSize(1);

        store.delete(id, 1);

        assertThat(copies("box-a")).isEmpty();
        assertThat(store.open(id, 1)).isEmpty();
    }

    @Test
    void aCopyOverAnotherResultDropsTheLocalCopyOfTheOneItReplaces() throws IOException {
        ResultStore store = store();
        String source = newId();
        String target = newId();
        publish(store, source, 1, TWO, numberedRows(20));
        publish(store, target, 1, TWO, numberedRows(5));
        assertThat(open(store, target, 1).page(4, 1).rowsJson()).containsExactly(numberedJson(4));
        assertThat(copies("box-a")).filteredOn(p -> p.toString().contains(target)).hasSize(1);

        assertThat(store.copy(source, 1, target, 1)).isTrue();

        assertThat(copies("box-a")).filteredOn(p -> p.toString().contains(target)).isEmpty();
        assertThat(open(store, target, 1).page(19, 1).rowsJson()).containsExactly(numberedJson(19));
    }

    /** The Parquet files an instance holds as local copies. */
    private List<Path> copies(String instanceId) throws IOException {
        Path staging = local.resolve(instanceId);
        try (Stream<Path> files = Files.walk(staging)) {
            return files.filter(p -> p.toString().endsWith(".parquet") && p.toString().contains("s3-cache")).toList();
        }
    }
}
