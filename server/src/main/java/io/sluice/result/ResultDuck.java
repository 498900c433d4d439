package io.sluice.result;

import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The result store's own embedded DuckDB: an in-memory database that writes results as Parquet
 * and reads them back (pages, sorts, filters, aggregates, downloads). It is not the engine's
 * database and runs no user SQL: it may touch files only inside the results folder, loads no
 * extension, and its settings are locked once set. Each writer and reader works on its own
 * duplicated connection, so they run in parallel.
 */
final class ResultDuck implements AutoCloseable {

    /** Threads and memory for storing and reading results. */
    record Settings(int threads, String memoryLimit) {
        static final Settings DEFAULT = new Settings(Math.max(1, Runtime.getRuntime().availableProcessors()), "1GB");
    }

    private final DuckDBConnection root;
    private final DuckDBConnection streaming;
    /**
     * Reads at once. A page decodes whole row groups, and a row group holding a huge value (a
     * 100 MB string, say) takes that much memory however little of it the page shows: eight such
     * pages at once passed the memory limit. Reads beyond this many wait their turn.
     */
    private final Semaphore reads;
    private final Path scratch;
    private final ViewFiles views;
    /**
     * Rows a filter keeps, by data file and filter fingerprint: a stored file never changes (a
     * replaced result gets a new file name), so the count of a filtered view is computed once for
     * all its pages.
     */
    private final Map<String, Long> filteredCounts = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 1024;
        }
    });

    private ResultDuck(DuckDBConnection root, DuckDBConnection streaming, int concurrentReads, Path scratch) {
        this.root = root;
        this.scratch = scratch;
        this.views = new ViewFiles(scratch.resolve("views"));
        this.streaming = streaming;
        this.reads = new Semaphore(concurrentReads, true);
    }

    /**
     * Opens a database that may read and write files under {@code resultsRoot} only, spilling to
     * {@code tempDirectory} (inside it) when a sort or an aggregate needs more than its memory.
     */
    static ResultDuck open(Path resultsRoot, Path tempDirectory, Settings settings) {
        DuckDBConnection root = openDatabase(resultsRoot, tempDirectory, settings, false);
        try {
            return new ResultDuck(root, openDatabase(resultsRoot, tempDirectory, settings, true),
                    Math.max(2, settings.threads()), tempDirectory);
        } catch (RuntimeException e) {
            closeQuietly(root);
            throw e;
        }
    }

    /**
     * One in-memory database. DuckDB's JDBC driver either streams every result of a database or
     * none, and a streamed query that fails reaches JDBC without its message ("Invalid result
     * set"): reads whose answers are small (pages, counts, aggregates, writes) use a database that
     * does not stream, so their errors say what went wrong; downloads use one that streams, so a
     * download of any size holds one chunk at a time.
     */
    private static DuckDBConnection openDatabase(Path resultsRoot, Path tempDirectory, Settings settings,
                                                 boolean streamResults) {
        Properties p = new Properties();
        p.setProperty("threads", Integer.toString(settings.threads()));
        p.setProperty("memory_limit", settings.memoryLimit());
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("jdbc_stream_results", Boolean.toString(streamResults));
        // See DuckDbEngine: an interrupted COPY … TO must not deadlock in the asynchronous writer.
        p.setProperty("async_threads", "0");
        p.setProperty("temp_directory", tempDirectory.resolve(streamResults ? "downloads" : "reads")
                .toAbsolutePath().normalize().toString());
        try {
            DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", p);
            String dir = resultsRoot.toAbsolutePath().normalize().toString().replace("'", "''");
            try (Statement s = root.createStatement()) {
                s.execute("SET allowed_directories = ['" + dir + "/']");
                s.execute("SET enable_external_access = false");
                // Pages open the same file again and again: keep each file's footer in memory.
                s.execute("SET parquet_metadata_cache = true");
                s.execute("SET lock_configuration = true");
            }
            return root;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the result store's DuckDB: " + e.getMessage(), e);
        }
    }

    /** A connection of its own, for one writer or one read with a small answer. */
    Connection connection() throws SQLException {
        return root.duplicate();
    }

    /**
     * A connection of its own for one read with a small answer (a page, a count, an aggregate, a
     * value), once fewer than the allowed reads run; closing it lets the next read in.
     */
    Connection readConnection() throws SQLException, IOException {
        try {
            reads.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to read a result");
        }
        Connection connection;
        try {
            connection = root.duplicate();
        } catch (SQLException | RuntimeException e) {
            reads.release();
            throw e;
        }
        AtomicBoolean released = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && released.compareAndSet(false, true)) {
                        try {
                            connection.close();
                        } finally {
                            reads.release();
                        }
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The remembered count of rows {@code key} (a data file and a filter) keeps, if any. */
    Long filteredCount(String key) {
        return filteredCounts.get(key);
    }

    void rememberFilteredCount(String key, long rows) {
        filteredCounts.put(key, rows);
    }

    /** A connection of its own whose results stream, for one download. */
    Connection streamingConnection() throws SQLException {
        return streaming.duplicate();
    }

    /** A new file name in the scratch folder (inside the results folder), for a file a read writes and deletes itself. */
    Path scratchFile(String suffix) throws IOException {
        Path dir = scratch.resolve("files");
        java.nio.file.Files.createDirectories(dir);
        return dir.resolve(java.util.UUID.randomUUID() + suffix);
    }

    /** {@code 'text'} as a SQL string literal. Only for paths Sluice made, never for user input. */
    static String literal(Path path) {
        return io.sluice.engine.duckdb.DuckDbSql.path(path);
    }

    /** {@code name} as a quoted SQL identifier. */
    static String identifier(String name) {
        return io.sluice.engine.duckdb.DuckDbSql.identifier(name);
    }

    /** The written sorted and filtered views of large results. */
    ViewFiles views() {
        return views;
    }

    @Override
    public void close() {
        views.close();
        closeQuietly(root);
        closeQuietly(streaming);
    }

    private static void closeQuietly(DuckDBConnection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing at shutdown: nothing left to do
        }
    }
}
