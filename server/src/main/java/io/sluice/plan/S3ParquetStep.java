package io.sluice.plan;

import io.sluice.engine.EngineException;
import io.sluice.engine.athena.AthenaEngine;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * An S3ParquetRead: the object is copied with the Athena engine's S3 client (its region, endpoint
 * and credentials) into the scratch folder, and read by DuckDB's Parquet reader into the step's table.
 */
final class S3ParquetStep implements StepExecutor {

    private final Function<String, AthenaEngine> engines;

    /** {@code engines}: the Athena engine a step names (null: the first one). */
    S3ParquetStep(Function<String, AthenaEngine> engines) {
        this.engines = engines;
    }

    @Override
    public void run(StepContext c) throws Exception {
        AthenaEngine engine = engines.apply(c.step().engine());
        Path file = c.scratch().resolve("s3-" + c.step().id() + ".parquet");
        try {
            engine.readObject(c.step().bucket(), c.step().key(), file);
        } catch (EngineException e) {
            throw new StepFailure("s3://" + c.step().bucket() + "/" + c.step().key() + ": " + e.getMessage());
        }
        if (c.cancellation().isCancelled()) {
            return;
        }
        DuckSteps.load(c.duck(), c.step().id(), file, true, c.cancellation());
    }
}
