package io.sluice.engine.athena;

import io.sluice.engine.EngineSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The settings of one Athena engine: where it runs and writes results, how queries are polled,
 * stopped and limited, and how their cost and download links are worked out. Credentials come from
 * the standard AWS chain (environment, system properties, profile, SSO, container or instance
 * role), never from the configuration file.
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
 * @param localCacheTtl      how long a succeeded query's stored result answers the same query again
 *                           (the local result cache); zero turns it off
 * @param localCacheShared   whether one user's cached result answers every user's same query
 */
public record AthenaSettings(String region, String workgroup, String outputLocation, String catalog, String database,
                             URI athenaEndpoint, URI s3Endpoint, boolean s3PathStyle,
                             Duration pollInterval, int maxPollCallsPerSecond, Duration maxRuntime, long maxScannedBytes,
                             boolean resultReuse, Duration resultReuseMaxAge, Path pricingFile, Duration downloadLinkTtl,
                             boolean validateOnStart, long maxResultRows, long maxResultBytes,
                             Duration localCacheTtl, boolean localCacheShared) implements EngineSettings {
}
