package io.sluice.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.access.Caller;
import io.sluice.api.Messages;
import io.sluice.api.MessageCode;
import io.sluice.api.Responder;
import io.sluice.api.Routes;
import io.sluice.config.SluiceConfig;
import io.sluice.datasource.DatasourceException;
import io.sluice.datasource.DatasourceService;
import io.sluice.datasource.SqlitePaths;
import io.sluice.datasource.UsableDatasource;
import io.sluice.engine.duckdb.DuckDbEngine;
import io.sluice.engine.duckdb.DuckDbSettings;
import io.sluice.federation.AttachTarget;
import io.sluice.federation.Federation;
import io.sluice.federation.FederationMode;
import io.sluice.federation.FederationSettings;
import io.sluice.query.QueryService;
import io.sluice.result.DownloadFormat;
import io.sluice.result.ResultReader;
import io.sluice.store.Database;
import io.sluice.workspace.WorkspaceRoutes;
import io.sluice.workspace.WorkspaceSettings;
import io.sluice.workspace.Workspaces;

import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/**
 * Async tasks and workspaces, assembled: the users' workspaces beside the DuckDB engine (whose
 * queries then run in their owner's workspace), the tasks' store, own workers and recovery, and
 * their routes. Closing it stops the workers (a task they interrupt ends FAILED with
 * SERVER_RESTARTED) and closes the workspaces.
 */
public final class TaskFeature implements AutoCloseable {

    private final Workspaces workspaces;
    private final TaskSql sql;
    private final TaskWorkers workers;
    private final TaskRecovery recovery;
    private final List<Routes> routes;
    private final TaskSyncQueries federatedQueries;

    private TaskFeature(Workspaces workspaces, TaskSql sql, TaskWorkers workers, TaskRecovery recovery,
                        List<Routes> routes, TaskSyncQueries federatedQueries) {
        this.federatedQueries = federatedQueries;
        this.workspaces = workspaces;
        this.sql = sql;
        this.workers = workers;
        this.recovery = recovery;
        this.routes = routes;
    }

    /** Everything a task feature is built from. */
    public record Parts(SluiceConfig config, Database database, ObjectMapper mapper, DuckDbEngine engine,
                        DuckDbSettings engineSettings, Optional<DatasourceService> datasources, QueryService queries,
                        Messages messages, Responder responder, Clock clock, ScheduledExecutorService timers) {
    }

    public static TaskFeature start(Parts p) {
        SluiceConfig.Tasks t = p.config().tasks();
        String mainCatalog = p.engine().defaultContext().catalog();
        Optional<WorkspaceSettings.MainDatabase> main = p.engineSettings().readOnly()
                ? Optional.of(new WorkspaceSettings.MainDatabase(p.engineSettings().database(), mainCatalog,
                p.engine().readableDirectories()))
                : Optional.empty(); // a database the engine writes cannot be read beside it safely
        FederationMode mode = FederationMode.fromConfigName(p.config().federation().mode()).orElseThrow();
        Workspaces workspaces = new Workspaces(new WorkspaceSettings(t.workspaceDirectory(), t.workspaceMemoryLimit(),
                t.workspaceThreads(), t.maxOpenWorkspaces(), main));
        if (main.isPresent()) {
            p.engine().runOwnersIn(workspaces);
        }
        SluiceConfig.Datasources ds = p.config().datasources();
        // Workspaces are locked (no extension loading, no settings changes): DuckDB's own extension
        // folder is the only one, and where an extension cannot be loaded, auto mode imports.
        Federation federation = new Federation(new FederationSettings(mode, Optional.empty(), ds.connectTimeout(),
                p.config().federation().importBatchRows(), p.config().federation().postgresCopy()),
                new SqlitePaths(ds.sqliteDirectories()));
        TaskDatasources datasources = (owner, alias, id) -> {
            DatasourceService service = p.datasources().orElseThrow(() ->
                    new DatasourceException(MessageCode.CONNECTION_NOT_FOUND, Map.of("id", id)));
            UsableDatasource usable = service.forUse(new Caller(owner), id);
            return new AttachTarget(alias, usable.datasource(), usable.password());
        };
        ResultSource results = (owner, queryId, file) -> {
            ResultReader reader = p.queries().storedResult(new Caller(owner), queryId);
            DownloadFormat format = reader.copyFormat();
            try (OutputStream out = Files.newOutputStream(file)) {
                reader.write(format, out);
            }
            return format;
        };
        String instanceId = p.config().server().instanceId();
        JdbcTaskStore store = new JdbcTaskStore(p.database(), p.mapper());
        TaskRunner runner = new TaskRunner(store, workspaces, federation, datasources, results, p.clock(), instanceId);
        TaskWorkers workers = new TaskWorkers(t.workers(), runner, store, instanceId, p.timers());
        TaskSql sql = new TaskSql(p.mapper());
        TaskService service = new TaskService(store, workers, datasources, sql, workspaces, p.clock(), instanceId,
                new TaskService.Limits(50, t.maxPageSize()), List.of(mainCatalog),
                check -> p.queries().storedResult(check.caller(), check.queryId()));
        List<Routes> routes = List.of(new TaskRoutes(service, new TaskViews(p.messages()), p.responder(), p.mapper()),
                new WorkspaceRoutes(workspaces, p.responder()));
        return new TaskFeature(workspaces, sql, workers, new TaskRecovery(store, workers, instanceId, p.clock()), routes,
                new TaskSyncQueries(service));
    }

    /** Synchronous queries with {@code attach_databases}, run as tasks. */
    public TaskSyncQueries federatedQueries() {
        return federatedQueries;
    }

    public List<Routes> routes() {
        return routes;
    }

    /** Settles the tasks of earlier processes and dead instances (see {@link TaskRecovery}). Never throws. */
    public void recover(Instant boot, Predicate<String> dead) {
        try {
            recovery.recover(boot, dead);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(TaskFeature.class).warn("task recovery skipped: {}", e.getMessage());
        }
    }

    /** Interrupts this instance's tasks whose cancel another instance stored. */
    public void stopTasksCancelledElsewhere() {
        workers.stopTasksCancelledElsewhere();
    }

    @Override
    public void close() {
        workers.close();
        workspaces.close();
        sql.close();
    }
}
