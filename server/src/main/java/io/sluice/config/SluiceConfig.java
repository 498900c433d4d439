package io.sluice.config;

import io.sluice.engine.EngineDefinition;
import io.sluice.engine.EngineSettings;
import io.sluice.result.ResultFormat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The whole configuration, immutable. Defaults live in {@link ConfigLoader} and are pinned by
 * a test, so a changed default is a visible change.
 */
public record SluiceConfig(
        Server server,
        Store store,
        Results results,
        Queries queries,
        Auth auth,
        I18n i18n,
        Engines engines,
        Cluster cluster,
        Metrics metrics,
        Retention retention,
        Datasources datasources,
        Tasks tasks,
        Federation federation,
        io.sluice.budget.BudgetSettings budgets,
        Plans plans,
        Lint lint) {

    /**
     * HTTP server. {@code instanceId} names this instance in the store (claims) and its temporary
     * files; without one in the file every process gets its own (host name and a random suffix).
     * {@code shutdownGrace}: how long a stopping instance lets its running runs finish.
     */
    public record Server(String host, int port, long maxRequestBytes, String instanceId, Duration shutdownGrace) {
    }

    /** The metadata database: H2 (default), PostgreSQL or MySQL/MariaDB, chosen by URL. */
    public record Store(String url, String user, String password, int maxPoolSize) {
        @Override
        public String toString() {
            return "Store[url=" + url + ", user=" + user + ", password=***, maxPoolSize=" + maxPoolSize + "]";
        }
    }

    /**
     * Stored results and paging limits. {@code linkSecret} signs local download links; without
     * one, a random secret per start is used (links then die with a restart). {@code fsync} makes
     * stored results survive a machine crash too (a process crash never loses them).
     * {@code maxPageBytes} bounds the rows of one page (a page holds fewer rows than asked rather
     * than pass it); {@code maxValueBytes} is the longest value a page shows whole (longer ones
     * are cut there, and read whole through the value route or the download).
     * {@code store} says where results live: in {@code dir} ({@code FOLDER}), or in S3 ({@code S3},
     * with {@code s3} set; {@code dir} then holds only the local staging folder of writes in
     * progress). {@code sharedFolder} declares {@code dir} to be on a filesystem that every
     * instance of a cluster reaches. {@code firstPartRows} and {@code firstPartBytes}: once this many
     * rows or bytes of an Athena result's CSV are read, they are published as the run's first part,
     * readable while the rest is stored (either at 0: off). {@code conversionWait}: how long a sort,
     * filter or aggregate of a large Athena result published as Athena's CSV waits for its conversion
     * to Parquet before it answers RESULT_CONVERTING (ask again shortly).
     */
    public record Results(Path dir, int defaultPageSize, int maxPageSize, Optional<String> linkSecret,
                          Duration linkTtl, boolean fsync, int maxPageBytes, int maxValueBytes,
                          Storage store, boolean sharedFolder, Optional<S3Results> s3,
                          ResultFormat format, int duckdbThreads, String duckdbMemoryLimit,
                          int firstPartRows, int firstPartBytes, Duration conversionWait) {

        /** Where results live. */
        public enum Storage { FOLDER, S3 }

        /**
         * How new results are written: {@code PARQUET} (sortable, filterable, written by DuckDB; the
         * default of both stores) or {@code ROWS} (JSON lines, the format of earlier versions).
         * Results of either format are always read.
         */
        @Override
        public String toString() {
            return "Results[dir=" + dir + ", defaultPageSize=" + defaultPageSize + ", maxPageSize=" + maxPageSize
                    + ", linkSecret=" + (linkSecret.isPresent() ? "***" : "(random)") + ", linkTtl=" + linkTtl
                    + ", fsync=" + fsync + ", maxPageBytes=" + maxPageBytes + ", maxValueBytes=" + maxValueBytes
                    + ", store=" + store + ", sharedFolder=" + sharedFolder + ", s3=" + s3 + ", format=" + format
                    + ", duckdbThreads=" + duckdbThreads + ", duckdbMemoryLimit=" + duckdbMemoryLimit
                    + ", firstPartRows=" + firstPartRows + ", firstPartBytes=" + firstPartBytes
                    + ", conversionWait=" + conversionWait + "]";
        }
    }

    /**
     * The S3 result store. Credentials come from the standard AWS chain, never from this file.
     *
     * @param location  {@code s3://bucket/prefix/} where results are kept
     * @param region    the bucket's region; empty: the AWS region chain ({@code AWS_REGION}, profile)
     * @param endpoint  endpoint override (S3-compatible servers, VPC endpoints, tests), or null
     * @param pathStyle path-style addressing (needed by most S3-compatible servers)
     * @param cacheBytes local copies of Parquet results this instance keeps at most (DuckDB reads local files)
     */
    public record S3Results(String location, Optional<String> region, java.net.URI endpoint, boolean pathStyle,
                            long cacheBytes) {
    }

    /**
     * Several instances sharing one store and one results location. {@code enabled} requires a
     * shared results location and a configured {@code results.linkSecret} (so that every instance
     * serves every link). {@code lease} is the length of instances' leases on the runs they
     * claim, and of the cluster-wide retention lease.
     */
    public record Cluster(boolean enabled, Duration lease) {
    }

    /**
     * How long stored results and finished queries are kept. {@code resultDays}: the stored result
     * of a run that ended more than this many days ago is removed (a refresh brings it back); 0
     * keeps results for good. {@code historyDays}: a query whose latest run ended more than this
     * many days ago is removed with all its runs and results; 0 keeps history for good. One
     * instance of a cluster at a time does the work, every {@code interval}.
     */
    public record Retention(int resultDays, int historyDays, Duration interval) {
    }

    /**
     * Query execution: worker threads for local runs, threads for remote starts and result
     * ingestion, the largest accepted query text, and the per-user limits: how many local runs of
     * one user hold workers at once ({@code maxRunningPerUser}; the rest wait while other users'
     * runs go first) and how many queries one user may have waiting before submits answer 429.
     */
    public record Queries(int workers, int remoteWorkers, int maxQueryBytes, int historyMaxPageSize,
                          int maxRunningPerUser, int maxQueuedPerUser) {
    }

    /**
     * Identity. With {@code enabled}, the user is the e-mail in {@code identityHeader}, believed
     * only from a trusted proxy: an address in {@code trustedProxies} (IPs or CIDR) or a request
     * carrying {@code proxySecret} in {@code proxySecretHeader}. {@code admins}: the users (e-mail
     * addresses, lower case) who may share datasources with every user.
     */
    public record Auth(boolean enabled, String identityHeader, List<String> trustedProxies,
                       String proxySecretHeader, Optional<String> proxySecret, List<String> admins) {

        public Auth {
            admins = List.copyOf(admins);
        }

        /** Without admins. */
        public Auth(boolean enabled, String identityHeader, List<String> trustedProxies, String proxySecretHeader,
                    Optional<String> proxySecret) {
            this(enabled, identityHeader, trustedProxies, proxySecretHeader, proxySecret, List.of());
        }

        @Override
        public String toString() {
            return "Auth[enabled=" + enabled + ", identityHeader=" + identityHeader + ", trustedProxies="
                    + trustedProxies + ", proxySecretHeader=" + proxySecretHeader + ", proxySecret="
                    + (proxySecret.isPresent() ? "***" : "(none)") + ", admins=" + admins + "]";
        }
    }

    /**
     * The registry of external databases ({@code /api/datasources}). {@code enabled}: on when an
     * {@code encryptionKey} is configured, unless set. {@code encryptionKey}: base64 of 32 random
     * bytes (AES-256-GCM) that encrypts the datasources' passwords in the store, normally
     * {@code "${SLUICE_DATASOURCE_KEY}"}. {@code sqliteDirectories}: the only folders a SQLite
     * datasource's file may be in. {@code connectTimeout}: the longest a connection test waits.
     */
    public record Datasources(boolean enabled, Optional<String> encryptionKey, List<Path> sqliteDirectories,
                              Duration connectTimeout) {

        public Datasources {
            sqliteDirectories = List.copyOf(sqliteDirectories);
        }

        @Override
        public String toString() {
            return "Datasources[enabled=" + enabled + ", encryptionKey=" + (encryptionKey.isPresent() ? "***" : "(none)")
                    + ", sqliteDirectories=" + sqliteDirectories + ", connectTimeout=" + connectTimeout + "]";
        }
    }

    /**
     * Async tasks ({@code /api/async_query}) and users' workspaces. {@code enabled}: on by default when
     * a DuckDB engine is configured (tasks run in DuckDB). {@code workers}: the tasks' own threads,
     * apart from the query workers. {@code workspaceDirectory}: where each user's workspace database
     * is; {@code workspaceMemoryLimit}, {@code workspaceThreads}: DuckDB's limits for one workspace;
     * {@code maxOpenWorkspaces}: how many stay open at once; {@code maxPageSize}: the largest page of
     * the task list.
     */
    public record Tasks(boolean enabled, int workers, Path workspaceDirectory, String workspaceMemoryLimit,
                        int workspaceThreads, int maxOpenWorkspaces, int maxPageSize) {
    }

    /**
     * How external databases are attached to a task or a synchronous query: {@code mode}
     * {@code native} (DuckDB's postgres, mysql and sqlite extensions), {@code import} (the referenced
     * tables are copied in over JDBC) or {@code auto} (native when the extension loads, else import);
     * {@code importBatchRows}: rows the import fetches at a time and between two looks at the cancel switch;
     * {@code postgresCopy}: PostgreSQL tables are imported with {@code COPY … TO STDOUT} (else over JDBC).
     */
    public record Federation(String mode, int importBatchRows, boolean postgresCopy) {
    }

    /**
     * Multi-step plans ({@code /api/plans}). {@code maxSteps}: steps one plan may have;
     * {@code workers}: plans run at once on one instance; {@code stepWorkers}: steps run at once on
     * one instance, all plans together (independent steps of a plan run in parallel within it);
     * {@code directory}: where each running plan's DuckDB file is (removed when the plan ends).
     */
    public record Plans(int maxSteps, int workers, int stepWorkers, Path directory) {
    }

    /** The query linter: a table of at least {@code wideTableColumns} columns is wide ({@code SELECT *} on it warns). */
    public record Lint(int wideTableColumns) {
    }

    /** The language of server messages when the request's Accept-Language names none we have. */
    public record I18n(String defaultLocale) {
    }

    /**
     * Engines: which one a query uses by default, and every configured engine in file order, each
     * with its name, type and the settings its type read.
     */
    public record Engines(String defaultEngine, List<EngineDefinition<?>> definitions) {

        public Engines {
            definitions = List.copyOf(definitions);
        }

        /** The names of the configured engines, in file order. */
        public List<String> names() {
            return definitions.stream().map(EngineDefinition::name).toList();
        }

        /** The settings of engine {@code name}, when it is configured with settings of {@code type}. */
        public <S extends EngineSettings> Optional<S> settings(String name, Class<S> type) {
            return definitions.stream().filter(d -> d.name().equals(name)).map(EngineDefinition::settings)
                    .filter(type::isInstance).map(type::cast).findFirst();
        }
    }

    /**
     * The Prometheus endpoint {@code GET /metrics}, served while {@code enabled}. With access
     * {@link Access#PUBLIC} anyone may read it (as {@code /health}); with {@link Access#TOKEN} only a
     * request carrying {@code Authorization: Bearer <token>}.
     */
    public record Metrics(boolean enabled, Access access, Optional<String> token) {

        /** Who may read {@code /metrics}. */
        public enum Access { PUBLIC, TOKEN }

        @Override
        public String toString() {
            return "Metrics[enabled=" + enabled + ", access=" + access + ", token="
                    + (token.isPresent() ? "***" : "(none)") + "]";
        }
    }
}
