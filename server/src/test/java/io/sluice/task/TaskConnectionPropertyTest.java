package io.sluice.task;

import io.sluice.api.MessageCode;
import io.sluice.datasource.Datasource;
import io.sluice.datasource.DatasourceParams;
import io.sluice.datasource.DatasourceType;
import io.sluice.datasource.SqlitePaths;
import io.sluice.federation.AttachTarget;
import io.sluice.federation.Federation;
import io.sluice.federation.FederationMode;
import io.sluice.federation.FederationSettings;
import io.sluice.query.RunCancellation;
import io.sluice.workspace.WorkspaceSettings;
import io.sluice.workspace.Workspaces;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The requirement's properties 2 and 3 on {@link TaskRunner} with real DuckDB, real SQLite
 * databases and the real {@link Federation}, at least 100 tries: whatever happens — the task
 * succeeds, its query fails, it is cancelled while its query runs, or the N-th database cannot be
 * attached — every database attached is detached before the task's end is known, and every ATTACH,
 * the query and every DETACH run on the one connection the task was given. The connection each
 * statement ran on is read from DuckDB's own query log ({@code duckdb_logs}), kept by the test's
 * DuckDB instance.
 */
class TaskConnectionPropertyTest {

    enum Ending { SUCCEEDS, QUERY_FAILS, CANCELLED_WHILE_QUERYING, ATTACH_FAILS }

    record Case(List<String> aliases, Ending ending, int failingAt) {
    }

    static Path dir;
    static Path scratch;
    static DuckDBConnection root;
    static Connection connection;
    static long connectionId;
    static TaskRunner runner;
    static ScheduledExecutorService timers;
    static final AtomicInteger TABLES = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("task-connection");
        Path lite = Files.createDirectories(dir.resolve("lite"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite.resolve("items.db")); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id INTEGER, name TEXT)");
            s.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, NULL)");
        }
        scratch = Files.createDirectories(dir.resolve("scratch"));
        root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("workspace.duckdb"));
        try (Statement s = root.createStatement()) {
            s.execute("CALL enable_logging('QueryLog')");
        }
        connection = root.duplicate();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT current_connection_id()")) {
            rs.next();
            connectionId = rs.getLong(1);
        }
        Federation federation = new Federation(new FederationSettings(FederationMode.IMPORT, Optional.empty(),
                Duration.ofSeconds(5), 1000), new SqlitePaths(List.of(lite)));
        TaskDatasources datasources = (owner, alias, id) -> new AttachTarget(alias, new Datasource(id, owner,
                DatasourceType.SQLITE, DatasourceParams.file(lite.resolve(id + ".db").toString()), false, false,
                Instant.EPOCH, Instant.EPOCH, 0), null);
        Workspaces workspaces = new Workspaces(new WorkspaceSettings(dir.resolve("workspaces"), "256MB", 1, 1,
                Optional.empty()));
        runner = new TaskRunner(null, workspaces, federation, datasources, null, Clock.systemUTC(), "test");
        timers = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterContainer
    static void stop() throws IOException, SQLException {
        timers.shutdownNow();
        connection.close();
        root.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<String>> aliases = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)
                .map(a -> "db_" + a).list().ofMinSize(1).ofMaxSize(4).uniqueElements();
        return Combinators.combine(aliases, Arbitraries.of(Ending.class), Arbitraries.integers().between(0, 3))
                .as((list, ending, at) -> new Case(list, ending, Math.min(at, list.size() - 1)));
    }

    @Property(tries = 100)
    void everythingAttachedIsDetachedAndEveryStatementRunsOnTheTasksConnection(@ForAll("cases") Case c) throws Exception {
        try (Statement s = root.createStatement()) {
            s.execute("CALL truncate_duckdb_logs()");
        }
        List<AttachDatabase> attach = new ArrayList<>();
        for (int i = 0; i < c.aliases().size(); i++) {
            boolean broken = c.ending() == Ending.ATTACH_FAILS && i == c.failingAt();
            attach.add(new AttachDatabase(c.aliases().get(i), broken ? "missing" : "items"));
        }
        String first = c.aliases().get(0);
        String sql = switch (c.ending()) {
            case SUCCEEDS, ATTACH_FAILS -> "SELECT count(*) AS n FROM " + first + ".items";
            case QUERY_FAILS -> "SELECT * FROM " + first + ".items JOIN no_such_local_table ON true";
            case CANCELLED_WHILE_QUERYING -> "SELECT count(*) AS n FROM " + first + ".items, range(100000000000)";
        };
        String table = "t_" + TABLES.incrementAndGet();
        Task task = new Task(UUID.randomUUID().toString(), "tester", TaskState.RUNNING,
                new TaskSpec(sql, TaskSpec.QUERY, table, attach, null, null), null, null, null, false, "test",
                Instant.now(), Instant.now(), null, 0);
        RunCancellation cancellation = new RunCancellation();
        CompletableFuture<TaskRunner.Outcome> run = CompletableFuture.supplyAsync(
                () -> runner.runOn(task, connection, scratch, cancellation, System.currentTimeMillis()));
        if (c.ending() == Ending.CANCELLED_WHILE_QUERYING) {
            await().atMost(Duration.ofSeconds(20)).until(() -> logged("CREATE TABLE \"workspace\"%").size() == 1);
            cancellation.cancel(timers);
        }
        TaskRunner.Outcome outcome = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
        cancellation.ended();

        switch (c.ending()) {
            case SUCCEEDS -> assertThat(outcome.state()).isEqualTo(TaskState.SUCCEEDED);
            case QUERY_FAILS -> assertThat(outcome.error().code()).isEqualTo(MessageCode.QUERY_FAILED);
            case CANCELLED_WHILE_QUERYING -> assertThat(outcome.state()).isEqualTo(TaskState.CANCELLED);
            case ATTACH_FAILS -> assertThat(outcome.error().code()).isEqualTo(MessageCode.ATTACH_FAILED);
        }
        // Property 2: nothing attached is left, and no import file.
        List<String> databases = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT database_name FROM duckdb_databases() ORDER BY 1")) {
            while (rs.next()) {
                databases.add(rs.getString(1));
            }
        }
        assertThat(databases).containsExactly("system", "temp", "workspace");
        try (Stream<Path> files = Files.list(scratch)) {
            assertThat(files.toList()).isEmpty();
        }
        List<long[]> attaches = logged("ATTACH%");
        List<long[]> detaches = logged("DETACH%");
        int expectedAttached = c.ending() == Ending.ATTACH_FAILS ? c.failingAt() : c.aliases().size();
        assertThat(attaches).hasSize(expectedAttached);
        assertThat(detaches).hasSize(expectedAttached);
        // Property 3: ATTACH, the imports, the query and DETACH: every statement on the task's one connection
        // (the test's own reads of the log run on another connection and are left out).
        List<long[]> statements = logged("%");
        assertThat(statements).hasSizeGreaterThan(2 * expectedAttached);
        assertThat(statements).allSatisfy(s -> assertThat(s[0]).isEqualTo(connectionId));
        if (c.ending() != Ending.ATTACH_FAILS) {
            assertThat(logged("CREATE TABLE \"workspace\"%")).hasSize(1);
        }
    }

    /** The connection ids of the logged statements whose text is LIKE {@code pattern}. */
    private static List<long[]> logged(String pattern) throws SQLException {
        List<long[]> ids = new ArrayList<>();
        try (var ps = root.prepareStatement("SELECT connection_id FROM duckdb_logs WHERE type = 'QueryLog' AND message LIKE ? "
                + "AND connection_id <> current_connection_id()")) {
            ps.setString(1, pattern);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(new long[] {rs.getLong(1)});
                }
            }
        }
        return ids;
    }
}
