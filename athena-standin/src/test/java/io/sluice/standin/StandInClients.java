package io.sluice.standin;

import org.awaitility.Awaitility;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The plain AWS SDK v2 clients a test talks to the stand-in with, and small helpers over them. */
final class StandInClients implements AutoCloseable {
    static final String BUCKET = "athena-results";
    static final String OUTPUT = "s3://" + BUCKET + "/out/";

    final AthenaStandIn standIn;
    final AthenaClient athena;
    final S3Client s3;

    StandInClients(AthenaStandIn standIn) {
        this.standIn = standIn;
        this.athena = athena(standIn, true);
        this.s3 = S3Client.builder()
                .endpointOverride(standIn.s3Endpoint())
                .region(Region.of(standIn.region()))
                .credentialsProvider(credentials(standIn))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A stand-in with the results bucket and {@code primary} writing to {@link #OUTPUT}. */
    static StandInClients start(AthenaStandIn.Builder builder) {
        AthenaStandIn standIn = builder.build().start();
        standIn.createBucket(BUCKET);
        standIn.workGroup("primary", OUTPUT, null, false);
        return new StandInClients(standIn);
    }

    /** An Athena client; without retries the SDK shows every fault the stand-in answers. */
    static AthenaClient athena(AthenaStandIn standIn, boolean retries) {
        return AthenaClient.builder()
                .endpointOverride(standIn.athenaEndpoint())
                .region(Region.of(standIn.region()))
                .credentialsProvider(credentials(standIn))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryPolicy(retries ? RetryPolicy.defaultRetryPolicy() : RetryPolicy.none()))
                .build();
    }

    static StaticCredentialsProvider credentials(AthenaStandIn standIn) {
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(standIn.accessKeyId(), standIn.secretAccessKey()));
    }

    String start(String sql) {
        return athena.startQueryExecution(StartQueryExecutionRequest.builder().queryString(sql).build())
                .queryExecutionId();
    }

    String start(String sql, String database) {
        return athena.startQueryExecution(b -> b.queryString(sql)
                .queryExecutionContext(c -> c.database(database))).queryExecutionId();
    }

    QueryExecution execution(String id) {
        return athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution();
    }

    QueryExecution await(String id, QueryExecutionState state) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> execution(id).status().state() == state);
        return execution(id);
    }

    /** Runs a query to SUCCEEDED and returns its execution. */
    QueryExecution run(String sql) {
        return await(start(sql), QueryExecutionState.SUCCEEDED);
    }

    /** All rows of a result through GetQueryResults, each as its values (null for NULL). */
    List<List<String>> rows(String id) {
        List<List<String>> rows = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            GetQueryResultsResponse page = athena.getQueryResults(b -> b.queryExecutionId(id).nextToken(next));
            for (Row row : page.resultSet().rows()) {
                rows.add(row.data().stream().map(d -> d.varCharValue()).toList());
            }
            token = page.nextToken();
        } while (token != null);
        return rows;
    }

    String object(String uri) {
        return new String(objectBytes(uri), StandardCharsets.UTF_8);
    }

    byte[] objectBytes(String uri) {
        URI parsed = URI.create(uri);
        return s3.getObjectAsBytes(b -> b.bucket(parsed.getHost()).key(parsed.getPath().substring(1))).asByteArray();
    }

    boolean exists(String uri) {
        try {
            objectBytes(uri);
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    static String token() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        athena.close();
        s3.close();
        standIn.close();
    }
}
