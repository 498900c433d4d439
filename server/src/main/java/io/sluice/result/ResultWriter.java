package io.sluice.result;

import io.sluice.engine.RowSink;

import java.io.IOException;

/**
 * Streams one result to storage. Rows go to disk as they arrive; memory use does not grow with the
 * result. Exactly one of {@link #publish} or {@link #abort} ends it; {@link #close} aborts a writer
 * that was neither published nor aborted.
 */
public interface ResultWriter extends RowSink, AutoCloseable {

    /** Makes the result visible atomically and returns its summary. */
    ResultSummary publish() throws IOException;

    /** Drops everything written so far. Idempotent. */
    void abort();

    /** Rows written so far. */
    long rowCount();

    /** Why the result holds less than the engine produced (a limit refused a row), or null. */
    ResultTruncation truncation();

    @Override
    void close();
}
