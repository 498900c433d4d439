package io.sluice.engine.duckdb;

import io.sluice.engine.ArrowSink;
import io.sluice.engine.Cancellation;
import io.sluice.engine.CatalogBrowser;
import io.sluice.engine.Column;
import io.sluice.engine.EngineCapabilities;
import io.sluice.engine.EngineException;
import io.sluice.engine.EngineQuery;
import io.sluice.engine.LocalEngine;
import io.sluice.engine.QueryContext;
import io.sluice.engine.ResultLimits;
import io.sluice.engine.RowSink;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The embedded DuckDB engine. One database file per engine (several engines use several files);
 * each run gets its own duplicated
 * connection (DuckDB runs them in parallel) and is interrupted with {@code Statement.cancel()}.
 *
 * <p>Queries are locked in: files only from the allowed directories, no ATTACH of other files, no
 * extension downloads, no configuration changes, and (by default) a read-only database — a shared
 * gateway must not let one user's SQL read the server's files or drop a table everyone uses.
 * DuckDB lets SQL write wherever it may read, so every statement is checked before a text runs
 * ({@link StatementGuard}): files may be written only into the writable directories, within their
 * quotas ({@link WriteQuotas}). What users see names no absolute server path ({@link PathMask}).
 */
public final class DuckDbEngine implements LocalEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DuckDbEngine.class);
    /** Rows between two looks at the cancel switch while streaming a result. */
    private static final int CANCEL_CHECK_ROWS = 1024;
    /**
     * Statements are interrupted; a download is the stored result (a truncated result downloads as
     * stored); the catalog is browsable; nothing is priced or metered.
     */
    private static final EngineCapabilities CAPABILITIES = new EngineCapabilities(true, false, true, false,
            "duckdb", false, false, false);

    private final String name;

    private final DuckDBConnection root;
    private final QueryContext defaultContext;
    private final Duration maxRuntime;
    private final DuckDbCatalog catalog;
    private final ResultLimits resultLimits;
    private final PathMask paths;
    private final StatementGuard guard;
    private final WriteQuotas writes;
    private final FileAreas areas;
    private volatile OwnerDatabases ownerDatabases;

    private DuckDbEngine(String name, DuckDBConnection root, QueryContext defaultContext, Duration maxRuntime,
                         ResultLimits resultLimits, FileAreas areas, PathMask paths, WriteQuotas writes) {
        this.name = name;
        this.root = root;
        this.defaultContext = defaultContext;
        this.maxRuntime = maxRuntime;
        this.resultLimits = resultLimits;
        this.paths = paths;
        this.catalog = new DuckDbCatalog(this::connection, paths);
        this.guard = new StatementGuard(areas, paths);
        this.areas = areas;
        this.writes = writes;
    }

    /** Opens the engine {@code name}'s database (creating the sample data first when asked) and locks it down. */
    public static DuckDbEngine open(String name, DuckDbSettings config) {
        FileAreas areas = new FileAreas(Path.of(""), config.allowedDirectories(), config.writableDirectories());
        try {
            Files.createDirectories(config.database().toAbsolutePath().getParent());
            for (Path dir : areas.readable()) {
                Files.createDirectories(dir);
            }
            // A read-only open needs the file: a first start creates it (empty, or with the sample data).
            if (config.sampleData() || !Files.exists(config.database())) {
                try (Connection setup = DriverManager.getConnection("jdbc:duckdb:" + config.database(), connectionProperties(config, false))) {
                    if (config.sampleData()) {
                        SampleData.createIfMissing(setup);
                    }
                }
            }
            DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection(
                    "jdbc:duckdb:" + config.database(), connectionProperties(config, config.readOnly()));
            lockDown(root, areas.readable());
            String database = single(root, "SELECT current_database()");
            PathMask paths = PathMask.of(areas.workingDirectory(), Path.of(System.getProperty("user.home")),
                    knownPaths(config, areas, single(root, "SELECT current_setting('temp_directory')")));
            return new DuckDbEngine(name, root, new QueryContext(database, "main"), config.maxRuntime(),
                    new ResultLimits(config.maxResultRows(), config.maxResultBytes()), areas, paths,
                    WriteQuotas.start(paths));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open DuckDB database " + config.database() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create DuckDB folders for " + config.database(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return DuckDbType.NAME;
    }

    @Override
    public EngineCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public QueryContext defaultContext() {
        return defaultContext;
    }

    @Override
    public Duration maxRuntime() {
        return maxRuntime;
    }

    @Override
    public CatalogBrowser catalog() {
        return catalog;
    }

    @Override
    public ResultLimits resultLimits() {
        return resultLimits;
    }

    /**
     * Runs the queries of users who have a database of their own (a workspace) there, rather than on
     * the shared database: it sees the shared database too, and the user's own tables.
     */
    public void runOwnersIn(OwnerDatabases databases) {
        this.ownerDatabases = databases;
    }

    /** The folders the engine's SQL may read files from (absolute): a workspace may read them too. */
    public List<Path> readableDirectories() {
        return areas.readable().stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    @Override
    public void execute(EngineQuery query, RowSink sink, Cancellation cancellation) throws EngineException {
        OwnerDatabases owners = ownerDatabases;
        try (OwnerDatabases.Lease own = owners == null || query.owner() == null ? null
                : owners.open(query.owner()).orElse(null);
             Connection connection = own != null ? null : connection()) {
            execute(query, own != null ? own.connection() : connection, sink, cancellation);
        } catch (SQLException e) {
            throw DuckDbErrors.engine(e.getMessage(), paths, e);
        }
    }

    private void execute(EngineQuery query, Connection connection, RowSink sink, Cancellation cancellation)
            throws EngineException {
        try {
            // A new connection starts in the engine's default catalog and schema.
            if (!query.context().equals(defaultContext)) {
                use(connection, query.context());
            }
            StatementGuard.Plan plan = guard.check(connection, query.sql());
            try (Statement statement = connection.createStatement()) {
                cancellation.onCancel(() -> cancelQuietly(statement));
                if (cancellation.isCancelled()) {
                    throw new EngineException("QUERY_CANCELLED", EngineException.Kind.USER, "cancelled");
                }
                boolean hasRows = writes.run(plan.writes(), () -> cancelQuietly(statement), cancellation,
                        () -> statement.execute(query.sql()));
                if (hasRows) {
                    try (ResultSet rows = statement.getResultSet()) {
                        List<String> types = types(rows.getMetaData());
                        if (sink instanceof ArrowSink arrow && ArrowResults.canCarry(types)) {
                            ArrowResults.transfer(rows, columns(rows.getMetaData(), types), arrow, paths, cancellation);
                        } else {
                            stream(rows, sink, cancellation);
                        }
                    }
                } else {
                    sink.columns(List.of(new Column("rows_affected", "bigint")));
                    long count = statement.getLargeUpdateCount();
                    sink.row(new Object[]{count < 0 ? null : count});
                }
            }
        } catch (SQLException e) {
            throw DuckDbErrors.engine(e.getMessage(), paths, e);
        }
    }

    @Override
    public void close() {
        writes.close();
        try {
            root.close();
        } catch (SQLException e) {
            LOG.warn("closing DuckDB failed: {}", e.getMessage());
        }
    }

    private Connection connection() throws SQLException {
        return root.duplicate();
    }

    private static void use(Connection connection, QueryContext context) throws EngineException {
        if (context.catalog() == null || context.database() == null) {
            return;
        }
        try (Statement use = connection.createStatement()) {
            use.execute("USE " + DuckDbSql.identifier(context.catalog()) + "." + DuckDbSql.identifier(context.database()));
        } catch (SQLException e) {
            throw new EngineException("QUERY_FAILED", EngineException.Kind.USER,
                    "catalog " + context.catalog() + " or database " + context.database() + " does not exist",
                    Map.of("catalog", context.catalog(), "database", context.database()), e);
        }
    }

    private void stream(ResultSet rows, RowSink sink, Cancellation cancellation)
            throws SQLException, EngineException {
        ResultSetMetaData meta = rows.getMetaData();
        List<String> types = types(meta);
        int count = types.size();
        DuckDbValues.Reader[] readers = new DuckDbValues.Reader[count];
        for (int i = 0; i < count; i++) {
            readers[i] = paths.reader(DuckDbValues.reader(types.get(i)));
        }
        sink.columns(columns(meta, types));
        Object[] values = new Object[count];
        long n = 0;
        while (rows.next()) {
            for (int i = 0; i < count; i++) {
                values[i] = readers[i].read(rows, i + 1);
            }
            if (!sink.row(values)) {
                return; // the sink is full: fetch no more; the caller closes the result set and statement
            }
            if (++n % CANCEL_CHECK_ROWS == 0 && cancellation.isCancelled()) {
                throw new EngineException("QUERY_CANCELLED", EngineException.Kind.USER, "cancelled");
            }
        }
    }

    /** The DuckDB type of each column, as JDBC names it. */
    private static List<String> types(ResultSetMetaData meta) throws SQLException {
        List<String> types = new ArrayList<>(meta.getColumnCount());
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            types.add(meta.getColumnTypeName(i));
        }
        return types;
    }

    /** The result's columns as Sluice shows them: their labels and Athena-style type names. */
    private static List<Column> columns(ResultSetMetaData meta, List<String> types) throws SQLException {
        List<Column> columns = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            columns.add(new Column(meta.getColumnLabel(i + 1), DuckDbValues.athenaTypeName(types.get(i))));
        }
        return columns;
    }

    private static void cancelQuietly(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException e) {
            LOG.debug("cancel of a finished statement: {}", e.getMessage());
        }
    }

    /**
     * The connection properties the engine opens its database with. DuckDB keeps one database
     * instance per file and process and refuses a second connection with other settings: a tool
     * that connects beside the engine (the benchmarks' baseline) uses exactly these.
     */
    public static Properties connectionProperties(DuckDbSettings config, boolean readOnly) {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", Boolean.toString(readOnly));
        p.setProperty("threads", Integer.toString(config.threads()));
        p.setProperty("memory_limit", config.memoryLimit());
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        // Rows are fetched as the query produces them, so a result that fills its sink (the result
        // limits) stops the query instead of having been computed and held whole first.
        p.setProperty("jdbc_stream_results", "true");
        // DuckDB 2.0's asynchronous file writer can deadlock when a COPY … TO is interrupted (a cancel,
        // a quota stop): the aborting writer waits for a write task that waits for its lock. Writing
        // synchronously avoids it (hundreds of interrupted COPYs, no hang).
        p.setProperty("async_threads", "0");
        return p;
    }

    private static void lockDown(Connection root, List<Path> allowedDirectories) throws SQLException {
        String dirs = allowedDirectories.stream()
                .map(d -> DuckDbSql.string(d.toAbsolutePath().normalize() + "/"))
                .collect(Collectors.joining(", ", "[", "]"));
        try (Statement s = root.createStatement()) {
            s.execute("SET allowed_directories = " + dirs);
        }
        try (Statement s = root.createStatement()) {
            s.execute("SET enable_external_access = false");
        }
        try (Statement s = root.createStatement()) {
            s.execute("SET allow_persistent_secrets = false");
        }
        try (Statement s = root.createStatement()) {
            s.execute("SET lock_configuration = true");
        }
    }

    /** What {@link PathMask} hides: the folders SQL may use, the database file, its folder and DuckDB's temp folder. */
    private static List<Path> knownPaths(DuckDbSettings config, FileAreas areas, String tempDirectory) {
        List<Path> known = new ArrayList<>(areas.readable());
        Path database = config.database().toAbsolutePath().normalize();
        known.add(database);
        known.add(database.getParent());
        if (tempDirectory != null && !tempDirectory.isBlank()) {
            known.add(Path.of(tempDirectory));
        }
        return known;
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
