package io.sluice.result;

import java.util.Locale;
import java.util.Optional;

/** The forms a stored result downloads as. */
public enum DownloadFormat {
    /** Athena's CSV: header row, every value quoted, NULL as an empty unquoted field. */
    CSV("csv", "text/csv; charset=utf-8"),
    /** The stored Parquet file, with the result's column types. */
    PARQUET("parquet", "application/vnd.apache.parquet"),
    /** One JSON object per row, keys the column names (a repeated name gets {@code _2}, ...), values as pages show them. */
    JSONL("jsonl", "application/x-ndjson; charset=utf-8");

    private final String extension;
    private final String contentType;

    DownloadFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** The format named {@code text} (csv, parquet or jsonl, any case). */
    public static Optional<DownloadFormat> named(String text) {
        for (DownloadFormat f : values()) {
            if (f.extension.equals(text == null ? "" : text.toLowerCase(Locale.ROOT))) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
