package io.sluice.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.sluice.query.QueryEvents;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryState;
import io.sluice.query.Statistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Counts the runs this instance ends, by engine and end state, and observes their queue and
 * execution times as their statistics report them ({@code queueSeconds}, {@code executionSeconds}:
 * Athena's own times for Athena runs), and the bytes of the results that succeeded runs stored.
 */
final class RunMetrics implements QueryEvents.EndListener {

    private static final Logger LOG = LoggerFactory.getLogger(RunMetrics.class);
    /** From a quick lookup to a long scan: DuckDB runs are mostly sub-second, Athena's seconds to hours. */
    private static final Duration[] RUN_BUCKETS = {
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3)};
    /** A free worker takes a run within milliseconds; a busy pool or Athena's own queue, seconds to minutes. */
    private static final Duration[] QUEUE_BUCKETS = {
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15)};

    private final MeterRegistry registry;

    RunMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void runEnded(QueryRecord ended) {
        try {
            record(ended.engine(), ended.state(), ended.statistics());
        } catch (RuntimeException e) {
            LOG.warn("run metrics of query {} not recorded: {}", ended.id(), e.toString());
        }
    }

    private void record(String engine, QueryState state, Statistics statistics) {
        Counter.builder("sluice.query.runs")
                .description("Runs ended on this instance, by engine and end state")
                .tag("engine", engine).tag("state", state.name())
                .register(registry).increment();
        if (statistics.queueMillis() != null) {
            Timer.builder("sluice.query.queue.duration")
                    .description("How long ended runs waited before they ran (their queueSeconds)")
                    .tag("engine", engine)
                    .serviceLevelObjectives(QUEUE_BUCKETS)
                    .register(registry).record(Duration.ofMillis(statistics.queueMillis()));
        }
        if (statistics.executionMillis() != null) {
            Timer.builder("sluice.query.run.duration")
                    .description("How long ended runs executed (their executionSeconds)")
                    .tag("engine", engine)
                    .serviceLevelObjectives(RUN_BUCKETS)
                    .register(registry).record(Duration.ofMillis(statistics.executionMillis()));
        }
        if (state == QueryState.SUCCEEDED && statistics.resultBytes() != null) {
            Counter.builder("sluice.result.stored")
                    .description("Bytes of the results that succeeded runs stored")
                    .baseUnit(BaseUnits.BYTES)
                    .tag("engine", engine)
                    .register(registry).increment(statistics.resultBytes());
        }
    }
}
