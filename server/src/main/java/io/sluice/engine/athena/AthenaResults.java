package io.sluice.engine.athena;

import io.sluice.aws.S3Location;
import io.sluice.engine.Column;
import io.sluice.engine.CsvSink;
import io.sluice.engine.EngineException;
import io.sluice.engine.RowSink;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a succeeded query's full result. SELECT-like statements are streamed from Athena's own
 * {@code <id>.csv} in S3 (column types from {@code <id>.csv.metadata}), which is many times faster
 * than paging through GetQueryResults and never holds the result in memory. Statements without a
 * CSV (SHOW, DESCRIBE, DDL write {@code .txt}) are paged through GetQueryResults.
 */
final class AthenaResults {

    private final AthenaClient athena;
    private final S3Client s3;

    AthenaResults(AthenaClient athena, S3Client s3) {
        this.athena = athena;
        this.s3 = s3;
    }

    void read(AthenaResultSource source, RowSink sink) throws EngineException {
        String output = source.outputLocation();
        if (output != null && output.endsWith(".csv")) {
            readCsv(source, S3Location.parse(output), sink);
        } else {
            readPages(source, sink);
        }
    }

    /** Streams {@code <id>.csv}; the header row must match the metadata's columns. */
    void readCsv(AthenaResultSource source, S3Location csv, RowSink sink) throws EngineException {
        List<Column> columns = columns(source, csv);
        if (sink instanceof CsvSink files) {
            handOver(csv, columns, files);
            return;
        }
        sink.columns(columns);
        AthenaValues.Converter[] converters = converters(columns);
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(r -> r.bucket(csv.bucket()).key(csv.key()));
             BufferedReader text = new BufferedReader(new InputStreamReader(object, StandardCharsets.UTF_8), 1 << 16)) {
            AthenaCsvReader reader = new AthenaCsvReader(text);
            List<String> header = reader.next();
            if (header == null) {
                return; // not even a header: an empty result
            }
            if (header.size() != columns.size()) {
                throw new EngineException("QUERY_FAILED", EngineException.Kind.EXTERNAL,
                        "result file " + csv + " has " + header.size() + " columns, its metadata " + columns.size(),
                        Map.of("engine", "athena"), null);
            }
            Object[] values = new Object[columns.size()];
            for (List<String> record = reader.next(); record != null; record = reader.next()) {
                if (record.size() != values.length) {
                    throw new EngineException("QUERY_FAILED", EngineException.Kind.EXTERNAL,
                            "result file " + csv + " has a row of " + record.size() + " fields",
                            Map.of("engine", "athena"), null);
                }
                for (int i = 0; i < values.length; i++) {
                    String field = record.get(i);
                    values[i] = field == null ? null : converters[i].convert(field);
                }
                if (!sink.row(values)) {
                    object.abort(); // the sink is full: drop the connection instead of reading the rest
                    return;
                }
            }
        } catch (IOException e) {
            throw new EngineException("QUERY_FAILED", EngineException.Kind.EXTERNAL,
                    "reading result file " + csv + " failed: " + e.getMessage(), Map.of("engine", "athena"), e);
        } catch (SdkException e) {
            throw AthenaErrors.of("GetObject", e);
        }
    }

    /**
     * Hands {@code <id>.csv} to a sink that stores it with its own CSV reader, streamed from S3. A
     * failure to read the object is the engine's (QUERY_FAILED, as on the row path); a failure to
     * store it is the store's.
     */
    private void handOver(S3Location csv, List<Column> columns, CsvSink sink) throws EngineException {
        ReadFailures object = null;
        try (ResponseInputStream<GetObjectResponse> response = s3.getObject(r -> r.bucket(csv.bucket()).key(csv.key()))) {
            object = new ReadFailures(response);
            sink.athenaCsv(columns, object);
            response.abort(); // the sink may have stopped at its limits: drop the connection rather than drain it
        } catch (CsvSink.MalformedCsv e) {
            throw new EngineException("QUERY_FAILED", EngineException.Kind.EXTERNAL,
                    "result file " + csv + " is not a CSV of its " + columns.size() + " columns: " + e.getMessage(),
                    Map.of("engine", "athena"), e);
        } catch (IOException e) {
            if (object != null && object.failure != null) {
                throw new EngineException("QUERY_FAILED", EngineException.Kind.EXTERNAL,
                        "reading result file " + csv + " failed: " + object.failure.getMessage(), Map.of("engine", "athena"), e);
            }
            throw new java.io.UncheckedIOException(e); // the result could not be stored
        } catch (SdkException e) {
            throw AthenaErrors.of("GetObject", e);
        }
    }

    /** The S3 object's stream, remembering a failure to read it (told apart from a failure to store it). */
    private static final class ReadFailures extends java.io.FilterInputStream {
        IOException failure;

        ReadFailures(java.io.InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }

    /** Pages through GetQueryResults (the path for statements without a CSV, and the baseline). */
    void readPages(AthenaResultSource source, RowSink sink) throws EngineException {
        String id = source.queryExecutionId();
        boolean headerRow = "DML".equals(source.statementType());
        try {
            String token = null;
            boolean first = true;
            AthenaValues.Converter[] converters = null;
            Object[] values = null;
            do {
                String next = token;
                GetQueryResultsResponse page = athena.getQueryResults(r -> r.queryExecutionId(id).maxResults(1000)
                        .nextToken(next));
                List<Row> rows = page.resultSet().rows();
                int start = 0;
                if (first) {
                    List<Column> columns = new ArrayList<>();
                    for (ColumnInfo c : page.resultSet().resultSetMetadata().columnInfo()) {
                        columns.add(column(c));
                    }
                    sink.columns(columns);
                    converters = converters(columns);
                    values = new Object[columns.size()];
                    start = headerRow && !rows.isEmpty() ? 1 : 0;
                    first = false;
                }
                for (int r = start; r < rows.size(); r++) {
                    List<Datum> data = rows.get(r).data();
                    for (int i = 0; i < values.length; i++) {
                        String text = i < data.size() ? data.get(i).varCharValue() : null;
                        values[i] = text == null ? null : converters[i].convert(text);
                    }
                    if (!sink.row(values)) {
                        return; // the sink is full: ask for no further page
                    }
                }
                token = page.nextToken();
            } while (token != null);
        } catch (SdkException e) {
            throw AthenaErrors.of("GetQueryResults", e);
        }
    }

    private List<Column> columns(AthenaResultSource source, S3Location csv) throws EngineException {
        S3Location metadata = csv.sibling(".metadata");
        try {
            byte[] bytes = s3.getObjectAsBytes(r -> r.bucket(metadata.bucket()).key(metadata.key())).asByteArray();
            return AthenaResultMetadata.columns(bytes);
        } catch (NoSuchKeyException e) {
            // No metadata file: take the column info from the first page of GetQueryResults.
            try {
                var page = athena.getQueryResults(r -> r.queryExecutionId(source.queryExecutionId()).maxResults(1));
                List<Column> columns = new ArrayList<>();
                for (ColumnInfo c : page.resultSet().resultSetMetadata().columnInfo()) {
                    columns.add(column(c));
                }
                return columns;
            } catch (SdkException inner) {
                throw AthenaErrors.of("GetQueryResults", inner);
            }
        } catch (IOException e) {
            throw new EngineException("QUERY_FAILED", EngineException.Kind.EXTERNAL,
                    "result metadata " + metadata + " is unreadable: " + e.getMessage(), Map.of("engine", "athena"), e);
        } catch (SdkException e) {
            throw AthenaErrors.of("GetObject", e);
        }
    }

    private static Column column(ColumnInfo c) {
        String type = AthenaResultMetadata.typeName(c.type(), c.precision() == null ? 0 : c.precision(),
                c.scale() == null ? 0 : c.scale());
        return new Column(c.label() != null ? c.label() : c.name(), type);
    }

    private static AthenaValues.Converter[] converters(List<Column> columns) {
        AthenaValues.Converter[] converters = new AthenaValues.Converter[columns.size()];
        for (int i = 0; i < converters.length; i++) {
            converters[i] = AthenaValues.converter(columns.get(i).type());
        }
        return converters;
    }
}
