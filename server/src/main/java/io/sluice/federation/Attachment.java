package io.sluice.federation;

import java.util.List;
import java.util.Map;

/**
 * The databases one {@link Federation#attach} attached on one DuckDB connection. {@link #close()}
 * undoes it on that same connection, whatever happened in between (a query that succeeded, failed or
 * was cancelled).
 */
public interface Attachment extends AutoCloseable {

    /** The aliases attached, in order. */
    List<String> aliases();

    /** alias -> {@code "native"} or {@code "import"}. */
    Map<String, String> modes();

    /** Rows copied by the import path (0 when every target is native). */
    long importedRows();

    /**
     * DETACHes every alias on the same connection and deletes the import files. Never throws: each
     * failure is logged (WARN) and the rest goes on. A second call does nothing.
     */
    @Override
    void close();
}
