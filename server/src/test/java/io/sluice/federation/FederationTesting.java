package io.sluice.federation;

import io.sluice.engine.Cancellation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/** Small helpers shared by the federation tests. */
final class FederationTesting {

    private FederationTesting() {
    }

    /** A cancel switch as the query service's: the registered interrupt runs on cancel. */
    static final class Switch implements Cancellation {
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicReference<Runnable> interrupt = new AtomicReference<>();

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }

        @Override
        public void onCancel(Runnable action) {
            interrupt.set(action);
            if (cancelled.get()) {
                action.run();
            }
        }

        void cancel() {
            cancelled.set(true);
            Runnable r = interrupt.get();
            if (r != null) {
                r.run();
            }
        }
    }

    /** The names of the databases attached on {@code duck}, sorted. */
    static List<String> databases(Connection duck) throws SQLException {
        return column(duck, "SELECT database_name FROM duckdb_databases() ORDER BY 1");
    }

    /** Every row of {@code sql}'s result, each as its columns' text joined by {@code |} (NULL as {@code null}). */
    static List<String> rows(Connection duck, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    static List<String> column(Connection duck, String sql) throws SQLException {
        return rows(duck, sql);
    }

    /** The files in {@code dir} (none when it does not exist). */
    static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
