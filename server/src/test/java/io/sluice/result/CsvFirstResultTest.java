package io.sluice.result;

import io.sluice.engine.Column;
import io.sluice.engine.CsvSink;
import io.sluice.engine.ResultLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Athena's CSV of more than one part is published as it was copied and converted to Parquet after:
 * the CSV form pages, streams values and downloads exactly as the converted result does; operations
 * that need Parquet convert it first; a conversion never brings back a deleted or replaced result;
 * and a result left as CSV (by a crash, say) is converted when first needed.
 */
class CsvFirstResultTest {

    /** Three parts of {@link CsvParquetParts#PART_RECORDS}, the last partial. */
    private static final int ROWS = 300_000;
    private static final List<Column> COLUMNS = Results.columns("n", "bigint", "d", "double", "b", "boolean",
            "s", "varchar", "dec", "decimal(38,9)", "ts", "timestamp", "tz", "timestamp with time zone",
            "a", "array(map(varchar,integer))");
    @TempDir
    Path root;

    private FolderResultStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private FolderResultStore store(boolean convertAfterPublish) throws Exception {
        store = Results.parquetStore(root); // values of 4,096 bytes at most are shown whole: row 7's long value is cut on pages
        store.convertAfterPublish(convertAfterPublish);
        return store;
    }

    /** Athena's CSV of {@code rows} rows: NULLs, empty strings, quotes, line breaks, unicode, long text, full-precision decimals. */
    private static byte[] athenaCsv(int rows) {
        StringBuilder csv = new StringBuilder("\"n\",\"d\",\"b\",\"s\",\"dec\",\"ts\",\"tz\",\"a\"\n");
        for (int i = 0; i < rows; i++) {
            String s = switch (i % 9) {
                case 0 -> "";                               // NULL
                case 1 -> "\"\"";                           // the empty string
                case 2 -> "\"say \"\"hi\"\", " + i + "\"";  // quotes
                case 3 -> "\"line\nbreak\r\n" + i + "\"";   // line breaks inside quotes
                case 4 -> "\"日本語 ✓ 🦆 " + i + "\"";       // unicode, 4-byte characters
                case 7 -> i < 1_000 ? "\"" + "é".repeat(2_100) + "🦆" + i + "\"" : "\"s" + i + "\""; // longer than the budget's value size
                default -> "\"s" + i + "\"";
            };
            csv.append(i % 11 == 0 ? "" : "\"" + i + "\"").append(',')
                    .append(i % 13 == 0 ? "\"NaN\"" : "\"" + (i / 4.0) + "\"").append(',')
                    .append(i % 5 == 0 ? "" : i % 2 == 0 ? "\"true\"" : "\"false\"").append(',')
                    .append(s).append(',')
                    .append("\"12345678901234567890123456789.").append(String.format("%09d", i)).append("\",")
                    .append(i % 17 == 0 ? "" : "\"2024-01-01 00:00:00." + String.format("%03d", i % 1000) + "\"").append(',')
                    .append("\"2024-06-30 23:59:59.123 Europe/Berlin\",")
                    .append(i % 19 == 0 ? "\"[]\"" : "\"[{a=" + i + ", b\"\"=null}]\"")
                    .append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String publish(ResultStore store, byte[] csv, ResultLimits limits) throws Exception {
        String id = Results.newId();
        try (ResultWriter writer = store.create(id, 1, limits)) {
            ((CsvSink) writer).athenaCsv(COLUMNS, new ByteArrayInputStream(csv));
            writer.publish();
        }
        return id;
    }

    /** What a page says, whole: its rows, the values it cut, where the next page starts. */
    private static String describe(ResultPage page) {
        return page.rowsJson() + " cut " + page.truncatedCells() + " next " + page.nextOffset() + " of " + page.totalRows();
    }

    /** The same result in another form: all but its size in bytes. */
    private static void assertSameResult(ResultSummary converted, ResultSummary csv) {
        assertThat(converted.columns()).isEqualTo(csv.columns());
        assertThat(converted.rows()).isEqualTo(csv.rows());
        assertThat(converted.truncation()).isEqualTo(csv.truncation());
    }

    private static final long[] OFFSETS = {0, 1, 7, 1023, 1024, 1025, 131_071, 131_072, 262_143, 262_144, ROWS - 3, ROWS - 1, ROWS};

    @Test
    void theCsvFormPagesStreamsValuesAndDownloadsExactlyAsItsConversion() throws Exception {
        store(false);
        byte[] csv = athenaCsv(ROWS);
        String id = publish(store, csv, ResultLimits.NONE);

        ResultReader csvForm = Results.open(store, id, 1);
        assertThat(csvForm).isInstanceOf(CsvPartsReader.class);
        assertThat(csvForm.summary().rows()).isEqualTo(ROWS);
        List<String> pages = new ArrayList<>();
        List<Results.Value> values = new ArrayList<>();
        for (long offset : OFFSETS) {
            pages.add(describe(csvForm.page(offset, 100)));
            pages.add(describe(csvForm.page(offset, 1)));
            if (offset < ROWS) {
                for (int c = 0; c < COLUMNS.size(); c++) {
                    values.add(Results.value(csvForm, offset, c));
                }
            }
        }
        // A page crossing from one part into the next.
        pages.add(describe(csvForm.page(131_000, 200)));
        String download = Results.csv(csvForm);
        assertThat(download.getBytes(StandardCharsets.UTF_8)).isEqualTo(csv);
        assertThat(csvForm.page(7, 1).truncatedCells()).hasSize(1);

        assertThat(Results.open(store, id, 1)).isInstanceOf(CsvPartsReader.class); // nothing has converted it yet
        // A sorted page needs the Parquet form: it converts the result and answers from it.
        ResultPage sorted = csvForm.page(ResultView.parse("n:desc", List.of(), COLUMNS), 0, 1);
        assertThat(sorted.rowsJson().get(0)).startsWith("[299999,");
        ResultReader parquet = Results.open(store, id, 1);
        assertThat(parquet).isInstanceOf(ParquetResultReader.class);

        List<String> parquetPages = new ArrayList<>();
        List<Results.Value> parquetValues = new ArrayList<>();
        for (long offset : OFFSETS) {
            parquetPages.add(describe(parquet.page(offset, 100)));
            parquetPages.add(describe(parquet.page(offset, 1)));
            if (offset < ROWS) {
                for (int c = 0; c < COLUMNS.size(); c++) {
                    parquetValues.add(Results.value(parquet, offset, c));
                }
            }
        }
        parquetPages.add(describe(parquet.page(131_000, 200)));
        assertThat(pages).isEqualTo(parquetPages);
        assertThat(values).isEqualTo(parquetValues);
        assertThat(Results.csv(parquet)).isEqualTo(download);
        assertSameResult(parquet.summary(), csvForm.summary());
        // The CSV reader opened before the switch still answers, from the converted result.
        assertThat(describe(csvForm.page(262_144, 100))).isEqualTo(describe(parquet.page(262_144, 100)));
        assertThat(Results.csv(csvForm)).isEqualTo(download);
        try (Stream<Path> files = Files.walk(root.resolve(id))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".csv") || n.equals("rows-csv.idx"))
                    .anyMatch(n -> n.endsWith(".parquet"));
        }
    }

    @Test
    void aResultIsConvertedInTheBackgroundOnceItIsPublished() throws Exception {
        store(true);
        String id = publish(store, athenaCsv(ROWS), ResultLimits.NONE);
        ResultReader converted = Results.converted(store, id, 1);
        assertThat(converted).isInstanceOf(ParquetResultReader.class);
        assertThat(converted.summary().rows()).isEqualTo(ROWS);
        assertThat(converted.page(ROWS - 1, 1).rowsJson().get(0)).startsWith("[299999,74999.75,false,");
    }

    @Test
    void aSmallResultIsStoredAsParquetAtOnce() throws Exception {
        store(false);
        String id = publish(store, athenaCsv(1_000), ResultLimits.NONE);
        assertThat(Results.open(store, id, 1)).isInstanceOf(ParquetResultReader.class);
        try (Stream<Path> files = Files.walk(root.resolve(id))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .allMatch(n -> n.endsWith(".parquet") || n.equals("summary.json"));
        }
    }

    @Test
    void aTruncatedResultStaysTruncatedOnceConverted() throws Exception {
        store(false);
        String id = publish(store, athenaCsv(ROWS), new ResultLimits(200_000, Long.MAX_VALUE));
        ResultReader csvForm = Results.open(store, id, 1);
        assertThat(csvForm).isInstanceOf(CsvPartsReader.class);
        assertThat(csvForm.summary().rows()).isEqualTo(200_000);
        assertThat(csvForm.summary().truncation()).isEqualTo(new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_ROWS, 200_000));
        assertThat(csvForm.page(199_999, 10).rowsJson()).hasSize(1);
        ByteArrayOutputStream parquet = new ByteArrayOutputStream();
        csvForm.write(DownloadFormat.PARQUET, parquet); // converts
        assertThat(parquet.size()).isPositive();
        ResultReader converted = Results.open(store, id, 1);
        assertThat(converted).isInstanceOf(ParquetResultReader.class);
        assertSameResult(converted.summary(), csvForm.summary());
    }

    @Test
    void aDeletedResultIsNotBroughtBackByItsConversion() throws Exception {
        store(false);
        String id = publish(store, athenaCsv(ROWS), ResultLimits.NONE);
        ResultReader csvForm = Results.open(store, id, 1);
        byte[] csvFormSummary = Files.readAllBytes(root.resolve(id).resolve("1").resolve(ResultFiles.SUMMARY_FILE));
        store.delete(id, 1);
        assertThatThrownBy(() -> csvForm.aggregate(Aggregation.parse(null, null, List.of(), null, COLUMNS)))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> csvForm.page(0, 10)).isInstanceOf(NoSuchFileException.class);
        assertThat(store.open(id, 1)).isEmpty();
        assertThat(root.resolve(id)).doesNotExist();
        // A conversion that ends after the deletion puts nothing in place.
        UUID generation = ResultFiles.readSummary(csvFormSummary, "test").generation();
        Path written = store.newConversionDir(id, 1);
        Files.write(written.resolve(ResultFiles.SUMMARY_FILE), csvFormSummary);
        store.publishIfCurrent(written, id, 1, generation);
        assertThat(store.open(id, 1)).isEmpty();
        assertThat(written).doesNotExist();
    }

    @Test
    void aReplacedResultIsNotOverwrittenByTheOldOnesConversion() throws Exception {
        store(false);
        String id = publish(store, athenaCsv(ROWS), ResultLimits.NONE);
        ResultReader old = Results.open(store, id, 1);
        UUID oldGeneration = ResultFiles.readSummary(
                Files.readAllBytes(root.resolve(id).resolve("1").resolve(ResultFiles.SUMMARY_FILE)), "test").generation();
        Results.publish(store, id, 1, Results.columns("x", "bigint"), List.<Object[]>of(new Object[]{42L}));
        // The old reader converts nothing over the new result, and never answers with its rows.
        assertThatThrownBy(() -> old.page(ResultView.parse("n:desc", List.of(), COLUMNS), 0, 1))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> old.page(0, 1)).isInstanceOf(NoSuchFileException.class);
        // A conversion of the old result that ends now puts nothing in place of the new one.
        Path written = store.newConversionDir(id, 1);
        Files.writeString(written.resolve(ResultFiles.SUMMARY_FILE), "not a summary");
        store.publishIfCurrent(written, id, 1, oldGeneration);
        assertThat(written).doesNotExist();
        assertThat(Results.open(store, id, 1).page(0, 10).rowsJson()).containsExactly("[42]");
    }

    @Test
    void aResultWhoseConversionFailsStaysReadableAsCsvAndIsNotConvertedAgainOnEveryRead() throws Exception {
        store(true);
        List<Column> columns = Results.columns("n", "bigint", "s", "varchar");
        String id = Results.newId();
        try (ResultWriter writer = store.create(id, 1, ResultLimits.NONE)) {
            // a byte that is not UTF-8 in part 2: the copy keeps bytes as they are, DuckDB's CSV reader refuses it
            ((CsvSink) writer).athenaCsv(columns, new ByteArrayInputStream(Results.numberedCsv(ROWS, 200_000)));
            writer.publish();
        }
        ResultReader reader = Results.open(store, id, 1);
        assertThatThrownBy(() -> reader.page(ResultView.parse("n:desc", List.of(), columns), 0, 1))
                .isInstanceOf(ResultOperationUnsupported.class).hasMessageContaining("could not be converted");
        int started = store.conversionsStarted();
        assertThat(started).isPositive();
        // Still readable as CSV, page after page, without another conversion each time.
        for (int k = 0; k < 5; k++) {
            ResultReader again = Results.open(store, id, 1);
            assertThat(again).isInstanceOf(CsvPartsReader.class);
            assertThat(again.page(199_999, 1).rowsJson()).containsExactly("[199999,\"s199999\"]");
            assertThat(again.page(200_001, 1).rowsJson()).containsExactly("[200001,\"s200001\"]");
        }
        assertThatThrownBy(() -> Results.open(store, id, 1).aggregate(Aggregation.parse(null, null, List.of(), null, columns)))
                .isInstanceOf(ResultOperationUnsupported.class);
        // Known now: not columnar, so links and copies (tasks, plans) take its CSV.
        assertThat(Results.open(store, id, 1).columnar()).isFalse();
        assertThat(Results.open(store, id, 1).copyFormat()).isEqualTo(DownloadFormat.CSV);
        assertThat(store.conversionsStarted()).isEqualTo(started);
    }

    @Test
    void aResultLeftAsCsvByAnEarlierProcessIsConvertedWhenFirstNeeded() throws Exception {
        store(false);
        String id = publish(store, athenaCsv(ROWS), ResultLimits.NONE);
        store.close(); // as a crash before the conversion: the result stays published as CSV
        store = null;
        store(false);
        ResultReader reader = Results.open(store, id, 1);
        assertThat(reader).isInstanceOf(CsvPartsReader.class);
        assertThat(reader.columnar()).isTrue();
        Aggregation.Result counted = reader.aggregate(Aggregation.parse("b", null, List.of(), null, COLUMNS));
        assertThat(counted.toString()).contains("60000"); // NULL: every fifth row
        assertThat(Results.open(store, id, 1)).isInstanceOf(ParquetResultReader.class);
    }

    @Test
    void aCopyOfACsvFormResultForAnotherDuckDbIsParquetOnceConverted() throws Exception {
        store(false);
        String id = publish(store, athenaCsv(ROWS), ResultLimits.NONE);
        ResultReader reader = Results.open(store, id, 1);
        assertThat(reader).isInstanceOf(CsvPartsReader.class);
        assertThat(reader.copyFormat()).as("waits for the conversion it starts").isEqualTo(DownloadFormat.PARQUET);
        assertThat(Results.open(store, id, 1)).isInstanceOf(ParquetResultReader.class);
    }
}
