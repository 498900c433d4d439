package io.sluice.federation;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Runs one DDL statement on the caller's DuckDB connection, interruptible by a cancel. */
final class DuckStatements {

    private DuckStatements() {
    }

    static void execute(Connection duck, String sql, RunningStatements running) throws SQLException {
        try (Statement s = duck.createStatement()) {
            running.started(s);
            try {
                s.execute(sql);
            } finally {
                running.finished(s);
            }
        }
    }
}
