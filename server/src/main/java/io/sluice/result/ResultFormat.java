package io.sluice.result;

/**
 * The form a result store writes results in: both stores (folder and S3) write new results in one
 * of these, and read results of either. It is also the value of the configuration's
 * {@code results.format} ({@code "parquet"}, the default, or {@code "rows"}).
 */
public enum ResultFormat {
    /** {@code rows.jsonl} and {@code rows.idx}: the format of earlier versions, read row by row. */
    ROWS,
    /** Parquet parts written and read by DuckDB; see {@link ParquetLayout} and {@link ParquetResultReader}. */
    PARQUET
}
