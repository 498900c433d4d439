package io.sluice.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.ConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Whether the metadata store can be reached right now, so that an outage is answered at once
 * (503 {@code STORE_UNAVAILABLE}) instead of each request waiting for the pool's timeout, and
 * background writers know when to try again.
 *
 * <p>A store call that fails for a connection reason marks the store down at once. While it is
 * down, calls fail immediately with {@link StoreUnavailableException}. A probe checks the store
 * every {@link #PROBE_INTERVAL} through a pool of its own (one connection, a short timeout), so a
 * stuck main pool cannot hide a recovery, and marks it up again when a connection answers.
 */
public final class StoreHealth implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);
    static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    /** PostgreSQL's "the server is shutting down / starting up" states. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");

    private final HikariDataSource probe;
    private final ScheduledExecutorService prober;
    private volatile boolean available = true;

    private StoreHealth(HikariDataSource probe) {
        this.probe = probe;
        this.prober = probe == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-store-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /** Classifies failures but never fails fast or probes: for tools and tests that open a store directly. */
    public static StoreHealth unmonitored() {
        return new StoreHealth(null);
    }

    /** Watches the store at {@code url} with a probe connection of its own. Call {@link #start()}. */
    static StoreHealth monitoring(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sluice-store-probe");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(1_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1); // the store may be down when Sluice starts probing
        return new StoreHealth(new HikariDataSource(config));
    }

    void start() {
        if (prober != null) {
            prober.scheduleWithFixedDelay(this::probeOnce, PROBE_INTERVAL.toMillis(), PROBE_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the store answered the last time anyone asked. */
    public boolean available() {
        return available;
    }

    /**
     * Runs one store call: fails at once while the store is down, and turns a connection failure
     * into {@link StoreUnavailableException} (marking the store down).
     */
    public <T> T call(Supplier<T> work) {
        if (!available && prober != null) {
            throw new StoreUnavailableException("the store is unavailable", null);
        }
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (isConnectionFailure(e)) {
                markDown(e);
                throw new StoreUnavailableException("the store is unavailable: " + rootMessage(e), e);
            }
            throw e;
        }
    }

    /**
     * Waits until the store is available again, at most {@code timeout}.
     *
     * @return whether it is available
     */
    public boolean awaitAvailable(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!available) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (this) {
                if (!available) {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, PROBE_INTERVAL.toNanos()));
                }
            }
        }
        return true;
    }

    private void markDown(Throwable cause) {
        if (available) {
            available = false;
            LOG.warn("the store is unavailable ({}); answering 503 until it is back", rootMessage(cause));
        }
    }

    private void probeOnce() {
        try (Connection c = probe.getConnection()) {
            if (c.isValid(1)) {
                if (!available) {
                    LOG.info("the store is available again");
                }
                synchronized (this) {
                    available = true;
                    notifyAll();
                }
            } else {
                markDown(new SQLException("the probe connection is not valid"));
            }
        } catch (SQLException | RuntimeException e) {
            markDown(e);
        }
    }

    /** Whether a failure means the store could not be reached (rather than, say, a bad statement). */
    static boolean isConnectionFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof ConnectException || t instanceof SocketException || t instanceof EOFException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    @Override
    public void close() {
        if (prober != null) {
            prober.shutdownNow();
        }
        if (probe != null) {
            probe.close();
        }
    }
}
