package io.sluice.standin;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A local stand-in for AWS Athena plus an S3-compatible server, for tests and benchmarks.
 *
 * <p>The Athena endpoint speaks the AWS JSON 1.1 protocol the real SDK uses
 * (StartQueryExecution, GetQueryExecution, BatchGetQueryExecution, GetQueryResults,
 * StopQueryExecution, GetWorkGroup, ListDataCatalogs, ListDatabases, ListTableMetadata,
 * GetTableMetadata) and runs queries on an embedded DuckDB. Athena databases are DuckDB schemas of
 * the catalog {@code AwsDataCatalog}; {@code default} exists from the start. Results are written
 * to the S3 server exactly where and how Athena writes them ({@code <id>.csv} and
 * {@code <id>.csv.metadata}, {@code <id>.txt}, ...).
 *
 * <pre>{@code
 * try (AthenaStandIn athena = AthenaStandIn.builder().build().start()) {
 *     athena.createBucket("athena-results");
 *     athena.workGroup("primary", "s3://athena-results/", null, false);
 *     athena.execute("CREATE SCHEMA analytics; CREATE TABLE analytics.events AS SELECT range AS id FROM range(10)");
 *     AthenaClient client = AthenaClient.builder()
 *             .endpointOverride(athena.athenaEndpoint())
 *             .region(Region.of(athena.region()))
 *             .credentialsProvider(StaticCredentialsProvider.create(
 *                     AwsBasicCredentials.create(athena.accessKeyId(), athena.secretAccessKey())))
 *             .build();
 *     ...
 * }
 * }</pre>
 *
 * <p>Data scanned: a finished query's {@code DataScannedInBytes} is the sum, over the distinct
 * tables it reads, of row count times the table's scan weight ({@link #scanWeight}, default
 * {@value ScanMeter#DEFAULT_BYTES_PER_ROW} bytes per row); DDL, SHOW, DESCRIBE and EXPLAIN scan 0.
 * While a query runs the figure grows at {@link Faults#scanRate(long)} bytes per clock second,
 * capped by that sum, except for queries held by {@link Faults#holdMatching(String)}, which grow
 * without bound until stopped or cut off by the workgroup's {@code BytesScannedCutoffPerQuery}.
 *
 * <p>Thread-safe once started. Time comes from the builder's {@link Clock}, so a {@link ManualClock}
 * makes timing deterministic.
 */
public final class AthenaStandIn implements AutoCloseable {
    private static final String REGION = "us-east-1";

    private final Builder settings;
    private final Faults faults;
    private final CallCounts calls = new CallCounts();
    private final CallLog callLog = new CallLog();
    private Path workDirectory;
    private DuckDbEngine engine;
    private S3Server s3;
    private ResultStore store;
    private WorkGroups workGroups;
    private ScanMeter scanMeter;
    private QueryRegistry registry;
    private QueryLifecycle lifecycle;
    private AthenaHttpServer http;

    private AthenaStandIn(Builder settings) {
        this.settings = settings;
        this.faults = new Faults(settings.clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts DuckDB, the S3 server and the Athena endpoint. Returns this, for chaining. */
    public synchronized AthenaStandIn start() {
        if (http != null) {
            throw new IllegalStateException("already started");
        }
        try {
            LogQuieter.quietDependencies();
            Instant now = settings.clock.instant();
            workDirectory = Files.createTempDirectory("athena-standin-");
            engine = new DuckDbEngine(Files.createDirectories(workDirectory.resolve("duckdb-spill")));
            s3 = new S3Server(settings.blobStoreDir, settings.s3Port, settings.accessKeyId, settings.secretAccessKey, faults);
            s3.start();
            store = new ResultStore(s3.blobStore());
            workGroups = new WorkGroups(now);
            scanMeter = new ScanMeter(engine, settings.defaultScanBytesPerRow);
            registry = new QueryRegistry();
            Path results = Files.createDirectories(workDirectory.resolve("results"));
            StatementRunner runner = new StatementRunner(engine, new UtilityAnswers(engine), results);
            lifecycle = new QueryLifecycle(settings.clock, engine, store, scanMeter, runner, faults, registry,
                    settings.workerThreads);
            Map<String, Operation> operations = new HashMap<>();
            new QueryOperations(settings.clock, engine, workGroups, registry, lifecycle, faults, calls)
                    .register(operations);
            new ResultOperations(registry, lifecycle, store).register(operations);
            new CatalogOperations(engine, workGroups, now).register(operations);
            http = new AthenaHttpServer(settings.athenaPort, operations, faults, calls, callLog);
            lifecycle.start();
            http.start();
            return this;
        } catch (Exception e) {
            close();
            throw new IllegalStateException("The Athena stand-in did not start", e);
        }
    }

    /** Stops everything and deletes the stand-in's temporary files (not a {@code blobStoreDir}). Idempotent. */
    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
            http = null;
        }
        if (lifecycle != null) {
            lifecycle.close();
            lifecycle = null;
        }
        try {
            if (s3 != null) {
                s3.close();
            }
        } catch (Exception e) {
            // Closing is best effort: the process may be going away anyway.
        } finally {
            s3 = null;
        }
        try {
            if (engine != null) {
                engine.close();
            }
        } catch (SQLException e) {
            // As above.
        } finally {
            engine = null;
        }
        deleteTree(workDirectory);
        workDirectory = null;
    }

    /** The Athena endpoint, e.g. {@code http://127.0.0.1:40123}, for the SDK's {@code endpointOverride}. */
    public URI athenaEndpoint() {
        return started().endpoint();
    }

    /** The S3 endpoint; clients must use path-style access. */
    public URI s3Endpoint() {
        started();
        return s3.endpoint();
    }

    /** The access key the S3 server accepts (the Athena endpoint accepts any). */
    public String accessKeyId() {
        return settings.accessKeyId;
    }

    public String secretAccessKey() {
        return settings.secretAccessKey;
    }

    /** Always {@code us-east-1}. */
    public String region() {
        return REGION;
    }

    /** Creates an S3 bucket if it does not exist. */
    public void createBucket(String bucket) {
        started();
        store.createBucket(bucket);
    }

    /**
     * Runs setup SQL on DuckDB (several statements separated by {@code ;} are fine) with
     * {@code default} as the current database, e.g.
     * {@code execute("CREATE SCHEMA analytics; CREATE TABLE analytics.events AS SELECT ...")}.
     *
     * @throws IllegalArgumentException when DuckDB rejects the SQL
     */
    public void execute(String sql) {
        started();
        try {
            engine.execute(sql);
        } catch (SQLException e) {
            throw new IllegalArgumentException("Setup SQL failed: " + e.getMessage(), e);
        }
    }

    /** Sets how many bytes one row of a table counts for in {@code DataScannedInBytes}. */
    public void scanWeight(String database, String table, long bytesPerRow) {
        started();
        scanMeter.weight(database, table, bytesPerRow);
    }

    /**
     * Creates or replaces a workgroup.
     *
     * @param outputLocation where results go, e.g. {@code s3://athena-results/}, or null for none
     * @param bytesScannedCutoffPerQuery per-query scan limit (at least 10,000,000), or null for none
     * @param enforce whether the workgroup's output location overrides the client's
     */
    public void workGroup(String name, String outputLocation, Long bytesScannedCutoffPerQuery, boolean enforce) {
        started();
        workGroups.define(Objects.requireNonNull(name, "name"), outputLocation, bytesScannedCutoffPerQuery, enforce,
                settings.clock.instant());
    }

    /** The faults tests switch at run time. */
    public Faults faults() {
        return faults;
    }

    /** How many API calls of each operation the stand-in received. */
    public CallCounts calls() {
        return calls;
    }

    /** Every call that named query executions, with its caller: who polled, started and stopped what. */
    public CallLog callLog() {
        return callLog;
    }

    /**
     * The states a query has passed through, in order, e.g. {@code [QUEUED, RUNNING, QUEUED,
     * RUNNING, SUCCEEDED]}; empty for an unknown id. Athena has no such call; tests use it to see
     * transitions a poller may miss.
     */
    public List<String> stateHistory(String queryExecutionId) {
        started();
        return registry.find(queryExecutionId)
                .map(query -> {
                    lifecycle.refresh(query);
                    return query.history().stream().map(Enum::name).collect(Collectors.toList());
                })
                .orElse(List.of());
    }

    /**
     * The ids of every execution whose query string contains a match of {@code sqlRegex}. Athena has
     * no such call; tests use it to prove that retries and restarts started no second execution.
     */
    public List<String> executionIds(String sqlRegex) {
        started();
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(sqlRegex);
        return registry.all().stream().filter(q -> pattern.matcher(q.request.queryString()).find())
                .map(q -> q.id).collect(Collectors.toList());
    }

    /** A query's record, for this module's tests. */
    QueryExecution query(String queryExecutionId) {
        started();
        return registry.find(queryExecutionId).orElseThrow();
    }

    private AthenaHttpServer started() {
        AthenaHttpServer server = http;
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server;
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException error) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // Temporary files; the OS cleans up what is left.
        }
    }

    /** Settings of a stand-in; every one has a default. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Path blobStoreDir;
        private int athenaPort;
        private int s3Port;
        private String accessKeyId = "AKIASLUICESTANDIN000";
        private String secretAccessKey = "sluice-standin-secret-access-key";
        private int workerThreads = 4;
        private long defaultScanBytesPerRow = ScanMeter.DEFAULT_BYTES_PER_ROW;

        private Builder() {
        }

        /** The clock for all times: submission, completion, statistics, delays, reuse ages. Default: system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Keep S3 objects under this directory instead of in memory (for large results); null for memory. */
        public Builder blobStoreDir(Path directory) {
            this.blobStoreDir = directory;
            return this;
        }

        /** The Athena endpoint's port; 0 (default) picks a free one. */
        public Builder athenaPort(int port) {
            this.athenaPort = port;
            return this;
        }

        /** The S3 endpoint's port; 0 (default) picks a free one. */
        public Builder s3Port(int port) {
            this.s3Port = port;
            return this;
        }

        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
            this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            return this;
        }

        /** How many queries run SQL at once; the rest wait QUEUED. Default 4. */
        public Builder workerThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be positive: " + threads);
            }
            this.workerThreads = threads;
            return this;
        }

        /** Bytes per row for tables without a {@link AthenaStandIn#scanWeight scan weight}. Default 100. */
        public Builder defaultScanBytesPerRow(long bytesPerRow) {
            this.defaultScanBytesPerRow = bytesPerRow;
            return this;
        }

        public AthenaStandIn build() {
            return new AthenaStandIn(this);
        }
    }
}
