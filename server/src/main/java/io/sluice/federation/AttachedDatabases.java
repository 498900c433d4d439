package io.sluice.federation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one attach put on one DuckDB connection: the aliases it attached (in order) and the import
 * files it created. {@link #close()} DETACHes them on that same connection, last first, and deletes
 * the files (with DuckDB's {@code .wal} beside each); it is also the rollback of a failed attach.
 */
final class AttachedDatabases implements Attachment {

    private static final Logger LOG = LoggerFactory.getLogger(AttachedDatabases.class);

    private record Entry(String alias, String mode) {
    }

    private final Connection duck;
    private final List<Entry> attached = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final AtomicLong importedRows = new AtomicLong();
    private final Map<String, String> importMethods = new LinkedHashMap<>();
    private boolean closed;

    AttachedDatabases(Connection duck) {
        this.duck = duck;
    }

    /** {@code file} is (or is about to be) an import file: deleted on close whatever happens. */
    synchronized void importFile(Path file) {
        files.add(file);
    }

    /** {@code alias} is attached on the connection now. */
    synchronized void attached(String alias, String mode) {
        attached.add(new Entry(alias, mode));
    }

    void addImportedRows(long rows) {
        importedRows.addAndGet(rows);
    }

    /** {@code table} ({@code alias.schema.table} as DuckDB has it) was imported by {@code method} ({@code copy}, {@code jdbc}). */
    synchronized void importedBy(String table, String method) {
        importMethods.put(table, method);
    }

    /** {@code alias.schema.table} -> how it was imported ({@code copy} or {@code jdbc}), in order (for tests and diagnostics). */
    synchronized Map<String, String> importMethods() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(importMethods));
    }

    @Override
    public synchronized List<String> aliases() {
        return attached.stream().map(Entry::alias).toList();
    }

    @Override
    public synchronized Map<String, String> modes() {
        Map<String, String> modes = new LinkedHashMap<>();
        attached.forEach(e -> modes.put(e.alias(), e.mode()));
        return Collections.unmodifiableMap(modes);
    }

    @Override
    public long importedRows() {
        return importedRows.get();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = attached.size() - 1; i >= 0; i--) {
            detach(attached.get(i).alias());
        }
        for (Path file : files) {
            delete(file);
            delete(file.resolveSibling(file.getFileName() + ".wal"));
        }
    }

    private void detach(String alias) {
        try (Statement s = duck.createStatement()) {
            s.execute("DETACH DATABASE IF EXISTS " + SqlQuoting.duckIdentifier(alias));
        } catch (SQLException | RuntimeException e) {
            LOG.warn("federation: could not detach {}: {}", alias, e.getMessage());
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("federation: could not delete the import file {}: {}", file, e.getMessage());
        }
    }

    /** The import files still to be deleted (for tests and diagnostics). */
    synchronized List<Path> files() {
        return List.copyOf(files);
    }
}
