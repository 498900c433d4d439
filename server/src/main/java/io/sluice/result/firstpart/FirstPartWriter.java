package io.sluice.result.firstpart;

import io.sluice.engine.Column;
import io.sluice.engine.CsvSink;
import io.sluice.engine.ResultLimits;
import io.sluice.result.ResultStore;
import io.sluice.result.ResultSummary;
import io.sluice.result.ResultTruncation;
import io.sluice.result.ResultWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A writer of a run's whole result that, given the engine's CSV, first stores and publishes its
 * beginning as the run's first part ({@link FirstParts}), then streams the whole file (the
 * beginning from memory, the rest as it arrives) into the run's result. A result smaller than the
 * first part needs none and is stored as before. The first part is the caller's to delete once the
 * run has ended; a failure to store it is logged and does not fail the run.
 */
public final class FirstPartWriter implements ResultWriter, CsvSink {

    private static final Logger LOG = LoggerFactory.getLogger(FirstPartWriter.class);

    private final ResultWriter whole;
    private final ResultStore store;
    private final String queryId;
    private final int run;
    private final ResultLimits limits;
    private final FirstPartSettings settings;
    private final LongConsumer published;

    private FirstPartWriter(ResultWriter whole, ResultStore store, String queryId, int run, ResultLimits limits,
                            FirstPartSettings settings, LongConsumer published) {
        this.whole = whole;
        this.store = store;
        this.queryId = queryId;
        this.run = run;
        this.limits = limits;
        this.settings = settings;
        this.published = published;
    }

    /**
     * {@code whole}, publishing a first part on the way when it stores CSV and first parts are on.
     *
     * @param published told the first part's rows once it is published
     */
    public static ResultWriter wrap(ResultWriter whole, ResultStore store, String queryId, int run, ResultLimits limits,
                                    FirstPartSettings settings, LongConsumer published) {
        if (!(whole instanceof CsvSink) || !settings.enabled()) {
            return whole;
        }
        return new FirstPartWriter(whole, store, queryId, run, limits, settings, published);
    }

    @Override
    public void athenaCsv(List<Column> columns, InputStream csv) throws IOException {
        CsvPrefix prefix = CsvPrefix.read(csv, settings.rows(), settings.bytes());
        if (!prefix.ended() && prefix.rows() > 0) {
            publishFirstPart(columns, prefix);
        }
        ((CsvSink) whole).athenaCsv(columns, prefix.whole(csv));
    }

    private void publishFirstPart(List<Column> columns, CsvPrefix prefix) {
        try (ResultWriter first = store.create(queryId, FirstParts.storeRun(run), limits)) {
            ((CsvSink) first).athenaCsv(columns, prefix.part());
            ResultSummary summary = first.publish();
            LOG.info("run {}: first part of its result published, {} rows", run, summary.rows());
            published.accept(summary.rows());
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // stopping: the whole result's write notices it too
            }
            LOG.warn("run {}: the first part of its result could not be stored; pages wait for the whole result: {}",
                    run, e.getMessage());
        }
    }

    @Override
    public void columns(List<Column> columns) {
        whole.columns(columns);
    }

    @Override
    public boolean row(Object[] values) {
        return whole.row(values);
    }

    @Override
    public ResultSummary publish() throws IOException {
        return whole.publish();
    }

    @Override
    public void abort() {
        whole.abort();
    }

    @Override
    public long rowCount() {
        return whole.rowCount();
    }

    @Override
    public ResultTruncation truncation() {
        return whole.truncation();
    }

    @Override
    public void close() {
        whole.close();
    }
}
