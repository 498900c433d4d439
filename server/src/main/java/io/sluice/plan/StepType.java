package io.sluice.plan;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of plan step, by the names requests use. */
public enum StepType {
    /** A query on an Athena engine, submitted through the query service (priced, in history). */
    ATHENA_QUERY("AthenaQuery"),
    /** A SELECT on a registered datasource, with earlier steps' values bound as array parameters. */
    RELATIONAL_QUERY("RelationalQuery"),
    /** One Parquet object read from S3. */
    S3_PARQUET_READ("S3ParquetRead"),
    /** A DuckDB SELECT over earlier steps' tables. */
    LOCAL_QUERY("LocalQuery");

    private final String wireName;

    StepType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<StepType> named(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
