package io.sluice.metrics;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.api.RequestObserver;
import io.sluice.api.Routes;
import io.sluice.config.SluiceConfig;
import io.sluice.query.QueryEvents;
import io.sluice.query.QueryRunner;
import io.sluice.store.Database;
import software.amazon.awssdk.metrics.MetricPublisher;

import java.util.List;

/**
 * Sluice's metrics: one Prometheus registry, served by {@code GET /metrics}, and the hooks the
 * observed parts report to, each through a narrow interface of the part itself: ended runs
 * ({@link QueryEvents.EndListener}), answered requests ({@link RequestObserver}), AWS calls (an SDK
 * {@link MetricPublisher}), the store's pool (Hikari's Micrometer tracker), the worker pool's queue
 * and busy workers (gauges), and the JVM's memory, threads, GC, classes, CPU and uptime.
 *
 * <p>With {@code metrics.enabled: false} nothing is measured: every hook is a no-op and
 * {@code /metrics} is not routed (it answers 404).
 */
public final class SluiceMetrics implements AutoCloseable {

    private final SluiceConfig.Metrics config;
    /** Null when metrics are disabled. */
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final RunMetrics runs;
    private final HttpRequestMetrics requests;
    private final AwsCallMetrics awsCalls;

    private SluiceMetrics(SluiceConfig.Metrics config, PrometheusMeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        if (registry == null) {
            this.gc = null;
            this.runs = null;
            this.requests = null;
            this.awsCalls = null;
            return;
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
        this.runs = new RunMetrics(registry);
        this.requests = new HttpRequestMetrics(registry);
        this.awsCalls = new AwsCallMetrics(registry);
    }

    /** The metrics {@code config} asks for: a registry with the JVM's metrics bound, or none. */
    public static SluiceMetrics start(SluiceConfig.Metrics config) {
        return new SluiceMetrics(config, config.enabled() ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null);
    }

    /** Counts and times the runs this instance ends, and the result bytes they stored. */
    public QueryEvents.EndListener runs() {
        return registry == null ? QueryEvents.EndListener.NONE : runs;
    }

    /** Times the requests the app answers, by route template, method, status and outcome. */
    public RequestObserver requests() {
        return registry == null ? RequestObserver.NONE : requests;
    }

    /** For an engine's AWS SDK clients: counts calls by operation, and throttled attempts. */
    public List<MetricPublisher> awsCalls() {
        return registry == null ? List.of() : List.of(awsCalls);
    }

    /** Reports the store's connection pool: active, idle, pending and total connections, timeouts. */
    public void watchStorePool(Database database) {
        if (registry != null) {
            database.trackPool(new MicrometerMetricsTrackerFactory(registry));
        }
    }

    /** Reports the local runs waiting for a worker and the workers busy, read at each scrape. */
    public void watchWorkers(QueryRunner runner) {
        if (registry == null) {
            return;
        }
        Gauge.builder("sluice.query.queue.depth", runner, QueryRunner::waitingLocalRuns)
                .description("Local runs waiting for a worker")
                .strongReference(true)
                .register(registry);
        Gauge.builder("sluice.query.workers.busy", runner, QueryRunner::busyWorkers)
                .description("Workers running a run now (local runs, remote starts and result ingestion)")
                .strongReference(true)
                .register(registry);
    }

    /** {@code GET /metrics}, or no route when metrics are disabled. */
    public Routes routes() {
        if (registry == null) {
            return table -> { };
        }
        return new MetricsRoutes(registry, MetricsAccess.of(config));
    }

    @Override
    public void close() {
        if (registry != null) {
            gc.close();
            registry.close();
        }
    }
}
