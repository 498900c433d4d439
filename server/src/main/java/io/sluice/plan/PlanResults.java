package io.sluice.plan;

import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.download.LinkSigner;
import io.sluice.query.PageRequest;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryService;
import io.sluice.query.QueryState;
import io.sluice.query.Statistics;
import io.sluice.result.DownloadFormat;
import io.sluice.result.ResultReader;
import io.sluice.result.ResultStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A succeeded plan's result, read like a query's: it is stored in the result store under the plan's
 * id (run 1), so pages come from the query service's page reader (cursors, sort, filter) and a
 * download is a signed link to the same {@code /api/files/{token}} route queries use.
 */
final class PlanResults {

    private final QueryService queries;
    private final ResultStore results;
    private final LinkSigner signer;
    private final Duration linkTtl;
    private final Clock clock;

    PlanResults(QueryService queries, ResultStore results, LinkSigner signer, Duration linkTtl, Clock clock) {
        this.queries = queries;
        this.results = results;
        this.signer = signer;
        this.linkTtl = linkTtl;
        this.clock = clock;
    }

    QueryService.ResultPageView page(Plan plan, PageRequest request) {
        return queries.results(asQuery(plan), request);
    }

    /** {@code url}, {@code expiresAt}, {@code fileName}, {@code partial}: as a query's download answer. */
    Map<String, Object> download(Plan plan, DownloadFormat format) {
        QueryRecord record = asQuery(plan);
        if (format != DownloadFormat.CSV) {
            try {
                Optional<ResultReader> reader = results.open(record.id(), record.run());
                if (reader.isEmpty()) {
                    throw queries.resultNotAvailable(record.id(), record.run());
                }
                if (!reader.get().columnar()) {
                    throw new ApiException(MessageCode.RESULT_NOT_COLUMNAR, Map.of("format", format.extension()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Instant expires = clock.instant().plus(linkTtl);
        String token = signer.sign(new LinkSigner.Grant(plan.id(), 1, expires, format));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", URI.create("/api/files/" + token).toString());
        data.put("expiresAt", io.sluice.api.Responder.format(expires));
        data.put("fileName", "sluice-plan-" + plan.id() + "." + format.extension());
        data.put("partial", false);
        return data;
    }

    /** The plan's result as a succeeded query run the query service can page; refused unless it succeeded. */
    private static QueryRecord asQuery(Plan plan) {
        if (!plan.state().isTerminal()) {
            throw new ApiException(MessageCode.PLAN_NOT_FINISHED, Map.of("planId", plan.id(), "state", plan.state().name()));
        }
        if (plan.state() != PlanState.SUCCEEDED) {
            throw new ApiException(MessageCode.RESULT_NOT_AVAILABLE, Map.of("state", plan.state().name()));
        }
        Instant end = plan.finishedAt() == null ? plan.createdAt() : plan.finishedAt();
        return QueryRecord.queued(plan.id(), plan.owner(), "plan", "plan " + plan.id(), null, null, null,
                plan.createdAt()).withEnd(QueryState.SUCCEEDED, end, Statistics.EMPTY, null);
    }
}
