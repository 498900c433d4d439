package io.sluice.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.metrics.SdkMetric;

import java.util.List;

/**
 * Counts the AWS calls an engine makes (Athena, S3) by service, operation and outcome, and the
 * attempts the service throttled. The SDK retries a throttled attempt by itself, so a call that
 * finally succeeded may have been throttled several times: throttling is counted per attempt, as
 * the SDK classifies it ({@code ThrottlingException}, {@code TooManyRequestsException}, HTTP 429
 * and the other throttling codes of its {@code isThrottlingException}).
 *
 * <p>The SDK hands each finished call, with one child collection per attempt, to this publisher on
 * the calling thread.
 */
final class AwsCallMetrics implements MetricPublisher {

    /** The value of {@link CoreMetric#ERROR_TYPE} for an attempt the service throttled. */
    static final String THROTTLING = "Throttling";

    private final MeterRegistry registry;

    AwsCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void publish(MetricCollection call) {
        String service = first(call, CoreMetric.SERVICE_ID, "unknown");
        String operation = first(call, CoreMetric.OPERATION_NAME, "unknown");
        boolean succeeded = first(call, CoreMetric.API_CALL_SUCCESSFUL, false);
        Counter.builder("sluice.aws.calls")
                .description("AWS calls made by the engines, by service, operation and outcome (retries inside a call not counted)")
                .tag("service", service).tag("operation", operation).tag("outcome", succeeded ? "SUCCESS" : "FAILURE")
                .register(registry).increment();
        long throttled = call.children().stream()
                .filter(attempt -> attempt.metricValues(CoreMetric.ERROR_TYPE).contains(THROTTLING))
                .count();
        if (throttled > 0) {
            throttledCounter(service, operation).increment(throttled);
        }
    }

    private Counter throttledCounter(String service, String operation) {
        return Counter.builder("sluice.aws.throttled")
                .description("Attempts of AWS calls that the service throttled (the SDK retried them)")
                .tag("service", service).tag("operation", operation)
                .register(registry);
    }

    private static <T> T first(MetricCollection collection, SdkMetric<T> metric, T fallback) {
        List<T> values = collection.metricValues(metric);
        return values.isEmpty() || values.get(0) == null ? fallback : values.get(0);
    }

    /** The registry outlives the SDK clients; nothing to release. */
    @Override
    public void close() {
    }
}
