package io.sluice;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.access.CallerResolver;
import io.sluice.api.HttpApp;
import io.sluice.api.Messages;
import io.sluice.api.Responder;
import io.sluice.api.Routes;
import io.sluice.access.Admins;
import io.sluice.datasource.ConnectionTester;
import io.sluice.datasource.DatasourceRoutes;
import io.sluice.datasource.DatasourceService;
import io.sluice.datasource.JdbcDatasourceStore;
import io.sluice.datasource.PasswordCipher;
import io.sluice.datasource.SqlitePaths;
import io.sluice.catalog.CatalogCache;
import io.sluice.lint.LintCheck;
import io.sluice.lint.LintRoutes;
import io.sluice.lint.QueryLinter;
import io.sluice.catalog.CatalogRoutes;
import io.sluice.config.SluiceConfig;
import io.sluice.download.DownloadRoutes;
import io.sluice.download.LinkSigner;
import io.sluice.engine.Engine;
import io.sluice.engine.EngineEnvironment;
import io.sluice.engine.Engines;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.query.QueryEvents;
import io.sluice.query.QueryPoller;
import io.sluice.query.QueryRecovery;
import io.sluice.query.RunTakeover;
import io.sluice.query.Lifecycle;
import io.sluice.cache.LocalResultCache;
import io.sluice.cluster.ClusterMembers;
import io.sluice.store.JdbcInstanceStore;
import io.sluice.query.QueryRoutes;
import io.sluice.query.QueryRunner;
import io.sluice.query.QueryService;
import io.sluice.query.QueryTransitions;
import io.sluice.query.QueryViews;
import io.sluice.result.ResultStore;
import io.sluice.result.ResultStores;
import io.sluice.retention.RemovedResults;
import io.sluice.retention.Retention;
import io.sluice.store.Database;
import io.sluice.store.JdbcLeaseStore;
import io.sluice.store.JdbcCacheStore;
import io.sluice.store.JdbcQueryStore;
import io.sluice.store.JdbcUsageStore;
import io.sluice.budget.BudgetGuard;
import io.sluice.usage.UsageRoutes;
import io.sluice.usage.UsageService;
import io.sluice.store.JdbcRetentionStore;
import io.sluice.sync.SyncQueryRoutes;
import io.sluice.engine.duckdb.DuckDbEngine;
import io.sluice.engine.duckdb.DuckDbSettings;
import io.sluice.task.TaskFeature;
import io.sluice.plan.PlanFeature;
import io.sluice.workspace.WorkspaceNames;
import io.sluice.system.SystemRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
    private Retention retention;
    /** Runs first on {@link #close}: the graceful part of a stop (see {@link #drain}). */
    private Runnable drain = () -> { };
    private volatile boolean draining;

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
        ResultStore results = keep(ResultStores.open(config.results(), config.server().instanceId()));
        List<Engine> engineList = new ArrayList<>();
        EngineEnvironment environment = new EngineEnvironment(mapper, clock, metrics.awsCalls(),
                config.server().instanceId());
        try {
            config.engines().definitions().forEach(d -> engineList.add(d.open(environment)));
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
        String instanceId = config.server().instanceId();
        ClusterMembers members = new ClusterMembers(new JdbcInstanceStore(database), instanceId,
                config.cluster().lease(), config.cluster().enabled(), clock);
        members.join();
        QueryTransitions transitions = new QueryTransitions(store, events, new Lifecycle.Actor(instanceId, members::isDead));
        SluiceConfig.Queries q = config.queries();
        runner = keep(new QueryRunner(transitions, engines, results, clock,
                q.workers(), q.maxRunningPerUser(), q.remoteWorkers(), timers))
                .firstParts(new io.sluice.result.firstpart.FirstPartSettings(config.results().firstPartRows(),
                        config.results().firstPartBytes()))
                .start();
        // A cancel answered by another instance reaches this one's local runs through the store.
        timers.scheduleWithFixedDelay(runner::stopRunsEndedElsewhere, 1, 1, TimeUnit.SECONDS);
        RunTakeover takeover = new RunTakeover(store, transitions, runner, engines, clock);
        metrics.watchWorkers(runner);
        JdbcRetentionStore retained = new JdbcRetentionStore(database, mapper);
        queries = new QueryService(store, results, engines, transitions, runner, clock, new QueryService.Limits(
                q.maxQueryBytes(), config.results().defaultPageSize(), config.results().maxPageSize(),
                50, q.historyMaxPageSize(), q.maxQueuedPerUser()),
                new RemovedResults(retained, config.retention().resultDays()),
                new LocalResultCache(new JdbcCacheStore(database, mapper), results, clock));
        retention = new Retention(retained, new JdbcLeaseStore(database), results, config.retention(), instanceId,
                config.cluster().lease(), clock);
        if (retention.enabled()) {
            // A thread of its own: a long round must not delay the heartbeat on the timers.
            ScheduledExecutorService retentionTimer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sluice-retention");
                t.setDaemon(true);
                return t;
            });
            keep(retentionTimer::shutdownNow);
            long every = config.retention().interval().toMinutes();
            retentionTimer.scheduleWithFixedDelay(retention::run, every, every, TimeUnit.MINUTES);
        }
        // Taken before the first request: recovery touches only runs of earlier processes.
        Instant boot = clock.instant();

        Admins admins = new Admins(config.auth().admins());
        JdbcUsageStore usageStore = new JdbcUsageStore(database);
        java.util.function.Function<String, String> workgroups = name -> engines.find(name)
                .flatMap(BudgetGuard::workgroup).orElse(null);
        BudgetGuard budgets = new BudgetGuard(config.budgets(), usageStore, admins, clock, workgroups);
        queries.addCheck(budgets);

        Messages messages = new Messages(Locale.forLanguageTag(config.i18n().defaultLocale()));
        Responder responder = new Responder(messages, clock);
        QueryViews views = new QueryViews(clock, messages);
        Optional<DatasourceService> datasources = datasources(config, database, clock);
        Routes datasourceRoutes = datasources.<Routes>map(d -> new DatasourceRoutes(d, responder, mapper))
                .orElse(table -> { });
        List<Routes> taskRoutes = List.of();
        TaskFeature tasks = null;
        Optional<DuckDbEngine> duck = taskEngine(config, engines);
        if (config.tasks().enabled() && duck.isPresent()) {
            DuckDbSettings duckSettings = (DuckDbSettings) config.engines().definitions().stream()
                    .filter(d -> d.name().equals(duck.get().name())).findFirst().orElseThrow().settings();
            tasks = keep(TaskFeature.start(new TaskFeature.Parts(config, database, mapper, duck.get(), duckSettings,
                    datasources, queries, messages, responder, clock, timers)));
            taskRoutes = tasks.routes();
        }
        LinkSigner signer = new LinkSigner(config.results().linkSecret());
        PlanFeature plans = keep(PlanFeature.start(new PlanFeature.Parts(config, database, mapper, engines, datasources,
                queries, events, views, results, signer, messages, responder, clock, timers)));
        // One catalog cache for the schema browser and the linter's table look-ups.
        CatalogCache catalogCache = new CatalogCache(clock, Duration.ofSeconds(60));
        QueryLinter linter = keep(new QueryLinter(catalogCache, config.lint().wideTableColumns()));
        // After the budgets: a refused query is not linted.
        queries.addCheck(new LintCheck(linter));
        List<Routes> routes = new ArrayList<>(List.of(
                new SystemRoutes(responder, () -> effectiveConfig(config, engines),
                        () -> !draining && database.health().available()),
                new QueryRoutes(queries, views, responder, mapper),
                new SyncQueryRoutes(queries, events, views, responder, mapper,
                        tasks == null ? null : tasks.federatedQueries()),
                new DownloadRoutes(queries, engines, results, signer, config.results().linkTtl(), clock, responder),
                new CatalogRoutes(engines, catalogCache, responder),
                new LintRoutes(linter, queries, views, responder, mapper),
                metrics.routes(), datasourceRoutes,
                new UsageRoutes(new UsageService(usageStore, admins, clock, workgroups), budgets, responder)));
        routes.addAll(taskRoutes);
        routes.addAll(plans.routes());
        http = keep(new HttpApp(config.server().host(), config.server().port(), config.server().maxRequestBytes(),
                mapper, responder, new CallerResolver(config.auth()), routes, metrics.requests()));
        http.start();
        LOG.info("Sluice listening on {}:{} with engines {} (default {}), store {}", config.server().host(),
                http.port(), engines.names(), engines.defaultName(), database.dialect());
        // Requests are answered at once; a backlog left by the previous process is picked up meanwhile.
        QueryRecovery recovery = new QueryRecovery(takeover, members, boot);
        Thread recovering = new Thread(recovery::recoverDurably, "sluice-recovery");
        recovering.setDaemon(true);
        recovering.start();
        if (tasks != null) {
            TaskFeature t = tasks;
            t.recover(boot, members::isDead);
            if (config.cluster().enabled()) { // cancels answered by, and deaths of, other instances
                timers.scheduleWithFixedDelay(t::stopTasksCancelledElsewhere, 1, 1, TimeUnit.SECONDS);
                long every = Math.max(1, config.cluster().lease().toSeconds());
                timers.scheduleWithFixedDelay(() -> t.recover(boot, members::isDead), every, every, TimeUnit.SECONDS);
            }
        }
        plans.recover(boot, members::isDead);
        timers.scheduleWithFixedDelay(plans::stopPlansEndedElsewhere, 1, 1, TimeUnit.SECONDS);
        if (config.cluster().enabled()) { // plans of instances that died meanwhile
            long every = Math.max(1, config.cluster().lease().toSeconds());
            timers.scheduleWithFixedDelay(() -> plans.recover(boot, members::isDead), every, every, TimeUnit.SECONDS);
        }
        QueryPoller poller = keep(new QueryPoller(store, transitions, runner, engines, clock, instanceId,
                members::liveCount));
        poller.start();
        long beat = members.heartbeatInterval().toMillis();
        ScheduledFuture<?> heartbeats = timers.scheduleWithFixedDelay(() -> heartbeat(members, takeover), beat, beat,
                TimeUnit.MILLISECONDS);
        long look = members.observeInterval().toMillis();
        ScheduledFuture<?> watching = timers.scheduleWithFixedDelay(() -> watch(members, takeover), look, look,
                TimeUnit.MILLISECONDS);
        drain = () -> drain(config.server().shutdownGrace(), List.of(heartbeats, watching), poller, members);
    }

    /**
     * The engine tasks and workspaces run in: the default engine when it is DuckDB, else the first
     * DuckDB engine.
     */
    private static Optional<DuckDbEngine> taskEngine(SluiceConfig config, Engines engines) {
        if (engines.get(engines.defaultName()) instanceof DuckDbEngine d) {
            return Optional.of(d);
        }
        return engines.all().stream().filter(DuckDbEngine.class::isInstance).map(DuckDbEngine.class::cast).findFirst();
    }

    /**
     * The datasource registry, when datasources are enabled (empty otherwise). Refuses to start when
     * the configured key does not open the passwords already stored.
     */
    private static Optional<DatasourceService> datasources(SluiceConfig config, Database database, Clock clock) {
        SluiceConfig.Datasources ds = config.datasources();
        if (!ds.enabled()) {
            return Optional.empty();
        }
        PasswordCipher cipher = PasswordCipher.fromBase64(ds.encryptionKey().orElseThrow());
        JdbcDatasourceStore store = new JdbcDatasourceStore(database, Json.mapper());
        long unopenable = DatasourceService.unopenable(store, cipher);
        if (unopenable > 0) {
            throw new IllegalStateException("datasources.encryptionKey does not decrypt " + unopenable
                    + " stored datasource password(s): configure the key they were encrypted with, or re-encrypt "
                    + "them with the rekey-datasources command");
        }
        SqlitePaths sqlite = new SqlitePaths(ds.sqliteDirectories());
        return Optional.of(new DatasourceService(store, cipher,
                new ConnectionTester(ds.connectTimeout(), sqlite, clock), sqlite, new Admins(config.auth().admins()), clock));
    }

    /**
     * A graceful stop (SIGTERM): readiness answers 503 so the load balancer stops sending work; no
     * new run starts here; runs already going finish for up to {@code grace}; then the poller stops
     * and the instance leaves the cluster, giving up its runs at once: another instance adopts its
     * Athena runs and queued runs without waiting for the lease. What still ran after the grace is
     * interrupted and ends FAILED (SERVER_RESTARTED) at the adopter.
     */
    private void drain(Duration grace, List<ScheduledFuture<?>> heartbeats, QueryPoller poller, ClusterMembers members) {
        draining = true;
        boolean finished = runner.drain(grace);
        LOG.info("stopping: {}", finished ? "every running run finished" : "the grace of " + grace.toSeconds()
                + " s is over; runs still going are left to another instance");
        heartbeats.forEach(h -> h.cancel(false));
        poller.close();
        try {
            members.leave();
        } catch (RuntimeException e) {
            LOG.warn("could not leave the cluster ({}); other instances take this one's runs over after its lease",
                    e.getMessage());
        }
    }

    /**
     * Renews this instance's lease and takes over the runs of instances whose lease ran out. Never
     * throws (a timer task that throws stops): a store outage just skips a beat.
     */
    private static void heartbeat(ClusterMembers members, RunTakeover takeover) {
        try {
            members.beat();
            takeover.takeOverDead(members::isDead).forEach(members::forget);
        } catch (RuntimeException e) {
            LOG.debug("heartbeat skipped: {}", e.getMessage());
        }
    }

    /** Between beats: takes over at once the runs of an instance that just died or left. Never throws. */
    private static void watch(ClusterMembers members, RunTakeover takeover) {
        try {
            if (members.observe()) {
                takeover.takeOverDead(members::isDead).forEach(members::forget);
            }
        } catch (RuntimeException e) {
            LOG.debug("watching the other instances skipped a look: {}", e.getMessage());
        }
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

    /** Retention (tests run a round at once rather than wait for its timer). */
    public Retention retention() {
        return retention;
    }

    /** The HTTP routes with their roles (a test checks that every one declares its role). */
    public List<HttpApp.Route> routes() {
        return http.routes();
    }

    @Override
    public void close() {
        try {
            drain.run();
        } catch (RuntimeException e) {
            LOG.warn("the graceful part of the stop failed: {}", e.getMessage());
        }
        drain = () -> { };
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
            e.put("type", engine.type());
            e.put("defaultCatalog", engine.defaultContext().catalog());
            e.put("defaultDatabase", engine.defaultContext().database());
            e.put("maxRuntimeSeconds", engine.maxRuntime().toSeconds());
            e.put("maxResultRows", engine.resultLimits().maxRows());
            e.put("maxResultBytes", engine.resultLimits().maxBytes());
            // The engine's own settings next to the common ones, which they cannot replace.
            engine.publicSettings().forEach(e::putIfAbsent);
            e.put("capabilities", engine.capabilities().toMap());
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
        data.put("retention", Map.of("resultDays", config.retention().resultDays(),
                "historyDays", config.retention().historyDays(),
                "intervalMinutes", config.retention().interval().toMinutes()));
        data.put("auth", Map.of("enabled", config.auth().enabled(), "identityHeader", config.auth().identityHeader()));
        data.put("datasources", Map.of("enabled", config.datasources().enabled(),
                "types", io.sluice.datasource.DatasourceType.apiNames(),
                "connectTimeoutSeconds", config.datasources().connectTimeout().toSeconds()));
        data.put("tasks", Map.of("enabled", config.tasks().enabled(), "workers", config.tasks().workers(),
                "federationMode", config.federation().mode(), "workspaceCatalog", WorkspaceNames.CATALOG));
        data.put("locales", List.of("zh-CN", "en"));
        data.put("defaultLocale", config.i18n().defaultLocale());
        return data;
    }
}
