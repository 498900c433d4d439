package io.sluice.result;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.sluice.Json;

import java.io.IOException;

/**
 * The three files of one stored result, the same bytes in every store: {@code rows.jsonl} (the
 * rows), {@code rows.idx} (the row index) and {@code summary.json}. {@link FolderResultStore}
 * documents the format; {@link S3ResultStore} keeps the same files as objects.
 */
final class ResultFiles {

    static final String DATA_FILE = "rows.jsonl";
    static final String INDEX_FILE = "rows.idx";
    static final String SUMMARY_FILE = "summary.json";
    static final int FORMAT = 1;
    /** The Parquet format: {@code rows-<generation>.parquet} and {@code summary.json}; see {@link ParquetResultReader}. */
    static final int FORMAT_PARQUET = 2;
    /** Parquet in parts: {@code rows-<generation>-<part>.parquet} and {@code summary.json}; see {@link ParquetLayout}. */
    static final int FORMAT_PARQUET_PARTS = 3;
    /**
     * Athena's CSV in parts, published before its conversion to Parquet parts: {@code rows-<k>.csv},
     * {@value #CSV_INDEX_FILE} and {@code summary.json}; see {@link CsvPartsReader}.
     */
    static final int FORMAT_CSV_PARTS = 4;
    /** The row index of {@link #FORMAT_CSV_PARTS}. */
    static final String CSV_INDEX_FILE = "rows-csv.idx";

    /** Writes and reads rows: our own files, so a string the writer accepted must read back, however long. */
    static final JsonFactory ROW_JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final ObjectReader SUMMARY_READER = MAPPER.readerFor(SummaryFile.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ResultFiles() {
    }

    static byte[] summaryBytes(SummaryFile summary) throws IOException {
        return MAPPER.writeValueAsBytes(summary);
    }

    /** The summary in {@code bytes}, read from {@code where}; a format this code does not know is an error. */
    static SummaryFile readSummary(byte[] bytes, String where) throws IOException {
        SummaryFile file = SUMMARY_READER.readValue(bytes);
        if (file.format() != FORMAT && file.format() != FORMAT_PARQUET && file.format() != FORMAT_PARQUET_PARTS
                && file.format() != FORMAT_CSV_PARTS) {
            throw new IOException("result " + where + " has unknown format " + file.format());
        }
        return file;
    }

    /** {@code out} behind a stream whose {@code close} only flushes: for a writer that must not close its caller's stream. */
    static java.io.OutputStream nonClosing(java.io.OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
