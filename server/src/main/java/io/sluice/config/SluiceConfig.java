package io.sluice.config;

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
        Metrics metrics) {

    /** HTTP server. {@code instanceId} names this instance in the store (claims, leases). */
    public record Server(String host, int port, long maxRequestBytes, String instanceId) {
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
     */
    public record Results(Path dir, int defaultPageSize, int maxPageSize, Optional<String> linkSecret,
                          Duration linkTtl, boolean fsync, int maxPageBytes, int maxValueBytes) {
        @Override
        public String toString() {
            return "Results[dir=" + dir + ", defaultPageSize=" + defaultPageSize + ", maxPageSize=" + maxPageSize
                    + ", linkSecret=" + (linkSecret.isPresent() ? "***" : "(random)") + ", linkTtl=" + linkTtl
                    + ", fsync=" + fsync + ", maxPageBytes=" + maxPageBytes + ", maxValueBytes=" + maxValueBytes + "]";
        }
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
     * carrying {@code proxySecret} in {@code proxySecretHeader}.
     */
    public record Auth(boolean enabled, String identityHeader, List<String> trustedProxies,
                       String proxySecretHeader, Optional<String> proxySecret) {
        @Override
        public String toString() {
            return "Auth[enabled=" + enabled + ", identityHeader=" + identityHeader + ", trustedProxies="
                    + trustedProxies + ", proxySecretHeader=" + proxySecretHeader + ", proxySecret="
                    + (proxySecret.isPresent() ? "***" : "(none)") + "]";
        }
    }

    /** The language of server messages when the request's Accept-Language names none we have. */
    public record I18n(String defaultLocale) {
    }

    /** Engines: which one a query uses by default, and each engine's settings (absent = off). */
    public record Engines(String defaultEngine, Optional<DuckDb> duckdb, Optional<Athena> athena) {
    }

    /**
     * The embedded DuckDB engine.
     *
     * @param database           the database file; its name (without extension) is the catalog name
     * @param sampleData         create the sample {@code events} table at first start
     * @param readOnly           open the database read-only for queries (temp tables still work)
     * @param threads            DuckDB worker threads
     * @param memoryLimit        DuckDB memory limit, e.g. {@code 2GB}
     * @param allowedDirectories the only directories queries may read files from
     * @param maxRuntime         a query running longer ends TIMED_OUT
     * @param maxResultRows      rows a result stores at most; more make it truncated (the query succeeds)
     * @param maxResultBytes     bytes of row data a result stores at most; more make it truncated
     * @param writableDirectories the only directories queries may write files into ({@code COPY … TO},
     *                           {@code EXPORT DATABASE}), each with its size quota; also readable
     */
    public record DuckDb(Path database, boolean sampleData, boolean readOnly, int threads,
                         String memoryLimit, List<Path> allowedDirectories, Duration maxRuntime,
                         long maxResultRows, long maxResultBytes, List<WritableDirectory> writableDirectories) {

        /**
         * A directory queries may write files into.
         *
         * @param path       the directory
         * @param quotaBytes the most its files may hold; a write that passes it is stopped and removed
         */
        public record WritableDirectory(Path path, long quotaBytes) {
        }
    }

    /**
     * The Athena engine: where it runs and writes results, how queries are polled, stopped and
     * limited, and how their cost and download links are worked out. Credentials come from the
     * standard AWS chain (environment, system properties, profile, SSO, container or instance
     * role), never from this file.
     *
     * @param region             AWS region
     * @param workgroup          Athena workgroup
     * @param outputLocation     {@code s3://bucket/prefix/} where Athena writes results
     * @param catalog            default data catalog
     * @param database           default database
     * @param athenaEndpoint     endpoint override (tests, VPC endpoints), or null
     * @param s3Endpoint         S3 endpoint override, or null
     * @param s3PathStyle        path-style S3 addressing (needed by most S3-compatible servers)
     * @param pollInterval       how often running queries are polled
     * @param maxPollCallsPerSecond BatchGetQueryExecution calls per second the poller may make;
     *                           with many running queries, rounds are spaced out to keep it
     * @param maxRuntime         a query running longer is stopped and ends TIMED_OUT
     * @param maxScannedBytes    a query scanning more is stopped (SCAN_LIMIT_EXCEEDED)
     * @param resultReuse        ask Athena to reuse recent identical results
     * @param resultReuseMaxAge  how old a reused result may be
     * @param pricingFile        USD per TB by region
     * @param downloadLinkTtl    lifetime of presigned download links
     * @param validateOnStart    check the workgroup and the output location at start-up
     * @param maxResultRows      rows a stored result keeps at most; more make it truncated (the query succeeds)
     * @param maxResultBytes     bytes of row data a stored result keeps at most; more make it truncated
     */
    public record Athena(String region, String workgroup, String outputLocation, String catalog, String database,
                         java.net.URI athenaEndpoint, java.net.URI s3Endpoint, boolean s3PathStyle,
                         Duration pollInterval, int maxPollCallsPerSecond, Duration maxRuntime, long maxScannedBytes, boolean resultReuse,
                         Duration resultReuseMaxAge, Path pricingFile, Duration downloadLinkTtl,
                         boolean validateOnStart, long maxResultRows, long maxResultBytes) {
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
