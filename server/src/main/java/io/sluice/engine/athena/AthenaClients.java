package io.sluice.engine.athena;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Duration;
import java.util.List;

/**
 * The AWS SDK clients of one Athena engine: Athena, S3 and the S3 presigner, sharing one HTTP
 * client, the configured region and endpoints, and a retry strategy fit for throttling storms.
 * Every Athena and S3 call, with each of its attempts, is reported to the given metric publishers,
 * and carries the instance id in its user agent ({@value #USER_AGENT_PREFIX}{@code <id>}), so that
 * CloudTrail (or the stand-in's call log) shows which Sluice instance made it.
 */
final class AthenaClients implements AutoCloseable {

    /** Attempts per call, first included: throttled or 5xx calls are retried with jittered backoff. */
    static final int MAX_ATTEMPTS = 8;
    /** Precedes the instance id in the user agent. */
    static final String USER_AGENT_PREFIX = "sluice-instance/";

    final AthenaClient athena;
    final S3Client s3;
    final S3Presigner presigner;
    private final SdkHttpClient http;

    AthenaClients(AthenaSettings config, AwsCredentialsProvider credentials, List<MetricPublisher> calls,
                  String instanceId) {
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
        Region region = Region.of(config.region());
        ClientOverrideConfiguration.Builder overrideBuilder = ClientOverrideConfiguration.builder();
        if (instanceId != null) {
            overrideBuilder.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, USER_AGENT_PREFIX + instanceId);
        }
        ClientOverrideConfiguration overrides = overrideBuilder
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(MAX_ATTEMPTS)
                        // no retry-token bucket: during a throttling storm every call must still end
                        .circuitBreakerEnabled(false)
                        .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(50), Duration.ofSeconds(5)))
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(10)))
                        .build())
                .apiCallTimeout(Duration.ofMinutes(2))
                .metricPublishers(calls)
                .build();
        var athenaBuilder = AthenaClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(http).overrideConfiguration(overrides);
        if (config.athenaEndpoint() != null) {
            athenaBuilder.endpointOverride(config.athenaEndpoint());
        }
        this.athena = athenaBuilder.build();
        S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(config.s3PathStyle()).build();
        var s3Builder = S3Client.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .serviceConfiguration(s3Config).overrideConfiguration(overrides);
        var presignerBuilder = S3Presigner.builder().region(region).credentialsProvider(credentials)
                .serviceConfiguration(s3Config);
        if (config.s3Endpoint() != null) {
            s3Builder.endpointOverride(config.s3Endpoint());
            presignerBuilder.endpointOverride(config.s3Endpoint());
        }
        this.s3 = s3Builder.build();
        this.presigner = presignerBuilder.build();
    }

    @Override
    public void close() {
        athena.close();
        s3.close();
        presigner.close();
        http.close();
    }
}
