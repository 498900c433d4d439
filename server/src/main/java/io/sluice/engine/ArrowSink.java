package io.sluice.engine;

import java.io.IOException;
import java.util.List;

/**
 * A {@link RowSink} that can also take a whole result at once as a stream of Arrow record batches,
 * handed over through the Arrow C stream interface (a pointer to an {@code ArrowArrayStream}
 * struct, the ABI Arrow defines for moving data between libraries in one process). An engine that
 * can produce Arrow (DuckDB) uses this instead of {@link #row} so that the result is stored at the
 * engine's own speed; either way the sink gets exactly one of the two.
 *
 * <p>The engine keeps ownership of the struct and releases it after the call returns.
 */
public interface ArrowSink extends RowSink {

    /**
     * Stores the result read from the stream, within the sink's limits: when the sink is full it
     * stops reading and returns normally (as {@link #row} answering false), and the engine stops
     * its query.
     *
     * @param columns                  the result's columns, as {@link #columns} would get them
     * @param arrowArrayStreamAddress  the address of the {@code ArrowArrayStream} to read
     * @throws IOException when the result could not be stored, or the stream failed (a cancelled
     *                     statement, say)
     */
    void arrowStream(List<Column> columns, long arrowArrayStreamAddress) throws IOException;
}
