package io.sluice.task;

import io.sluice.api.MessageCode;
import io.sluice.datasource.DatasourceException;
import io.sluice.engine.duckdb.DuckDbSql;
import io.sluice.federation.AttachTarget;
import io.sluice.federation.Attachment;
import io.sluice.federation.Federation;
import io.sluice.federation.FederationException;
import io.sluice.query.RunCancellation;
import io.sluice.result.DownloadFormat;
import io.sluice.workspace.WorkspaceNames;
import io.sluice.workspace.WorkspaceTable;
import io.sluice.workspace.Workspaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one task in its owner's workspace, on one DuckDB connection from start to end: the
 * databases it names are attached (natively or by import, see {@link Federation}), its SELECT
 * becomes the table {@code workspace.<name>} ({@code CREATE TABLE … AS}, all or nothing), its
 * metadata is read, and everything attached is detached — after success, failure or cancel alike —
 * before the task's end is stored. A cancel interrupts the running statement (or import) and is
 * also checked before attaching and before the query, as the requirement's checkpoints say.
 */
public final class TaskRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

    private final TaskStore store;
    private final Workspaces workspaces;
    private final Federation federation;
    private final TaskDatasources datasources;
    private final ResultSource results;
    private final Clock clock;
    private final String instanceId;
    private volatile boolean stopping;

    public TaskRunner(TaskStore store, Workspaces workspaces, Federation federation, TaskDatasources datasources,
                      ResultSource results, Clock clock, String instanceId) {
        this.store = store;
        this.workspaces = workspaces;
        this.federation = federation;
        this.datasources = datasources;
        this.results = results;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    /** How a task ended. */
    record Outcome(TaskState state, TaskResultInfo result, TaskError error) {
        static Outcome cancelled() {
            return new Outcome(TaskState.CANCELLED, null, new TaskError(MessageCode.TASK_CANCELLED, Map.of()));
        }

        static Outcome failed(MessageCode code, Map<String, Object> details) {
            return new Outcome(TaskState.FAILED, null, new TaskError(code, details));
        }
    }

    /**
     * Starts the PENDING task {@code id} on this instance and runs it to its end; does nothing when it
     * was cancelled while waiting or another instance has it.
     */
    public void run(String id, RunCancellation cancellation) {
        Task task = store.find(id).orElse(null);
        if (task == null || task.state() != TaskState.PENDING || !store.start(id, instanceId, clock.instant())) {
            return;
        }
        long start = clock.millis();
        Outcome outcome;
        try {
            outcome = execute(task, cancellation, start);
        } catch (RuntimeException e) {
            LOG.error("task {} failed unexpectedly", id, e);
            outcome = Outcome.failed(MessageCode.INTERNAL_ERROR, Map.of());
        }
        if (stopping && outcome.state() == TaskState.CANCELLED) {
            // interrupted because this instance stops, not by its user: it can be retried
            outcome = Outcome.failed(MessageCode.SERVER_RESTARTED, Map.of());
        }
        if (store.finish(id, TaskState.RUNNING, outcome.state(), outcome.result(), outcome.error(), clock.instant())) {
            LOG.info("task {} of {} {} in {} ms", id, task.owner(), outcome.state(), clock.millis() - start);
        }
    }

    /** This instance stops: tasks interrupted from now on end FAILED with SERVER_RESTARTED, not CANCELLED. */
    void stopping() {
        stopping = true;
    }

    private Outcome execute(Task task, RunCancellation cancellation, long start) {
        if (cancellation.isCancelled()) {
            return Outcome.cancelled(); // checkpoint 1: before anything is attached
        }
        String table = task.tableName();
        try (Workspaces.Session workspace = workspaces.session(task.owner());
             Connection connection = workspace.connection()) {
            if (Workspaces.exists(connection, table)) {
                return Outcome.failed(MessageCode.TABLE_EXISTS, Map.of("table_name", table));
            }
            if (task.spec().sourceQueryId() != null) {
                return save(task, workspace, connection, cancellation, start);
            }
            return runOn(task, connection, workspace.scratch(), cancellation, start);
        } catch (SQLException | IOException | DatasourceException e) {
            return outcomeOf(e, cancellation);
        }
    }

    /** How a task that threw {@code e} ended: cancelled if its cancel was asked, else failed with the cause's code. */
    private Outcome outcomeOf(Exception e, RunCancellation cancellation) {
        if (cancellation.isCancelled() || e instanceof FederationException f && f.code() == MessageCode.QUERY_CANCELLED) {
            return Outcome.cancelled();
        }
        if (e instanceof FederationException f) {
            return Outcome.failed(f.code(), f.details());
        }
        if (e instanceof DatasourceException d) {
            return Outcome.failed(d.code(), d.details());
        }
        return Outcome.failed(MessageCode.QUERY_FAILED, Map.of("reason", mask(e.getMessage())));
    }

    /**
     * Attaches the task's databases, runs its SELECT into its table, reads the table's metadata and
     * detaches everything, all on {@code connection}, which it neither opens nor closes. Never throws.
     */
    Outcome runOn(Task task, Connection connection, Path scratch, RunCancellation cancellation, long start) {
        String table = task.tableName();
        try {
            List<AttachTarget> targets = new ArrayList<>();
            for (AttachDatabase a : task.spec().attachDatabases()) {
                targets.add(datasources.resolve(task.owner(), a.alias(), a.connectionId()));
            }
            List<String> attached;
            try (Attachment attachment = targets.isEmpty() ? null
                    : federation.attach(connection, scratch, targets, task.spec().sql(), cancellation)) {
                attached = attachment == null ? List.of() : attachment.aliases();
                if (cancellation.isCancelled()) {
                    return Outcome.cancelled(); // checkpoint 2: attached, before the query
                }
                execute(connection, "CREATE TABLE " + WorkspaceNames.table(table) + " AS\n" + task.spec().sql(),
                        cancellation);
            }
            Workspaces.markSource(connection, table, WorkspaceTable.Source.task(task.id()));
            return succeeded(connection, table, attached, task.spec().federated(), start);
        } catch (FederationException | SQLException | DatasourceException e) {
            return outcomeOf(e, cancellation);
        }
    }

    /** Copies a finished query's stored result into the table, through a file in the workspace's scratch folder. */
    private Outcome save(Task task, Workspaces.Session workspace, Connection connection, RunCancellation cancellation,
                         long start) throws IOException, SQLException {
        Path file = workspace.scratch().resolve("saved-" + task.id() + ".data");
        try {
            DownloadFormat format = results.write(task.owner(), task.spec().sourceQueryId(), file);
            if (cancellation.isCancelled()) {
                return Outcome.cancelled();
            }
            String path = DuckDbSql.path(file);
            String read = format == DownloadFormat.PARQUET ? "read_parquet(" + path + ")"
                    : "read_csv(" + path + ", header = true)";
            execute(connection, "CREATE TABLE " + WorkspaceNames.table(task.tableName()) + " AS SELECT * FROM " + read,
                    cancellation);
            Workspaces.markSource(connection, task.tableName(), WorkspaceTable.Source.query(task.spec().sourceQueryId()));
            return succeeded(connection, task.tableName(), List.of(), false, start);
        } catch (io.sluice.api.ApiException e) {
            return Outcome.failed(e.code(), e.details());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void execute(Connection connection, String sql, RunCancellation cancellation) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            cancellation.onCancel(() -> {
                try {
                    statement.cancel();
                } catch (SQLException e) {
                    LOG.debug("cancel of a finished task statement: {}", e.getMessage());
                }
            });
            statement.execute(sql);
        }
    }

    private Outcome succeeded(Connection connection, String table, List<String> attached, boolean federated,
                              long start) throws SQLException {
        WorkspaceTable made = Workspaces.describe(connection, table);
        return new Outcome(TaskState.SUCCEEDED, new TaskResultInfo(table, made.rows(), made.columns(), attached,
                federated, clock.millis() - start), null);
    }

    /** An error text without the server's folders. */
    private String mask(String message) {
        String text = message == null ? "DuckDB error" : message.strip();
        text = text.replace(workspaces.directory().toAbsolutePath().normalize().toString(), "<workspace>");
        return text.length() > 4000 ? text.substring(0, 4000) + "…" : text;
    }
}
