package io.sluice.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The metadata database: a connection pool, the schema brought up to date by Flyway, and a
 * {@link Jdbi} over both. {@link #open} migrates before it returns, so nothing else ever sees an
 * old schema. H2 ({@code jdbc:h2:}), PostgreSQL ({@code jdbc:postgresql:}) and MySQL/MariaDB
 * ({@code jdbc:mysql:} or {@code jdbc:mariadb:}); see {@link StoreDialect} for what differs.
 *
 * <p>Timestamps are stored as BIGINT epoch milliseconds, so no database's time zone handling is
 * involved. Migrations live in {@code db/migration} and may use {@code ${long_text}} and
 * {@code ${table_options}}.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final String MIGRATIONS = "classpath:db/migration";
    static final int CONNECTION_TIMEOUT_MILLIS = 5_000;

    private final StoreDialect dialect;
    private final String driverUrl;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final int migrationsAppliedAtOpen;
    private final StoreHealth health;
    private final StoreWrites writes;

    private Database(StoreDialect dialect, String driverUrl, HikariDataSource pool, StoreHealth health) {
        this.dialect = dialect;
        this.driverUrl = driverUrl;
        this.pool = pool;
        this.migrationsAppliedAtOpen = migrate();
        this.jdbi = Jdbi.create(pool);
        this.health = health;
        this.writes = dialect == StoreDialect.H2 && !StoreDialect.isH2InMemory(driverUrl)
                ? StoreWrites.grouped(jdbi) : StoreWrites.concurrent(jdbi);
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @param url         JDBC url; the dialect is recognised from it
     * @param user        user, or null when the url or the database needs none
     * @param password    password, or null
     * @param maxPoolSize the pool's size, at least 1
     * @throws IllegalArgumentException for an unsupported url or pool size
     * @throws RuntimeException (Hikari's or Flyway's) when the database cannot be reached or migrated
     */
    public static Database open(String url, String user, String password, int maxPoolSize) {
        StoreDialect dialect = StoreDialect.fromUrl(url);
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("store pool size must be at least 1, was " + maxPoolSize);
        }
        String driverUrl = dialect.driverUrl(url);
        HikariConfig config = new HikariConfig();
        config.setPoolName("sluice-store");
        config.setJdbcUrl(driverUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        // A request waits at most this long for a connection; an outage is noticed sooner by
        // StoreHealth, which then answers 503 at once.
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        HikariDataSource pool = new HikariDataSource(config);
        StoreHealth health = null;
        try {
            health = StoreHealth.monitoring(driverUrl, user, password);
            Database database = new Database(dialect, driverUrl, pool, health);
            health.start();
            log.info("Store {} at {} ready; {} migration(s) applied",
                    dialect, StoreDialect.redact(driverUrl), database.migrationsAppliedAtOpen);
            return database;
        } catch (RuntimeException e) {
            if (health != null) {
                health.close();
            }
            pool.close();
            throw e;
        }
    }

    /**
     * Brings the schema up to date. {@link #open} already did; calling it again is a no-op unless
     * new migrations appeared.
     *
     * @return the number of migrations applied now
     */
    public int migrate() {
        return Flyway.configure()
                .dataSource(pool)
                .locations(MIGRATIONS)
                .placeholders(dialect.placeholders())
                .validateMigrationNaming(true)
                .failOnMissingLocations(true)
                .load()
                .migrate()
                .migrationsExecuted;
    }

    /** How many migrations {@link #open} applied: all of them on an empty database, 0 on an up-to-date one. */
    public int migrationsAppliedAtOpen() {
        return migrationsAppliedAtOpen;
    }

    public StoreDialect dialect() {
        return dialect;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * Reports the pool's connections (active, idle, pending, timeouts, acquire times) to
     * {@code tracker}. Once per database: Hikari refuses a second tracker.
     */
    public void trackPool(MetricsTrackerFactory tracker) {
        pool.setMetricsTrackerFactory(tracker);
    }

    /** Whether the store can be reached now; store calls through it fail fast while it cannot. */
    /** How writes run on this database: group commits on an H2 file (see {@link StoreWrites}). */
    public StoreWrites writes() {
        return writes;
    }

    public StoreHealth health() {
        return health;
    }

    /** Closes the pool. An in-memory H2 database is shut down too (its contents are gone). */
    @Override
    public void close() {
        if (pool.isClosed()) {
            return;
        }
        health.close();
        writes.close();
        if (dialect == StoreDialect.H2 && StoreDialect.isH2InMemory(driverUrl)) {
            boolean shutDown = false;
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
                shutDown = true;
            } catch (SQLException e) {
                // after a SHUTDOWN, handing the connection back to the pool fails: the session is gone
                if (!shutDown) {
                    log.warn("Could not shut down the in-memory H2 store: {}", e.getMessage());
                }
            }
        }
        pool.close();
    }
}
