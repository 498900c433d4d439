package io.sluice.result;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Downloads of a whole Parquet result, streamed: CSV and JSON lines rendered row by row as DuckDB
 * reads the parts in order; Parquet as the parts copied into one file with the result's column
 * names (the one file of a result of the previous version is sent as it is).
 */
final class ParquetDownloads {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final ParquetResult result;

    ParquetDownloads(ParquetResult result) {
        this.result = result;
    }

    /** See {@link ResultReader#write(DownloadFormat, OutputStream)}. */
    void write(DownloadFormat format, OutputStream target) throws IOException {
        result.requireData();
        if (format == DownloadFormat.PARQUET) {
            writeParquet(target);
            return;
        }
        List<String> names = result.names();
        ParquetLayout layout = result.layout();
        BufferedOutputStream out = new BufferedOutputStream(target, BUFFER_BYTES);
        if (format == DownloadFormat.CSV) {
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                StoredValues.csvQuoted(out, result.file().columns().get(i).name());
            }
            out.write('\n');
        }
        // A part at a time; one file read in insertion order (DuckDB's default) gives its rows in stored order without a sort.
        for (int k = 0; k < layout.files().size(); k++) {
            writeRows(format, layout.part(k), out);
        }
        out.flush();
    }

    private void writeRows(DownloadFormat format, String part, OutputStream out) throws IOException {
        List<String> names = result.names();
        String sql = "SELECT " + allColumns() + " FROM " + part;
        try (Connection c = result.duck().streamingConnection(); PreparedStatement s = ParquetResult.prepare(c, sql, List.of());
             ResultSet rs = s.executeQuery();
             JsonGenerator json = ResultFiles.ROW_JSON.createGenerator(ResultFiles.nonClosing(out))) {
            json.setRootValueSeparator(null);
            while (rs.next()) {
                if (format == DownloadFormat.CSV) {
                    for (int i = 0; i < names.size(); i++) {
                        if (i > 0) {
                            out.write(',');
                        }
                        Object v = result.value(rs, i + 1, i);
                        if (v != null) {
                            StoredValues.csvQuoted(out, v instanceof Double d ? StoredValues.jsonNumber(d) : v.toString());
                        }
                    }
                    out.write('\n');
                } else {
                    json.writeStartObject();
                    for (int i = 0; i < names.size(); i++) {
                        json.writeFieldName(names.get(i));
                        StoredValues.writeJson(json, result.value(rs, i + 1, i));
                    }
                    json.writeEndObject();
                    json.flush();
                    out.write('\n');
                }
            }
        } catch (SQLException e) {
            throw result.failure(e);
        }
    }

    private String allColumns() {
        List<String> select = new ArrayList<>();
        for (int i = 0; i < result.names().size(); i++) {
            select.add(result.quoted(i));
        }
        return select.isEmpty() ? "1" : String.join(", ", select);
    }

    /**
     * The result as one Parquet file with the result's column names and stored types. The one file
     * of a result of the previous version is that already; parts are copied by DuckDB into a
     * scratch file first (in stored order: one single-threaded read of the parts in turn), which is
     * streamed and deleted.
     */
    private void writeParquet(OutputStream target) throws IOException {
        ParquetLayout layout = result.layout();
        if (layout.files().size() == 1 && result.file().format() == ResultFiles.FORMAT_PARQUET) {
            Files.copy(layout.file(0), target);
            return;
        }
        List<String> userNames = StoredColumns.names(result.file().columns());
        List<String> select = new ArrayList<>();
        for (int i = 0; i < userNames.size(); i++) {
            select.add(result.quoted(i) + " AS " + ResultDuck.identifier(userNames.get(i)));
        }
        Path scratch = result.duck().scratchFile(".parquet");
        try {
            try (Connection c = result.duck().readConnection(); Statement s = c.createStatement()) {
                s.execute("COPY (SELECT " + (select.isEmpty() ? "NULL AS \"column\"" : String.join(", ", select))
                        + " FROM " + layout.source(false) + (select.isEmpty() ? " WHERE false" : "") + ") TO "
                        + ResultDuck.literal(scratch) + " (FORMAT parquet, ROW_GROUP_SIZE " + ParquetLayout.ROW_GROUP_ROWS + ")");
            } catch (SQLException e) {
                throw result.failure(e);
            }
            Files.copy(scratch, target);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }
}
