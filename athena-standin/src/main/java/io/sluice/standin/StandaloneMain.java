package io.sluice.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the stand-in as a process for scripts and benchmarks:
 *
 * <pre>
 * java -jar athena-standin/target/sluice-athena-standin-standalone.jar \
 *     [--port N] [--s3-port N] [--blob-dir DIR] [--bucket NAME] [--sample-data]
 * </pre>
 *
 * <p>Prints one JSON line with the endpoints and credentials to stdout, logs to stderr, and runs
 * until killed. {@code --bucket} creates the bucket and makes {@code s3://NAME/results/} the
 * {@code primary} workgroup's output location; {@code --sample-data} creates {@code default.events}
 * (1,000 rows).
 */
public final class StandaloneMain {
    private StandaloneMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            // Before any logger exists: stdout is reserved for the endpoint line.
            System.setProperty("logback.configurationFile", "io/sluice/standin/standalone-logback.xml");
        }
        AthenaStandIn standIn;
        try {
            standIn = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(standIn::close, "athena-standin-shutdown"));
        new CountDownLatch(1).await();
    }

    static final String USAGE = "usage: java -jar sluice-athena-standin-standalone.jar [--port N] [--s3-port N]"
            + " [--blob-dir DIR] [--bucket NAME] [--sample-data]";

    /** Starts a stand-in as the options say and prints its endpoint line to {@code out}. */
    static AthenaStandIn start(String[] args, PrintStream out) throws Exception {
        AthenaStandIn.Builder builder = AthenaStandIn.builder();
        String bucket = null;
        boolean sampleData = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port":
                    builder.athenaPort(Integer.parseInt(value(args, ++i)));
                    break;
                case "--s3-port":
                    builder.s3Port(Integer.parseInt(value(args, ++i)));
                    break;
                case "--blob-dir":
                    builder.blobStoreDir(Path.of(value(args, ++i)));
                    break;
                case "--bucket":
                    bucket = value(args, ++i);
                    break;
                case "--sample-data":
                    sampleData = true;
                    break;
                default:
                    throw new IllegalArgumentException("unknown option: " + args[i]);
            }
        }
        AthenaStandIn standIn = builder.build().start();
        try {
            String outputLocation = null;
            if (bucket != null) {
                standIn.createBucket(bucket);
                outputLocation = "s3://" + bucket + "/results/";
                standIn.workGroup(WorkGroups.PRIMARY, outputLocation, null, false);
            }
            if (sampleData) {
                standIn.execute(SAMPLE_DATA);
            }
            out.println(Json.MAPPER.writeValueAsString(endpointLine(standIn, outputLocation)));
            out.flush();
            return standIn;
        } catch (Exception | Error e) {
            standIn.close();
            throw e;
        }
    }

    private static ObjectNode endpointLine(AthenaStandIn standIn, String outputLocation) {
        ObjectNode line = Json.object();
        line.put("athenaEndpoint", standIn.athenaEndpoint().toString());
        line.put("s3Endpoint", standIn.s3Endpoint().toString());
        line.put("region", standIn.region());
        line.put("accessKeyId", standIn.accessKeyId());
        line.put("secretAccessKey", standIn.secretAccessKey());
        line.put("workGroup", WorkGroups.PRIMARY);
        if (outputLocation != null) {
            line.put("outputLocation", outputLocation);
        }
        return line;
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException("missing value for " + args[index - 1]);
        }
        return args[index];
    }

    /** 1,000 deterministic events: enough to page through, and 100,000 bytes scanned. */
    static final String SAMPLE_DATA = "CREATE TABLE \"default\".events AS SELECT"
            + " range::BIGINT AS event_id,"
            + " (range % 37)::INTEGER AS user_id,"
            + " ['view', 'click', 'purchase', 'signup'][range % 4 + 1] AS event_type,"
            + " CAST((range % 1000) / 10.0 AS DECIMAL(10,2)) AS amount,"
            + " TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (range) MINUTE AS created_at"
            + " FROM range(1000)";
}
