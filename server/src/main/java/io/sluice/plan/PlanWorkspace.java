package io.sluice.plan;

import io.sluice.engine.duckdb.DuckDbSql;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One running plan's own DuckDB database, {@code <plans.directory>/<plan id>/plan.duckdb}, where
 * each step's output is the table named by the step's id, and its scratch folder for downloaded
 * files. The database is locked down once opened: no extension loading, no file access outside the
 * scratch folder, no settings changes, so a LocalQuery reads only the plan's tables. Closing it
 * removes the folder: the plan's result is kept in the result store, not here.
 */
final class PlanWorkspace implements AutoCloseable {

    private final Path folder;
    private final Path scratch;
    private final DuckDBConnection root;

    private PlanWorkspace(Path folder, Path scratch, DuckDBConnection root) {
        this.folder = folder;
        this.scratch = scratch;
        this.root = root;
    }

    static PlanWorkspace open(Path directory, String planId, String memoryLimit, int threads)
            throws IOException, SQLException {
        Path folder = directory.resolve(planId).toAbsolutePath().normalize();
        delete(folder); // a leftover of a crash
        Path scratch = Files.createDirectories(folder.resolve("scratch"));
        Properties p = new Properties();
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("threads", Integer.toString(threads));
        p.setProperty("memory_limit", memoryLimit);
        p.setProperty("async_threads", "0");
        DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection(
                "jdbc:duckdb:" + folder.resolve("plan.duckdb"), p);
        try {
            for (String sql : new String[]{
                    "SET temp_directory = " + DuckDbSql.string(folder.resolve("spill").toString()),
                    "SET allowed_directories = [" + DuckDbSql.string(scratch + "/") + "]",
                    "SET enable_external_access = false",
                    "SET allow_persistent_secrets = false",
                    "SET lock_configuration = true"}) {
                try (Statement s = root.createStatement()) {
                    s.execute(sql);
                }
            }
        } catch (SQLException e) {
            root.close();
            throw e;
        }
        return new PlanWorkspace(folder, scratch, root);
    }

    /** A new connection to the plan's database (the caller closes it). */
    Connection connection() throws SQLException {
        return root.duplicate();
    }

    Path scratch() {
        return scratch;
    }

    /** The folder's path as error texts may show it, to mask. */
    String folderText() {
        return folder.toString();
    }

    @Override
    public void close() {
        try {
            root.close();
        } catch (SQLException e) {
            // closing: nothing to keep
        }
        try {
            delete(folder);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(PlanWorkspace.class).warn("could not remove {}: {}", folder, e.getMessage());
        }
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
