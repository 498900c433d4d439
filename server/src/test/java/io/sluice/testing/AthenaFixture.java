package io.sluice.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Sluice with both engines, its Athena engine pointed at a running {@link AthenaStandIn} (real
 * AWS SDK, real HTTP, S3 in the same JVM). Credentials reach the SDK through the standard chain
 * (the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties), as in production.
 */
public final class AthenaFixture implements AutoCloseable {

    public static final String BUCKET = "athena-results";
    public static final String OUTPUT = "s3://" + BUCKET + "/sluice/";

    private final AthenaStandIn standIn;
    private final TestServer server;
    private AthenaClient athenaClient;
    private S3Client s3Client;

    private AthenaFixture(AthenaStandIn standIn, TestServer server) {
        this.standIn = standIn;
        this.server = server;
    }

    /** A stand-in with the {@code primary} workgroup, a results bucket and {@code analytics.events}. */
    public static AthenaStandIn startStandIn() {
        AthenaStandIn standIn = AthenaStandIn.builder().build().start();
        standIn.createBucket(BUCKET);
        standIn.workGroup("primary", OUTPUT, null, false);
        standIn.execute("""
                CREATE SCHEMA analytics;
                CREATE TABLE analytics.events AS
                  SELECT range AS event_id,
                         (['Login', 'Deposit', 'apiError'])[1 + range % 3] AS event_type,
                         strftime(DATE '2024-10-01' + CAST(range % 30 AS INTEGER), '%Y-%m-%d') AS dt
                  FROM range(3000)""");
        System.setProperty("aws.accessKeyId", standIn.accessKeyId());
        System.setProperty("aws.secretAccessKey", standIn.secretAccessKey());
        return standIn;
    }

    /**
     * The athena engine's configuration section for a stand-in. The local result cache is off
     * ({@code localCacheTtlSeconds: 0}) so that repeated queries really run; its own tests turn it on.
     */
    public static void configure(ObjectNode root, AthenaStandIn standIn) {
        ObjectNode athena = ((ObjectNode) root.get("engines")).putObject("athena");
        athena.put("region", standIn.region())
                .put("workgroup", "primary")
                .put("outputLocation", OUTPUT)
                .put("database", "analytics")
                .put("endpoint", standIn.athenaEndpoint().toString())
                .put("s3Endpoint", standIn.s3Endpoint().toString())
                .put("s3PathStyle", true)
                .put("pollIntervalMillis", 100)
                .put("localCacheTtlSeconds", 0)
                .put("pricingFile", Path.of("../config/athena-pricing.json").toAbsolutePath().toString());
    }

    public static AthenaFixture start(Path dir, Consumer<ObjectNode> tweak) {
        return start(dir, tweak, Clock.systemUTC());
    }

    /** As {@link #start(Path, Consumer)}, Sluice on {@code clock}. */
    public static AthenaFixture start(Path dir, Consumer<ObjectNode> tweak, Clock clock) {
        AthenaStandIn standIn = startStandIn();
        try {
            TestServer server = TestServer.start(dir, root -> {
                configure(root, standIn);
                tweak.accept(root);
            }, clock);
            return new AthenaFixture(standIn, server);
        } catch (RuntimeException e) {
            standIn.close();
            throw e;
        }
    }

    public AthenaStandIn standIn() {
        return standIn;
    }

    public TestServer server() {
        return server;
    }

    public ApiClient api() {
        return server.client();
    }

    /** Submits a query to the athena engine and returns its id. */
    public String submit(String sql) {
        ApiClient.Response r = api().post("/api/query", java.util.Map.of("query", sql, "engine", "athena"));
        if (r.status() != 202) {
            throw new AssertionError("submit failed: " + r);
        }
        return r.data().path("id").asText();
    }

    /** A plain SDK Athena client on the stand-in, for a test's own look at what Athena holds. */
    public synchronized AthenaClient athenaClient() {
        if (athenaClient == null) {
            athenaClient = athenaClient(standIn);
        }
        return athenaClient;
    }

    public static AthenaClient athenaClient(AthenaStandIn standIn) {
        return AthenaClient.builder().endpointOverride(standIn.athenaEndpoint()).region(Region.of(standIn.region()))
                .credentialsProvider(credentials(standIn)).httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** A plain SDK S3 client on the stand-in's S3 server. */
    public synchronized S3Client s3Client() {
        if (s3Client == null) {
            s3Client = s3Client(standIn);
        }
        return s3Client;
    }

    /** A plain SDK S3 client on a stand-in's S3 server (the caller closes it). */
    public static S3Client s3Client(AthenaStandIn standIn) {
        return S3Client.builder().endpointOverride(standIn.s3Endpoint()).region(Region.of(standIn.region()))
                .credentialsProvider(credentials(standIn)).httpClient(UrlConnectionHttpClient.create())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    }

    private static StaticCredentialsProvider credentials(AthenaStandIn standIn) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(standIn.accessKeyId(),
                standIn.secretAccessKey()));
    }

    /**
     * The one Athena execution whose query string contains {@code marker}, once Sluice has started
     * it (fails if there are more).
     */
    public String executionId(String marker) {
        String pattern = java.util.regex.Pattern.quote(marker);
        java.util.List<String> ids = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> standIn.executionIds(pattern), found -> !found.isEmpty());
        if (ids.size() != 1) {
            throw new AssertionError("expected one Athena execution for " + marker + ", found " + ids);
        }
        return ids.get(0);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            synchronized (this) {
                if (athenaClient != null) {
                    athenaClient.close();
                }
                if (s3Client != null) {
                    s3Client.close();
                }
            }
            standIn.close();
        }
    }
}
