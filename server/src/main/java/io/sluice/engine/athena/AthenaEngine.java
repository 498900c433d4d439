package io.sluice.engine.athena;

import io.sluice.aws.S3Location;
import io.sluice.engine.CatalogBrowser;
import io.sluice.engine.DownloadLink;
import io.sluice.engine.EngineCapabilities;
import io.sluice.engine.EngineException;
import io.sluice.engine.EngineQuery;
import io.sluice.engine.LocalCacheSettings;
import io.sluice.engine.QueryContext;
import io.sluice.engine.RemoteEngine;
import io.sluice.engine.RemoteStatus;
import io.sluice.engine.ResultLimits;
import io.sluice.engine.RowSink;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.services.athena.model.BatchGetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Athena engine on the AWS SDK for Java v2. Starts queries idempotently (the run's token is
 * the ClientRequestToken), reports many at once through BatchGetQueryExecution (50 a call), stops
 * them, streams results from Athena's CSV in S3, presigns downloads, and browses the catalog.
 */
public final class AthenaEngine implements RemoteEngine {

    /** BatchGetQueryExecution takes at most this many ids. */
    static final int BATCH = 50;

    private final String name;
    private final AthenaSettings config;
    private final AthenaClients clients;
    private final AthenaPricing pricing;
    private final AthenaResults results;
    private final AthenaCatalog catalog;
    private final Clock clock;

    public AthenaEngine(String name, AthenaSettings config, AwsCredentialsProvider credentials, AthenaPricing pricing,
                        Clock clock) {
        this(name, config, credentials, pricing, clock, List.of(), null);
    }

    /**
     * @param calls      told of every AWS call the engine makes, with its attempts
     * @param instanceId named in the user agent of every AWS call (null: not named)
     */
    public AthenaEngine(String name, AthenaSettings config, AwsCredentialsProvider credentials, AthenaPricing pricing,
                        Clock clock, List<MetricPublisher> calls, String instanceId) {
        this.name = name;
        this.config = config;
        this.clients = new AthenaClients(config, credentials, calls, instanceId);
        this.pricing = pricing;
        this.results = new AthenaResults(clients.athena, clients.s3);
        this.catalog = new AthenaCatalog(clients.athena);
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return AthenaType.NAME;
    }

    /**
     * Queries are stopped; a failed or cancelled query's partial file and every query's own CSV are
     * downloadable; scanned data is reported and priced; result reuse as configured.
     */
    @Override
    public EngineCapabilities capabilities() {
        return new EngineCapabilities(true, true, true, true, "trino", true, config.resultReuse(), true);
    }

    /** Where it runs and how it is polled and limited: the workgroup's settings, never credentials. */
    @Override
    public Map<String, Object> publicSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("region", config.region());
        settings.put("workgroup", config.workgroup());
        settings.put("outputLocation", config.outputLocation());
        settings.put("maxScannedBytes", config.maxScannedBytes());
        settings.put("resultReuse", config.resultReuse());
        settings.put("resultReuseMinutes", config.resultReuseMaxAge().toMinutes());
        settings.put("pollIntervalMillis", config.pollInterval().toMillis());
        settings.put("maxPollCallsPerSecond", config.maxPollCallsPerSecond());
        settings.put("downloadLinkTtlSeconds", config.downloadLinkTtl().toSeconds());
        settings.put("localCacheTtlSeconds", config.localCacheTtl().toSeconds());
        settings.put("localCacheShared", config.localCacheShared());
        return settings;
    }

    /** The local result cache as configured, separated by workgroup. */
    @Override
    public LocalCacheSettings localCache() {
        return new LocalCacheSettings(config.localCacheTtl(), config.localCacheShared(), config.workgroup());
    }

    @Override
    public QueryContext defaultContext() {
        return new QueryContext(config.catalog(), config.database());
    }

    @Override
    public Duration maxRuntime() {
        return config.maxRuntime();
    }

    @Override
    public ResultLimits resultLimits() {
        return new ResultLimits(config.maxResultRows(), config.maxResultBytes());
    }

    @Override
    public Duration pollInterval() {
        return config.pollInterval();
    }

    /** The poll interval, stretched so that BatchGetQueryExecution stays within the configured calls per second. */
    @Override
    public Duration roundInterval(int activeQueries) {
        return roundInterval(config.pollInterval(), config.maxPollCallsPerSecond(), activeQueries);
    }

    /** {@inheritDoc} Each instance keeps to {@code maxPollCallsPerSecond / sharingInstances}. */
    @Override
    public Duration roundInterval(int activeQueries, int sharingInstances) {
        return roundInterval(config.pollInterval(), config.maxPollCallsPerSecond() / (double) Math.max(1, sharingInstances),
                activeQueries);
    }

    static Duration roundInterval(Duration pollInterval, double maxCallsPerSecond, int activeQueries) {
        int calls = (activeQueries + BATCH - 1) / BATCH;
        Duration budgeted = Duration.ofMillis((long) Math.ceil(calls * 1000.0 / maxCallsPerSecond));
        return budgeted.compareTo(pollInterval) > 0 ? budgeted : pollInterval;
    }

    /** Data scanned past which the poller stops a query (when no workgroup cutoff did first). */
    @Override
    public long maxScannedBytes() {
        return config.maxScannedBytes();
    }

    public AthenaSettings config() {
        return config;
    }

    @Override
    public CatalogBrowser catalog() {
        return catalog;
    }

    @Override
    public String start(EngineQuery query) throws EngineException {
        try {
            return clients.athena.startQueryExecution(r -> {
                r.queryString(query.sql())
                        .clientRequestToken(query.runToken())
                        .workGroup(config.workgroup())
                        .queryExecutionContext(c -> c.catalog(query.context().catalog())
                                .database(query.context().database()))
                        .resultConfiguration(c -> c.outputLocation(config.outputLocation()));
                if (config.resultReuse() && query.reuseAllowed()) {
                    r.resultReuseConfiguration(c -> c.resultReuseByAgeConfiguration(a -> a.enabled(true)
                            .maxAgeInMinutes((int) config.resultReuseMaxAge().toMinutes())));
                }
            }).queryExecutionId();
        } catch (SdkException e) {
            throw AthenaErrors.of("StartQueryExecution", e);
        }
    }

    @Override
    public Map<String, RemoteStatus> poll(Collection<String> engineQueryIds) throws EngineException {
        Map<String, RemoteStatus> statuses = new HashMap<>();
        List<String> ids = new ArrayList<>(engineQueryIds);
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            try {
                BatchGetQueryExecutionResponse answer = clients.athena.batchGetQueryExecution(r -> r.queryExecutionIds(batch));
                for (QueryExecution execution : answer.queryExecutions()) {
                    statuses.put(execution.queryExecutionId(), AthenaStatuses.of(execution, pricing));
                }
            } catch (SdkException e) {
                throw AthenaErrors.of("BatchGetQueryExecution", e);
            }
        }
        return statuses;
    }

    @Override
    public void stop(String engineQueryId) throws EngineException {
        try {
            clients.athena.stopQueryExecution(r -> r.queryExecutionId(engineQueryId));
        } catch (SdkException e) {
            throw AthenaErrors.of("StopQueryExecution", e);
        }
    }

    /**
     * Copies the S3 object {@code bucket}/{@code key} to the file {@code target} (which must not exist)
     * with this engine's S3 client: its region, endpoint and credentials.
     */
    public void readObject(String bucket, String key, java.nio.file.Path target) throws EngineException {
        try {
            clients.s3.getObject(r -> r.bucket(bucket).key(key), target);
        } catch (SdkException e) {
            throw AthenaErrors.of("GetObject", e);
        }
    }

    @Override
    public void readResult(String engineQueryId, RowSink sink) throws EngineException {
        results.read(AthenaResultSource.of(execution(engineQueryId)), sink);
    }

    /** Reads with what the poller's BatchGetQueryExecution returned: no GetQueryExecution. */
    @Override
    public void readResult(String engineQueryId, RemoteStatus succeeded, RowSink sink) throws EngineException {
        if (succeeded != null && succeeded.result() instanceof AthenaResultSource source
                && engineQueryId.equals(source.queryExecutionId())) {
            results.read(source, sink);
        } else {
            readResult(engineQueryId, sink);
        }
    }

    /** Pages the result through GetQueryResults only (the slow path; the ingestion benchmark's baseline). */
    public void readResultThroughApi(String engineQueryId, RowSink sink) throws EngineException {
        results.readPages(AthenaResultSource.of(execution(engineQueryId)), sink);
    }

    @Override
    public DownloadLink download(String engineQueryId, String fileName) throws EngineException {
        QueryExecution execution = execution(engineQueryId);
        String output = execution.resultConfiguration() == null ? null : execution.resultConfiguration().outputLocation();
        if (output == null) {
            return null;
        }
        S3Location file = S3Location.parse(output);
        try {
            clients.s3.headObject(r -> r.bucket(file.bucket()).key(file.key()));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw AthenaErrors.of("HeadObject", e);
        } catch (SdkException e) {
            throw AthenaErrors.of("HeadObject", e);
        }
        Duration ttl = config.downloadLinkTtl();
        PresignedGetObjectRequest presigned = clients.presigner.presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(file.bucket()).key(file.key())
                        .responseContentDisposition("attachment; filename=\"" + fileName + "\"")));
        boolean partial = execution.status() == null || execution.status().state() != QueryExecutionState.SUCCEEDED;
        try {
            return new DownloadLink(presigned.url().toURI(), clock.instant().plus(ttl), fileName, partial);
        } catch (java.net.URISyntaxException e) {
            throw new EngineException("ENGINE_UNAVAILABLE", EngineException.Kind.INTERNAL, "bad presigned URL",
                    Map.of(), e);
        }
    }

    /**
     * Checks at start-up that the workgroup exists and the output location is writable (a probe
     * object is put and deleted), naming the missing setting or permission otherwise.
     */
    public void validate() {
        new AthenaStartupCheck(clients, name, config).run();
    }

    @Override
    public void close() {
        clients.close();
    }

    private QueryExecution execution(String engineQueryId) throws EngineException {
        try {
            return clients.athena.getQueryExecution(r -> r.queryExecutionId(engineQueryId)).queryExecution();
        } catch (SdkException e) {
            throw AthenaErrors.of("GetQueryExecution", e);
        }
    }
}
