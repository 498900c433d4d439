package io.sluice.download;

import io.javalin.http.Context;
import io.sluice.access.Role;
import io.sluice.api.ApiException;
import io.sluice.api.HttpApp;
import io.sluice.api.MessageCode;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;
import io.sluice.engine.DownloadLink;
import io.sluice.engine.Engine;
import io.sluice.engine.EngineException;
import io.sluice.engine.Engines;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryService;
import io.sluice.query.QueryState;
import io.sluice.result.DownloadFormat;
import io.sluice.result.ResultOperationUnsupported;
import io.sluice.result.ResultReader;
import io.sluice.result.ResultStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Full-result downloads without re-running the query: the engine's own result file through its
 * presigned link (engines with the {@code engineDownloadLink} capability), or the stored result
 * streamed as CSV through a signed, expiring link.
 */
public final class DownloadRoutes implements Routes {

    private static final Logger LOG = LoggerFactory.getLogger(DownloadRoutes.class);

    private final QueryService queries;
    private final Engines engines;
    private final ResultStore results;
    private final LinkSigner signer;
    private final Duration linkTtl;
    private final Clock clock;
    private final Responder responder;

    public DownloadRoutes(QueryService queries, Engines engines, ResultStore results, LinkSigner signer,
                          Duration linkTtl, Clock clock, Responder responder) {
        this.queries = queries;
        this.engines = engines;
        this.results = results;
        this.signer = signer;
        this.linkTtl = linkTtl;
        this.clock = clock;
        this.responder = responder;
    }

    @Override
    public void register(RouteTable table) {
        table.get("/api/query/{id}/download", Role.USER, this::link);
        table.get("/api/files/{token}", Role.ANYONE, this::file);
    }

    /**
     * A link to the query's result file. {@code format=csv} (the default) is the engine's own file
     * where the engine keeps one (Athena), else the stored result as CSV; {@code parquet} and
     * {@code jsonl} are always the stored result, which only a succeeded query has.
     */
    private void link(Context ctx) {
        String formatText = ctx.queryParam("format");
        DownloadFormat format = formatText == null ? DownloadFormat.CSV : DownloadFormat.named(formatText)
                .orElseThrow(() -> new ApiException(MessageCode.INVALID_PARAMETER,
                        Map.of("parameter", "format", "reason", "use csv, parquet or jsonl")));
        QueryRecord record = queries.get(HttpApp.caller(ctx), ctx.pathParam("id"));
        if (!record.state().isTerminal()) {
            throw new ApiException(MessageCode.QUERY_NOT_FINISHED, Map.of("state", record.state().name()));
        }
        Engine engine = engines.get(record.engine());
        // A local result cache hit has no engine file of its own: its stored (always complete) result is served.
        DownloadLink link = format == DownloadFormat.CSV && engine.capabilities().engineDownloadLink()
                && record.statistics().cachedFrom() == null
                ? engineLink(engine, record) : localLink(record, format);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", link.url().toString());
        data.put("expiresAt", Responder.format(link.expiresAt()));
        data.put("fileName", link.fileName());
        data.put("partial", link.partial());
        responder.ok(ctx, MessageCode.DOWNLOAD_READY, data);
    }

    /** A link to the engine's own result file (which a failed or cancelled query may have left, partial). */
    private DownloadLink engineLink(Engine engine, QueryRecord record) {
        if (record.engineQueryId() == null) {
            throw new ApiException(MessageCode.RESULT_NOT_AVAILABLE);
        }
        try {
            DownloadLink link = engine.download(record.engineQueryId(), fileName(record.id(), DownloadFormat.CSV));
            if (link == null) {
                throw new ApiException(MessageCode.RESULT_NOT_AVAILABLE);
            }
            return link;
        } catch (EngineException e) {
            LOG.warn("download link for {} failed: {}", record.id(), e.getMessage());
            throw new ApiException(MessageCode.ENGINE_UNAVAILABLE, Map.of("reason", e.getMessage()));
        }
    }

    private DownloadLink localLink(QueryRecord record, DownloadFormat format) {
        if (record.state() != QueryState.SUCCEEDED) {
            throw new ApiException(MessageCode.RESULT_NOT_AVAILABLE, Map.of("state", record.state().name()));
        }
        queries.requireResultKept(record);
        if (format != DownloadFormat.CSV) {
            try {
                Optional<ResultReader> reader = results.open(record.id(), record.run());
                if (reader.isPresent() && !reader.get().columnar()) {
                    throw new ApiException(MessageCode.RESULT_NOT_COLUMNAR, Map.of("format", format.extension()));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Instant expires = clock.instant().plus(linkTtl);
        String token = signer.sign(new LinkSigner.Grant(record.id(), record.run(), expires, format));
        // Relative: behind a proxy only the client knows the public scheme and host.
        URI url = URI.create("/api/files/" + token);
        return new DownloadLink(url, expires, fileName(record.id(), format), false);
    }

    private void file(Context ctx) throws IOException {
        LinkSigner.Grant grant = signer.verify(ctx.pathParam("token"))
                .orElseThrow(() -> new ApiException(MessageCode.LINK_INVALID));
        if (!clock.instant().isBefore(grant.expiresAt())) {
            throw new ApiException(MessageCode.LINK_EXPIRED);
        }
        Optional<ResultReader> reader = results.open(grant.queryId(), grant.run());
        if (reader.isEmpty()) {
            throw queries.resultNotAvailable(grant.queryId(), grant.run());
        }
        DownloadFormat format = grant.format();
        if (format != DownloadFormat.CSV) {
            try {
                reader.get().awaitColumnar(); // before the answer is committed: a refusal is never an empty 200
            } catch (ResultOperationUnsupported e) {
                throw new ApiException(MessageCode.RESULT_NOT_COLUMNAR, Map.of("format", format.extension()));
            }
        }
        ctx.status(200);
        ctx.contentType(format.contentType());
        ctx.header("Content-Disposition", "attachment; filename=\"" + fileName(grant.queryId(), format) + "\"");
        ctx.header("Cache-Control", "private, no-store");
        try (OutputStream out = ctx.outputStream()) {
            reader.get().write(format, out);
        }
    }

    private static String fileName(String queryId, DownloadFormat format) {
        return "sluice-" + queryId + "." + format.extension();
    }
}
