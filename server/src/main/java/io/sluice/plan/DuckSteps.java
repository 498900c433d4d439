package io.sluice.plan;

import io.sluice.engine.duckdb.DuckDbSql;
import io.sluice.query.RunCancellation;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Statements on a plan's database that its steps share. */
final class DuckSteps {

    private DuckSteps() {
    }

    /** {@code main."<id>"}: a step's table. */
    static String table(String stepId) {
        return "main." + DuckDbSql.identifier(stepId);
    }

    /** Runs {@code sql}; the step's cancel interrupts it. */
    static void execute(Connection duck, String sql, RunCancellation cancellation) throws SQLException {
        try (Statement statement = duck.createStatement()) {
            cancellation.onCancel(() -> {
                try {
                    statement.cancel();
                } catch (SQLException e) {
                    // already finished
                }
            });
            statement.execute(sql);
        }
    }

    /** Makes the step's table from a Parquet file (or a CSV file with a header) in the scratch folder. */
    static void load(Connection duck, String stepId, Path file, boolean parquet, RunCancellation cancellation)
            throws SQLException {
        String path = DuckDbSql.path(file);
        String read = parquet ? "read_parquet(" + path + ")" : "read_csv(" + path + ", header = true)";
        execute(duck, "CREATE TABLE " + table(stepId) + " AS SELECT * FROM " + read, cancellation);
    }

    static long rows(Connection duck, String stepId) throws SQLException {
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table(stepId))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
