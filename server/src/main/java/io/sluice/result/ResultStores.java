package io.sluice.result;

import io.sluice.aws.S3Location;
import io.sluice.config.SluiceConfig;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/** The result store the configuration asks for, ready to use: {@code results.store} chooses it. */
public final class ResultStores {

    private ResultStores() {
    }

    /**
     * Opens the configured store for instance {@code instanceId} and sweeps that instance's
     * leftovers from an earlier crash.
     *
     * @throws IllegalStateException if the results location cannot be used
     */
    public static ResultStore open(SluiceConfig.Results config, String instanceId) {
        PageBudget budget = new PageBudget(config.maxPageBytes(), config.maxValueBytes());
        try {
            if (config.store() == SluiceConfig.Results.Storage.S3) {
                SluiceConfig.S3Results s3 = config.s3().orElseThrow();
                S3ResultStore store = new S3ResultStore(s3Client(s3), S3Location.parse(s3.location()),
                        config.dir().resolve(FolderResultStore.TEMP_DIR), instanceId,
                        FolderResultStore.DEFAULT_INDEX_STRIDE, budget, S3ResultStore.DEFAULT_PART_BYTES, config.format(),
                        new ResultDuck.Settings(config.duckdbThreads(), config.duckdbMemoryLimit()), s3.cacheBytes());
                try {
                    store.check();
                    store.sweepTemporary();
                } catch (IOException | RuntimeException e) {
                    store.close();
                    throw e;
                }
                return store;
            }
            FolderResultStore store = new FolderResultStore(config.dir(), instanceId, config.format(),
                    FolderResultStore.DEFAULT_INDEX_STRIDE, config.fsync(), budget, config.duckdbThreads(),
                    config.duckdbMemoryLimit());
            store.conversionWait(config.conversionWait());
            store.sweepTemporary();
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("results folder " + config.dir() + " is not usable", e);
        }
    }

    /**
     * An S3 client with credentials from the standard AWS chain and the configured region and endpoint.
     * Uploads send their body without waiting for {@code 100 Continue}: the URL-connection HTTP client
     * handles that handshake poorly (the SDK's own notes say so, and a cluster test on a loaded
     * machine once saw every retry of a result's upload end in "Error writing request body to
     * server", failing a query whose result was fine), and a result's parts are small enough that
     * sending one in vain costs little.
     */
    static S3Client s3Client(SluiceConfig.S3Results config) {
        var builder = S3Client.builder()
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder() // closed with the client
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle())
                        .expectContinueEnabled(false).build());
        config.region().map(Region::of).ifPresent(builder::region);
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        try {
            return builder.build();
        } catch (SdkException e) {
            throw new IllegalStateException("results.s3Region is needed: " + e.getMessage(), e);
        }
    }
}
