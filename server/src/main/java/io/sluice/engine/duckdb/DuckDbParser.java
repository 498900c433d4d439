package io.sluice.engine.duckdb;

import org.duckdb.DuckDBConnection;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * An in-memory DuckDB connection used only to parse SQL ({@code json_serialize_sql}): one thread,
 * 64 MB, no extensions, no access to files or the network, its configuration locked.
 */
public final class DuckDbParser {

    private DuckDbParser() {
    }

    public static DuckDBConnection open() {
        try {
            Properties p = new Properties();
            p.setProperty("autoinstall_known_extensions", "false");
            p.setProperty("autoload_known_extensions", "false");
            p.setProperty("threads", "1");
            p.setProperty("memory_limit", "64MB");
            DuckDBConnection parser = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", p);
            try (Statement s = parser.createStatement()) {
                s.execute("SET enable_external_access = false");
            }
            try (Statement s = parser.createStatement()) {
                s.execute("SET lock_configuration = true");
            }
            return parser;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open DuckDB's parser: " + e.getMessage(), e);
        }
    }
}
