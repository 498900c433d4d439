package io.sluice.bench;

import io.sluice.engine.athena.AthenaSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.Json;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.engine.EngineException;
import io.sluice.engine.EngineQuery;
import io.sluice.engine.RemoteStatus;
import io.sluice.engine.athena.AthenaEngine;
import io.sluice.engine.athena.AthenaPricing;
import io.sluice.query.QueryIds;
import io.sluice.standin.AthenaStandIn;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Athena stand-in for the Athena benchmarks, and Sluice's Athena engine pointed at it: the
 * stand-in runs in this JVM ({@link #inProcess}: its faults and call counts are at hand) or as a
 * process of its own ({@link #standalone}: its memory and CPU are not the benchmark JVM's). Sluice
 * is configured as {@code AthenaFixture} does in the server's tests: endpoint overrides, path-style
 * S3, credentials through the standard chain (the {@code aws.accessKeyId}/{@code aws.secretAccessKey}
 * system properties), the price file {@code config/athena-pricing.json}.
 *
 * <p>System properties: {@code sluice.bench.standinJar} (the standalone jar; default
 * {@code athena-standin/target/sluice-athena-standin-standalone.jar}), {@code sluice.bench.athenaPricing}
 * (default {@code config/athena-pricing.json}); both relative to the working directory, the
 * repository root when run by {@code scripts/bench.sh}.
 */
final class BenchAthena implements AutoCloseable {

    static final String BUCKET = "athena-results";
    static final String OUTPUT = "s3://" + BUCKET + "/sluice/";
    private static final ObjectMapper MAPPER = Json.mapper();

    static {
        BenchServer.configureLogging(); // the stand-in logs too: into the benchmark's log file
    }

    private final AthenaStandIn standIn;
    private final Process process;
    private final Path blobDir;
    private final URI athenaEndpoint;
    private final URI s3Endpoint;
    private final String region;
    private final String accessKeyId;
    private final String secretAccessKey;

    private BenchAthena(AthenaStandIn standIn, Process process, Path blobDir, URI athenaEndpoint, URI s3Endpoint,
                        String region, String accessKeyId, String secretAccessKey) {
        this.standIn = standIn;
        this.process = process;
        this.blobDir = blobDir;
        this.athenaEndpoint = athenaEndpoint;
        this.s3Endpoint = s3Endpoint;
        this.region = region;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /**
     * A stand-in in this JVM with the {@code primary} workgroup and the results bucket.
     *
     * @param blobDir where S3 objects are kept (null: in memory)
     */
    static BenchAthena inProcess(Path blobDir) {
        AthenaStandIn standIn = AthenaStandIn.builder().blobStoreDir(blobDir).build().start();
        try {
            standIn.createBucket(BUCKET);
            standIn.workGroup("primary", OUTPUT, null, false);
        } catch (RuntimeException e) {
            standIn.close();
            throw e;
        }
        return new BenchAthena(standIn, null, blobDir, standIn.athenaEndpoint(), standIn.s3Endpoint(),
                standIn.region(), standIn.accessKeyId(), standIn.secretAccessKey());
    }

    /**
     * The standalone stand-in ({@code java -jar sluice-athena-standin-standalone.jar --bucket
     * athena-results --blob-dir DIR}) as a child process with the JVM's default options; its log
     * (stderr) goes to {@code log}. Killed by {@link #close} or when this JVM exits.
     */
    static BenchAthena standalone(Path blobDir, Path log) throws IOException {
        Path jar = Path.of(System.getProperty("sluice.bench.standinJar",
                "athena-standin/target/sluice-athena-standin-standalone.jar"));
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException("no stand-in jar at " + jar.toAbsolutePath()
                    + " (mvn -pl athena-standin -am package -DskipTests builds it)");
        }
        Files.createDirectories(blobDir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--bucket", BUCKET,
                "--blob-dir", blobDir.toString())
                .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stand-in-killer"));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("the stand-in exited without its endpoint line; see " + log);
            }
            JsonNode json = MAPPER.readTree(line);
            return new BenchAthena(null, process, blobDir, URI.create(json.path("athenaEndpoint").asText()),
                    URI.create(json.path("s3Endpoint").asText()), json.path("region").asText(),
                    json.path("accessKeyId").asText(), json.path("secretAccessKey").asText());
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The in-process stand-in (faults, call counts); empty for a standalone one. */
    Optional<AthenaStandIn> standIn() {
        return Optional.ofNullable(standIn);
    }

    /** The standalone stand-in's process id, or -1 in-process. */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * Adds {@code engines.athena} to a Sluice configuration, with the production poll interval
     * unless {@code pollInterval} is given, and sets the credentials Sluice's SDK clients find
     * through the standard chain.
     */
    void configure(ObjectNode root, Duration pollInterval) {
        ObjectNode engines = root.has("engines") ? (ObjectNode) root.get("engines") : root.putObject("engines");
        ObjectNode athena = engines.putObject("athena");
        athena.put("region", region)
                .put("workgroup", "primary")
                .put("outputLocation", OUTPUT)
                .put("database", "default")
                .put("endpoint", athenaEndpoint.toString())
                .put("s3Endpoint", s3Endpoint.toString())
                .put("s3PathStyle", true)
                .put("pricingFile", pricingFile().toString());
        if (pollInterval != null) {
            athena.put("pollIntervalMillis", pollInterval.toMillis());
        }
        System.setProperty("aws.accessKeyId", accessKeyId);
        System.setProperty("aws.secretAccessKey", secretAccessKey);
    }

    /**
     * Sluice's own Athena engine on this stand-in, built from the same configuration section
     * (parsed by {@link ConfigLoader}), outside any server: what {@code QueryRunner} calls to
     * ingest a result, called directly.
     */
    AthenaEngine engine(Path dir) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        configure(root, null);
        AthenaSettings config = new ConfigLoader(MAPPER, Map.of()).parse(root.toString(), dir)
                .engines().settings("athena", AthenaSettings.class).orElseThrow();
        AthenaPricing pricing = AthenaPricing.load(config.pricingFile(), config.region(), MAPPER);
        return new AthenaEngine("athena", config, credentials(), pricing, Clock.systemUTC());
    }

    /** A plain SDK client (the same HTTP client kind as Sluice's), for the naive baselines. */
    AthenaClient client() {
        return AthenaClient.builder()
                .endpointOverride(athenaEndpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
    }

    /** A plain S3 client on the stand-in (path-style, the same HTTP client kind as Sluice's), for baselines. */
    software.amazon.awssdk.services.s3.S3Client s3() {
        return software.amazon.awssdk.services.s3.S3Client.builder()
                .endpointOverride(s3Endpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials())
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
    }

    /**
     * Starts {@code sql} on the engine and waits (polling every 50 ms) until it SUCCEEDED; its
     * Athena query execution id.
     */
    static String runToEnd(AthenaEngine engine, String sql, Duration limit) throws EngineException {
        String id = engine.start(new EngineQuery(QueryIds.next(), 1, sql, engine.defaultContext()));
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            RemoteStatus status = engine.poll(List.of(id)).get(id);
            RemoteStatus.RemoteState state = status == null ? null : status.state();
            if (state == RemoteStatus.RemoteState.SUCCEEDED) {
                return id;
            }
            if (state == RemoteStatus.RemoteState.FAILED || state == RemoteStatus.RemoteState.CANCELLED) {
                throw new IllegalStateException("query " + id + " ended " + state + ": " + status.error());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("query " + id + " still " + state + " after " + limit);
            }
            BenchServer.sleep(Duration.ofMillis(50));
        }
    }

    /**
     * The query's result object in the stand-in's blob directory, if it is kept on disk: the file
     * its OutputLocation names ({@code <id>.csv}, or an earlier query's when the result was reused).
     */
    Optional<Path> csvFile(String engineQueryId) throws IOException {
        if (blobDir == null) {
            return Optional.empty();
        }
        String output;
        try (AthenaClient client = client()) {
            output = client.getQueryExecution(r -> r.queryExecutionId(engineQueryId)).queryExecution()
                    .resultConfiguration().outputLocation();
        }
        String name = output.substring(output.lastIndexOf('/') + 1);
        try (Stream<Path> files = Files.walk(blobDir)) {
            return files.filter(p -> p.getFileName().toString().equals(name)).findFirst();
        }
    }

    @Override
    public void close() {
        if (standIn != null) {
            standIn.close();
        }
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    private static Path pricingFile() {
        return Path.of(System.getProperty("sluice.bench.athenaPricing", "config/athena-pricing.json")).toAbsolutePath();
    }
}
