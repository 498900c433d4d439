package io.sluice.plan;

import io.sluice.access.Caller;
import io.sluice.api.ApiException;
import io.sluice.query.QueryEvents;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryService;
import io.sluice.query.QueryState;
import io.sluice.query.Submission;
import io.sluice.result.DownloadFormat;
import io.sluice.result.ResultReader;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * An AthenaQuery: a real query submitted through the query service as the plan's owner (so it is
 * priced, checked and in their history and usage), waited for, and its stored result copied into
 * the step's table. A cancel of the step cancels the query, which stops it in Athena.
 */
final class AthenaQueryStep implements StepExecutor {

    private final QueryService queries;
    private final QueryEvents events;

    AthenaQueryStep(QueryService queries, QueryEvents events) {
        this.queries = queries;
        this.events = events;
    }

    @Override
    public void run(StepContext c) throws Exception {
        Caller caller = new Caller(c.plan().owner());
        QueryRecord submitted;
        try {
            submitted = queries.submit(caller, new Submission(c.step().sql(), c.step().engine(), null, null, null,
                    c.step().maxScanGb(), null, false));
        } catch (ApiException e) {
            throw new StepFailure(e.code().name() + " " + e.details());
        }
        c.querySubmitted().accept(submitted.id());
        var end = events.awaitEnd(submitted.id(), submitted.run());
        c.cancellation().onCancel(() -> cancelQuietly(caller, submitted.id()));
        QueryRecord done;
        try {
            done = end.get();
        } catch (InterruptedException e) {
            cancelQuietly(caller, submitted.id());
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted");
        } catch (ExecutionException e) {
            throw new StepFailure(String.valueOf(e.getCause()));
        }
        if (done.state() != QueryState.SUCCEEDED) {
            if (done.state() == QueryState.CANCELLED && c.cancellation().isCancelled()) {
                return;
            }
            String why = done.error() == null ? done.state().name() : done.error().code() + ": " + done.error().message();
            throw new StepFailure("query " + done.id() + " " + why);
        }
        ResultReader reader = queries.storedResult(caller, done.id());
        DownloadFormat format = reader.copyFormat();
        Path file = c.scratch().resolve("athena-" + c.step().id() + "." + format.extension());
        try (OutputStream out = Files.newOutputStream(file)) {
            reader.write(format, out);
        }
        DuckSteps.load(c.duck(), c.step().id(), file, format == DownloadFormat.PARQUET, c.cancellation());
    }

    private void cancelQuietly(Caller caller, String queryId) {
        try {
            queries.cancel(caller, queryId);
        } catch (ApiException e) {
            // it ended meanwhile
        }
    }
}
