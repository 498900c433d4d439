package io.sluice;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.access.CallerResolver;
import io.sluice.api.HttpApp;
import io.sluice.api.Messages;
import io.sluice.api.Responder;
import io.sluice.catalog.CatalogCache;
import io.sluice.catalog.CatalogRoutes;
import io.sluice.config.SluiceConfig;
import io.sluice.download.DownloadRoutes;
import io.sluice.download.LinkSigner;
import io.sluice.engine.Engine;
import io.sluice.engine.Engines;
import io.sluice.engine.athena.AthenaEngine;
import io.sluice.engine.athena.AthenaPricing;
import io.sluice.engine.duckdb.DuckDbEngine;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.query.QueryEvents;
import io.sluice.query.QueryPoller;
import io.sluice.query.QueryRecovery;
import io.sluice.query.QueryRoutes;
import io.sluice.query.QueryRunner;
import io.sluice.query.QueryService;
import io.sluice.query.QueryTransitions;
import io.sluice.query.QueryViews;
import io.sluice.result.FolderResultStore;
import io.sluice.result.PageBudget;
import io.sluice.store.Database;
import io.sluice.store.JdbcQueryStore;
import io.sluice.sync.SyncQueryRoutes;
import io.sluice.system.SystemRoutes;
import org.slf4j.Logger;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.metrics.MetricPublisher;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The assembled service: store, results, engines, query lifecycle and HTTP, built from one
 * configuration. {@link #start} brings it up in order (migrations first, recovery before the
 * first request); {@link #close} takes it down in reverse.
 */
public final class Sluice implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sluice.class);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private HttpApp http;
    private QueryRunner runner;
    private QueryService queries;

    private Sluice() {
    }

    public static Sluice start(SluiceConfig config, Clock clock) {
        Sluice sluice = new Sluice();
        try {
            sluice.build(config, clock);
            return sluice;
        } catch (RuntimeException e) {
            sluice.close();
            throw e;
        }
    }

    private void build(SluiceConfig config, Clock clock) {
        ObjectMapper mapper = Json.mapper();
        SluiceMetrics metrics = keep(SluiceMetrics.start(config.metrics()));
        Database database = keep(Database.open(config.store().url(), config.store().user(), config.store().password(),
                config.store().maxPoolSize()));
        metrics.watchStorePool(database);
        JdbcQueryStore store = new JdbcQueryStore(database, mapper);
        FolderResultStore results;
        try {
            results = new FolderResultStore(config.results().dir(), FolderResultStore.DEFAULT_INDEX_STRIDE,
                    config.results().fsync(),
                    new PageBudget(config.results().maxPageBytes(), config.results().maxValueBytes()));
            results.sweepTemporary();
        } catch (IOException e) {
            throw new UncheckedIOException("results folder " + config.results().dir() + " is not usable", e);
        }
        List<Engine> engineList = new ArrayList<>();
        try {
            config.engines().duckdb().ifPresent(d -> engineList.add(DuckDbEngine.open(d)));
            config.engines().athena().ifPresent(a -> engineList.add(athena(a, mapper, clock, metrics.awsCalls())));
        } catch (RuntimeException e) {
            engineList.forEach(Engine::close);
            throw e;
        }
        Engines engines = keep(new Engines(engineList, config.engines().defaultEngine()));

        ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "sluice-timers");
            t.setDaemon(true);
            return t;
        });
        keep(timers::shutdownNow);
        QueryEvents events = new QueryEvents(store, metrics.runs());
        timers.scheduleWithFixedDelay(events::sweep, 1, 1, TimeUnit.SECONDS);
        QueryTransitions transitions = new QueryTransitions(store, events);
        SluiceConfig.Queries q = config.queries();
        runner = keep(new QueryRunner(transitions, engines, results, clock, config.server().instanceId(),
                q.workers(), q.maxRunningPerUser(), q.remoteWorkers(), timers)).start();
        metrics.watchWorkers(runner);
        queries = new QueryService(store, results, engines, transitions, runner, clock, new QueryService.Limits(
                q.maxQueryBytes(), config.results().defaultPageSize(), config.results().maxPageSize(),
                50, q.historyMaxPageSize(), q.maxQueuedPerUser()));
        // Taken before the first request: recovery touches only runs of earlier processes.
        Instant boot = clock.instant();

        Messages messages = new Messages(Locale.forLanguageTag(config.i18n().defaultLocale()));
        Responder responder = new Responder(messages, clock);
        QueryViews views = new QueryViews(clock, messages);
        http = keep(new HttpApp(config.server().host(), config.server().port(), config.server().maxRequestBytes(),
                mapper, responder, new CallerResolver(config.auth()), List.of(
                new SystemRoutes(responder, () -> effectiveConfig(config, engines), database.health()::available),
                new QueryRoutes(queries, views, responder, mapper),
                new SyncQueryRoutes(queries, events, views, responder, mapper),
                new DownloadRoutes(queries, engines, results, new LinkSigner(config.results().linkSecret()),
                        config.results().linkTtl(), clock, responder),
                new CatalogRoutes(engines, new CatalogCache(clock, Duration.ofSeconds(60)), responder),
                metrics.routes()), metrics.requests()));
        http.start();
        LOG.info("Sluice listening on {}:{} with engines {} (default {}), store {}", config.server().host(),
                http.port(), engines.names(), engines.defaultName(), database.dialect());
        // Requests are answered at once; a backlog left by the previous process is picked up meanwhile.
        QueryRecovery recovery = new QueryRecovery(store, transitions, runner, engines, clock,
                config.server().instanceId(), boot);
        Thread recovering = new Thread(recovery::recoverDurably, "sluice-recovery");
        recovering.setDaemon(true);
        recovering.start();
        keep(new QueryPoller(store, transitions, runner, engines, clock, config.server().instanceId())).start();
    }

    private static AthenaEngine athena(SluiceConfig.Athena config, ObjectMapper mapper, Clock clock,
                                       List<MetricPublisher> calls) {
        AthenaPricing pricing;
        try {
            pricing = AthenaPricing.load(config.pricingFile(), config.region(), mapper);
        } catch (IOException e) {
            throw new IllegalStateException("the Athena price file " + config.pricingFile() + " is unusable: "
                    + e.getMessage(), e);
        }
        AthenaEngine engine = new AthenaEngine(config, DefaultCredentialsProvider.builder().build(), pricing, clock,
                calls);
        if (config.validateOnStart()) {
            try {
                engine.validate();
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
        }
        LOG.info("Athena engine ready: region {}, workgroup {}, output {}", config.region(), config.workgroup(),
                config.outputLocation());
        return engine;
    }

    public int port() {
        return http.port();
    }

    /** The worker pool (tests and benchmarks observe when workers are free). */
    public QueryRunner runner() {
        return runner;
    }

    public QueryService queries() {
        return queries;
    }

    /** The HTTP routes with their roles (a test checks that every one declares its role). */
    public List<HttpApp.Route> routes() {
        return http.routes();
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resources.get(i), e.getMessage());
            }
        }
        resources.clear();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    private static Map<String, Object> effectiveConfig(SluiceConfig config, Engines engines) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("defaultEngine", engines.defaultName());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Engine engine : engines.all()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", engine.name());
            e.put("defaultCatalog", engine.defaultContext().catalog());
            e.put("defaultDatabase", engine.defaultContext().database());
            e.put("maxRuntimeSeconds", engine.maxRuntime().toSeconds());
            e.put("maxResultRows", engine.resultLimits().maxRows());
            e.put("maxResultBytes", engine.resultLimits().maxBytes());
            if (engine instanceof AthenaEngine athena) {
                SluiceConfig.Athena a = athena.config();
                e.put("region", a.region());
                e.put("workgroup", a.workgroup());
                e.put("outputLocation", a.outputLocation());
                e.put("maxScannedBytes", a.maxScannedBytes());
                e.put("resultReuse", a.resultReuse());
                e.put("resultReuseMinutes", a.resultReuseMaxAge().toMinutes());
                e.put("pollIntervalMillis", a.pollInterval().toMillis());
                e.put("maxPollCallsPerSecond", a.maxPollCallsPerSecond());
                e.put("downloadLinkTtlSeconds", a.downloadLinkTtl().toSeconds());
            }
            list.add(e);
        }
        data.put("engines", list);
        data.put("results", Map.of("defaultPageSize", config.results().defaultPageSize(),
                "maxPageSize", config.results().maxPageSize(), "maxPageBytes", config.results().maxPageBytes(),
                "maxValueBytes", config.results().maxValueBytes()));
        data.put("queries", Map.of("workers", config.queries().workers(),
                "maxQueryBytes", config.queries().maxQueryBytes(),
                "maxRunningPerUser", config.queries().maxRunningPerUser(),
                "maxQueuedPerUser", config.queries().maxQueuedPerUser()));
        data.put("auth", Map.of("enabled", config.auth().enabled(), "identityHeader", config.auth().identityHeader()));
        data.put("locales", List.of("zh-CN", "en"));
        data.put("defaultLocale", config.i18n().defaultLocale());
        return data;
    }
}
