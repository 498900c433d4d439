package io.sluice.workspace;

import io.sluice.engine.Column;
import io.sluice.engine.duckdb.DuckDbSql;
import io.sluice.engine.duckdb.OwnerDatabases;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Users' workspaces: each user has a DuckDB database of their own ({@code workspace.duckdb} in a
 * folder named by a hash of their identity) holding their result tables, opened as its own DuckDB
 * instance so no other user's SQL can reach it. The engine's main database is attached read-only
 * under its own catalog name, so a query in a workspace joins result tables with everything the
 * engine has. Each instance is locked as the engine is: files only from the engine's folders and
 * the workspace's own scratch folder, no extension loading, no configuration changes.
 *
 * <p>Instances are opened on demand and shared by every session of their user; beyond
 * {@code maxOpen}, idle ones are closed (they reopen on the next use).
 */
public final class Workspaces implements OwnerDatabases, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Workspaces.class);
    private static final String FILE = WorkspaceNames.CATALOG + ".duckdb";

    private final WorkspaceSettings settings;
    /** Open instances by folder, least recently used first. */
    private final LinkedHashMap<Path, Instance> open = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    public Workspaces(WorkspaceSettings settings) {
        this.settings = settings;
    }

    /** A session in {@code owner}'s workspace, creating the workspace if it does not exist. */
    public Session session(String owner) {
        return sessionIn(folder(owner));
    }

    /** A session in {@code owner}'s workspace, if they have one. */
    public Optional<Session> openIfExists(String owner) {
        Path folder = folder(owner);
        return Files.exists(folder.resolve(FILE)) ? Optional.of(sessionIn(folder)) : Optional.empty();
    }

    /**
     * A connection into {@code owner}'s workspace for the engine's queries, when they have one and
     * workspaces see the engine's database (else their queries run on the engine as before).
     */
    @Override
    public Optional<OwnerDatabases.Lease> open(String owner) throws SQLException {
        if (settings.main().isEmpty()) {
            return Optional.empty();
        }
        Optional<Session> session = openIfExists(owner);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        Session s = session.get();
        Connection c;
        try {
            c = s.connection();
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
        return Optional.of(new OwnerDatabases.Lease() {
            @Override
            public Connection connection() {
                return c;
            }

            @Override
            public void close() {
                try {
                    c.close();
                } catch (SQLException e) {
                    LOG.debug("closing a workspace connection: {}", e.getMessage());
                } finally {
                    s.close();
                }
            }
        });
    }

    /** Where the workspaces are kept. */
    public Path directory() {
        return settings.directory();
    }

    /** The tables in {@code owner}'s workspace, by name (none when they have no workspace). */
    public List<WorkspaceTable> tables(String owner) {
        Optional<Session> session = openIfExists(owner);
        if (session.isEmpty()) {
            return List.of();
        }
        try (Session s = session.get(); Connection c = s.connection()) {
            Map<String, String> comments = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT table_name, comment FROM duckdb_tables() "
                    + "WHERE database_name = ? AND schema_name = 'main' ORDER BY table_name")) {
                ps.setString(1, WorkspaceNames.CATALOG);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        comments.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            List<WorkspaceTable> tables = new ArrayList<>();
            for (Map.Entry<String, String> t : comments.entrySet()) {
                tables.add(new WorkspaceTable(t.getKey(), count(c, t.getKey()), columns(c, t.getKey()),
                        WorkspaceTable.Source.fromComment(t.getValue())));
            }
            return tables;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the workspace tables of " + owner + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code owner} has the table {@code name} (names ignore case, as DuckDB's do). */
    public boolean hasTable(String owner, String name) {
        Optional<Session> session = openIfExists(owner);
        if (session.isEmpty()) {
            return false;
        }
        try (Session s = session.get(); Connection c = s.connection()) {
            return exists(c, name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the workspace of " + owner + ": " + e.getMessage(), e);
        }
    }

    /** Drops {@code owner}'s table {@code name}; false when there is no such table. */
    public boolean drop(String owner, String name) {
        if (!WorkspaceNames.isTableName(name)) {
            return false;
        }
        Optional<Session> session = openIfExists(owner);
        if (session.isEmpty()) {
            return false;
        }
        try (Session s = session.get(); Connection c = s.connection()) {
            if (!exists(c, name)) {
                return false;
            }
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE " + WorkspaceNames.table(name));
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop workspace table " + name + ": " + e.getMessage(), e);
        }
    }

    /** Whether the workspace table {@code name} exists, on a connection of that workspace. */
    public static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' AND lower(table_name) = lower(?)")) {
            ps.setString(1, WorkspaceNames.CATALOG);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /**
     * The columns and row count of the workspace table {@code name}, on a connection of that
     * workspace; where it came from is noted in it (see {@link #markSource}).
     */
    public static WorkspaceTable describe(Connection c, String name) throws SQLException {
        return new WorkspaceTable(name, count(c, name), columns(c, name), Optional.empty());
    }

    /** Notes in the table's comment where it came from (a task or query id: no quoting needed, checked anyway). */
    public static void markSource(Connection c, String name, WorkspaceTable.Source source) throws SQLException {
        execute(c, "COMMENT ON TABLE " + WorkspaceNames.table(name) + " IS " + DuckDbSql.string(source.comment()));
    }

    private static List<Column> columns(Connection c, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT column_name, data_type FROM duckdb_columns()
                WHERE database_name = ? AND schema_name = 'main' AND table_name = ? ORDER BY column_index""")) {
            ps.setString(1, WorkspaceNames.CATALOG);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2).toLowerCase(java.util.Locale.ROOT)));
                }
            }
        }
        return columns;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + WorkspaceNames.table(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private synchronized Session sessionIn(Path folder) {
        if (closed) {
            throw new IllegalStateException("workspaces are closed");
        }
        Instance instance = open.get(folder);
        if (instance == null) {
            instance = openInstance(folder);
            open.put(folder, instance);
            closeIdleBeyondLimit();
        }
        instance.users++;
        return new Session(this, instance);
    }

    private synchronized void release(Instance instance) {
        instance.users--;
        closeIdleBeyondLimit();
    }

    private void closeIdleBeyondLimit() {
        var it = open.entrySet().iterator();
        while (open.size() > settings.maxOpen() && it.hasNext()) {
            Instance i = it.next().getValue();
            if (i.users == 0) {
                it.remove();
                i.close();
            }
        }
    }

    private Instance openInstance(Path folder) {
        try {
            Files.createDirectories(folder.resolve("scratch"));
            Files.createDirectories(folder.resolve("tmp"));
            Properties p = new Properties();
            p.setProperty("threads", Integer.toString(settings.threads()));
            p.setProperty("memory_limit", settings.memoryLimit());
            p.setProperty("autoinstall_known_extensions", "false");
            p.setProperty("autoload_known_extensions", "false");
            p.setProperty("jdbc_stream_results", "true");
            p.setProperty("async_threads", "0"); // see DuckDbEngine: an interrupted COPY may otherwise hang
            p.setProperty("temp_directory", folder.resolve("tmp").toString());
            DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + folder.resolve(FILE), p);
            try {
                prepare(root, folder);
            } catch (SQLException | RuntimeException e) {
                root.close();
                throw e;
            }
            LOG.debug("workspace {} opened", folder.getFileName());
            return new Instance(folder, root);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open workspace " + folder.getFileName() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void prepare(DuckDBConnection root, Path folder) throws SQLException {
        List<Path> readable = new ArrayList<>();
        readable.add(folder.resolve("scratch"));
        if (settings.main().isPresent()) {
            WorkspaceSettings.MainDatabase main = settings.main().get();
            execute(root, "ATTACH " + DuckDbSql.path(main.file()) + " AS "
                    + DuckDbSql.identifier(main.catalog()) + " (READ_ONLY)");
            readable.addAll(main.readable());
        }
        String dirs = readable.stream().map(d -> DuckDbSql.string(d.toAbsolutePath().normalize() + "/"))
                .collect(Collectors.joining(", ", "[", "]"));
        execute(root, "SET allowed_directories = " + dirs);
        execute(root, "SET enable_external_access = false");
        execute(root, "SET allow_persistent_secrets = false");
        execute(root, "SET lock_configuration = true");
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The owner's folder: a hash of their identity, so no identity can name a path. */
    Path folder(String owner) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(owner.getBytes(StandardCharsets.UTF_8));
            return settings.directory().resolve(HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(Instance::close);
        open.clear();
    }

    /** One open workspace database. */
    private static final class Instance {
        final Path folder;
        final DuckDBConnection root;
        int users;

        Instance(Path folder, DuckDBConnection root) {
            this.folder = folder;
            this.root = root;
        }

        void close() {
            try {
                root.close();
            } catch (SQLException e) {
                LOG.warn("closing workspace {} failed: {}", folder.getFileName(), e.getMessage());
            }
        }
    }

    /**
     * A use of one workspace: new connections into it (each starts in the main database's catalog
     * when there is one, else in the workspace) and its scratch folder. Close it when done.
     */
    public static final class Session implements AutoCloseable {
        private final Workspaces workspaces;
        private final Instance instance;
        private boolean closed;

        private Session(Workspaces workspaces, Instance instance) {
            this.workspaces = workspaces;
            this.instance = instance;
        }

        public Connection connection() throws SQLException {
            Connection c = instance.root.duplicate();
            Optional<WorkspaceSettings.MainDatabase> main = workspaces.settings.main();
            if (main.isPresent()) {
                try {
                    execute(c, "USE " + DuckDbSql.identifier(main.get().catalog()));
                } catch (SQLException e) {
                    c.close();
                    throw e;
                }
            }
            return c;
        }

        /** A folder for this workspace's temporary files (imports), readable by its SQL. */
        public Path scratch() {
            return instance.folder.resolve("scratch");
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                workspaces.release(instance);
            }
        }
    }
}
