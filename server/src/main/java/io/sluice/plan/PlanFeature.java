package io.sluice.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.Messages;
import io.sluice.api.Responder;
import io.sluice.api.Routes;
import io.sluice.config.SluiceConfig;
import io.sluice.datasource.DatasourceConnections;
import io.sluice.datasource.DatasourceException;
import io.sluice.datasource.DatasourceService;
import io.sluice.datasource.SqlitePaths;
import io.sluice.download.LinkSigner;
import io.sluice.engine.Engines;
import io.sluice.engine.ResultLimits;
import io.sluice.api.MessageCode;
import io.sluice.query.QueryEvents;
import io.sluice.query.QueryService;
import io.sluice.query.QueryViews;
import io.sluice.result.ResultStore;
import io.sluice.store.Database;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/**
 * Multi-step plans, assembled: their store, workers, runner with one executor per step type,
 * recovery and routes. Closing it stops the workers (a plan they interrupt ends FAILED with
 * SERVER_RESTARTED).
 */
public final class PlanFeature implements AutoCloseable {

    private final PlanWorkers workers;
    private final PlanService service;
    private final PlanRecovery recovery;
    private final PlanSql sql;
    private final List<Routes> routes;

    private PlanFeature(PlanWorkers workers, PlanService service, PlanRecovery recovery, PlanSql sql,
                        List<Routes> routes) {
        this.workers = workers;
        this.service = service;
        this.recovery = recovery;
        this.sql = sql;
        this.routes = routes;
    }

    /** Everything plans are built from. {@code signer}: the one the download route verifies links with. */
    public record Parts(SluiceConfig config, Database database, ObjectMapper mapper, Engines engines,
                        Optional<DatasourceService> datasources, QueryService queries, QueryEvents events,
                        QueryViews queryViews, ResultStore results, LinkSigner signer, Messages messages,
                        Responder responder, Clock clock, ScheduledExecutorService timers) {
    }

    public static PlanFeature start(Parts p) {
        SluiceConfig.Plans c = p.config().plans();
        SluiceConfig.Tasks t = p.config().tasks();
        String instanceId = p.config().server().instanceId();
        JdbcPlanStore store = new JdbcPlanStore(p.database(), p.mapper());
        PlanWorkers workers = new PlanWorkers(c.workers(), c.stepWorkers(), p.timers());
        PlanService service = new PlanService(store, workers, p.engines(), p.datasources(), p.clock(), instanceId);
        DatasourceConnections connections = new DatasourceConnections(p.config().datasources().connectTimeout(),
                new SqlitePaths(p.config().datasources().sqliteDirectories()));
        Map<StepType, StepExecutor> executors = Map.of(
                StepType.ATHENA_QUERY, new AthenaQueryStep(p.queries(), p.events()),
                StepType.RELATIONAL_QUERY, new RelationalQueryStep(() -> p.datasources().orElseThrow(() ->
                        new DatasourceException(MessageCode.CONNECTION_NOT_FOUND, Map.of())), connections,
                        p.config().federation().importBatchRows()),
                StepType.S3_PARQUET_READ, new S3ParquetStep(name -> service.athena(name, "engine")),
                StepType.LOCAL_QUERY, new LocalQueryStep());
        ResultLimits limits = p.engines().get(p.engines().defaultName()).resultLimits();
        PlanRunner runner = new PlanRunner(store, executors, workers.stepPool(), p.results(),
                new PlanRunner.Settings(c.directory(), t.workspaceMemoryLimit(), t.workspaceThreads(), limits),
                p.clock(), instanceId, p.timers());
        workers.runWith(runner);
        PlanSql sql = new PlanSql(p.mapper());
        PlanResults results = new PlanResults(p.queries(), p.results(), p.signer(), p.config().results().linkTtl(),
                p.clock());
        List<Routes> routes = List.of(new PlanRoutes(service, new PlanViews(p.messages()), results, p.queryViews(),
                p.responder(), p.mapper(), sql, c.maxSteps()));
        return new PlanFeature(workers, service, new PlanRecovery(store, instanceId, p.clock()), sql, routes);
    }

    public List<Routes> routes() {
        return routes;
    }

    /** Fails the plans of earlier processes and dead instances (see {@link PlanRecovery}). Never throws. */
    public void recover(Instant boot, Predicate<String> dead) {
        try {
            recovery.recover(boot, dead);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(PlanFeature.class).warn("plan recovery skipped: {}", e.getMessage());
        }
    }

    /** Stops the plans running here that another instance cancelled. Never throws. */
    public void stopPlansEndedElsewhere() {
        service.stopPlansEndedElsewhere();
    }

    @Override
    public void close() {
        workers.close();
        sql.close();
    }
}
