package io.sluice.engine.athena;

import io.sluice.aws.AwsSettings;
import io.sluice.config.ConfigLoader;
import io.sluice.config.ConfigSection;
import io.sluice.engine.Engine;
import io.sluice.engine.EngineEnvironment;
import io.sluice.engine.EngineType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;

/**
 * The {@code athena} engine type: AWS Athena in one region and workgroup, credentials from the
 * standard AWS chain.
 */
public final class AthenaType implements EngineType<AthenaSettings> {

    public static final String NAME = "athena";
    private static final Logger LOG = LoggerFactory.getLogger(AthenaType.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AthenaSettings settings(ConfigSection a) {
        String output = a.requiredString("outputLocation");
        if (output != null && !output.isBlank() && !AwsSettings.S3_LOCATION.matcher(output).matches()) {
            a.problem("outputLocation", "must look like s3://bucket/prefix/ (ending in /), got \"" + output + "\"");
        }
        String region = a.requiredString("region");
        if (region != null && !region.isBlank() && !AwsSettings.REGION.matcher(region).matches()) {
            a.problem("region", "must be an AWS region name like us-east-1, got \"" + region + "\"");
        }
        long gb = 1024L * 1024 * 1024;
        AthenaSettings athena = new AthenaSettings(
                region,
                a.string("workgroup", "primary"),
                output,
                a.string("catalog", "AwsDataCatalog"),
                a.string("database", "default"),
                a.parsed("endpoint", null, AwsSettings::endpoint, "an http(s) URL"),
                a.parsed("s3Endpoint", null, AwsSettings::endpoint, "an http(s) URL"),
                a.bool("s3PathStyle", false),
                a.millis("pollIntervalMillis", Duration.ofSeconds(1), 100, 60_000),
                // Athena's default BatchGetQueryExecution quota is 20 calls/s per account and region.
                a.integer("maxPollCallsPerSecond", 15, 1, 1_000),
                a.seconds("maxRuntimeSeconds", Duration.ofHours(24), 1, Duration.ofDays(7).toSeconds()),
                a.number("maxScannedBytes", 10 * gb, 10_000_000L, Long.MAX_VALUE),
                a.bool("resultReuse", true),
                Duration.ofMinutes(a.number("resultReuseMaxAgeMinutes", 60, 1, 10_080)),
                a.path("pricingFile", "config/athena-pricing.json"),
                a.seconds("downloadLinkTtlSeconds", Duration.ofHours(24), 60, Duration.ofDays(7).toSeconds()),
                a.bool("validateOnStart", true),
                a.number("maxResultRows", ConfigLoader.MAX_RESULT_ROWS, 1, Long.MAX_VALUE),
                a.number("maxResultBytes", ConfigLoader.MAX_RESULT_BYTES, 1024, Long.MAX_VALUE),
                Duration.ofSeconds(a.number("localCacheTtlSeconds", 360_000, 0, Duration.ofDays(3650).toSeconds())),
                a.bool("localCacheShared", false));
        if (!Files.isReadable(athena.pricingFile())) {
            a.problem("pricingFile", "names " + athena.pricingFile() + ", which cannot be read");
        }
        return athena;
    }

    /**
     * Opens the engine with credentials from the default AWS chain and, unless switched off, checks
     * its workgroup and output location first.
     */
    @Override
    public Engine open(String name, AthenaSettings settings, EngineEnvironment environment) {
        AthenaPricing pricing;
        try {
            pricing = AthenaPricing.load(settings.pricingFile(), settings.region(), environment.json());
        } catch (IOException e) {
            throw new IllegalStateException("the Athena price file " + settings.pricingFile() + " of engine " + name
                    + " is unusable: " + e.getMessage(), e);
        }
        AthenaEngine engine = new AthenaEngine(name, settings, DefaultCredentialsProvider.builder().build(), pricing,
                environment.clock(), environment.awsCalls(), environment.instanceId());
        if (settings.validateOnStart()) {
            try {
                engine.validate();
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
        }
        LOG.info("Athena engine {} ready: region {}, workgroup {}, output {}", name, settings.region(),
                settings.workgroup(), settings.outputLocation());
        return engine;
    }
}
