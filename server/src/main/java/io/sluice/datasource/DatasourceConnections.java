package io.sluice.datasource;

import io.sluice.api.MessageCode;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Opens JDBC connections to a datasource's database, the one way every part of Sluice does it (the
 * connection test, the import path of federated queries): within the configured connect timeout,
 * the password handed to the driver only, in its properties, never in a url. SQLite files are
 * opened read-only and only inside the allowed directories ({@link SqlitePaths}, resolved again at
 * every open: a link may have changed since the datasource was saved).
 *
 * <p>A failure is classified as the API reports it ({@link #classify}): {@code AUTH_FAILED} (the
 * database refused the user or password), {@code CONNECTION_TIMEOUT} (nothing answered at the host
 * and port in time, or the host is unknown), {@code ATTACH_FAILED} (anything else: a missing
 * database, a missing SQLite file). {@link #reason} gives the database's own message with the
 * password removed should the message echo it.
 */
public final class DatasourceConnections {

    private final Duration connectTimeout;
    private final SqlitePaths sqlitePaths;

    public DatasourceConnections(Duration connectTimeout, SqlitePaths sqlitePaths) {
        this.connectTimeout = connectTimeout;
        this.sqlitePaths = sqlitePaths;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * A new connection to {@code datasource} with its opened {@code password} (null when it has
     * none). The socket timeout is not set: a long read (an import streaming a large table) must not
     * be cut; callers that want one set {@code Statement.setQueryTimeout}.
     *
     * @throws SQLException        the driver's failure, to be {@linkplain #classify classified}
     * @throws DatasourceException {@code ATTACH_FAILED} for a missing SQLite file,
     *                             {@code PATH_NOT_ALLOWED} for one outside the allowed directories
     */
    public Connection open(Datasource datasource, String password) throws SQLException {
        return open(datasource, password, false);
    }

    /**
     * As {@link #open(Datasource, String)}, but every read on the connection also gives up after the
     * connect timeout: for a short probe, so that a server that accepts and never answers does not
     * hold the caller.
     */
    public Connection openForProbe(Datasource datasource, String password) throws SQLException {
        return open(datasource, password, true);
    }

    private Connection open(Datasource datasource, String password, boolean boundedReads) throws SQLException {
        DatasourceParams p = datasource.params();
        Properties props = new Properties();
        long seconds = Math.max(1, connectTimeout.toSeconds());
        return switch (datasource.type()) {
            case POSTGRESQL -> {
                props.setProperty("user", p.user());
                if (password != null) {
                    props.setProperty("password", password);
                }
                props.setProperty("connectTimeout", Long.toString(seconds));
                props.setProperty("loginTimeout", Long.toString(seconds));
                props.setProperty("ApplicationName", "sluice");
                if (boundedReads) {
                    props.setProperty("socketTimeout", Long.toString(seconds));
                }
                if (p.sslMode() != null) {
                    props.setProperty("sslmode", p.sslMode().apiName());
                }
                yield connect(new org.postgresql.Driver(), "jdbc:postgresql://" + p.host() + ":" + p.port() + "/"
                        + p.database(), props);
            }
            case MYSQL -> {
                props.setProperty("user", p.user());
                if (password != null) {
                    props.setProperty("password", password);
                }
                props.setProperty("connectTimeout", Long.toString(seconds * 1000));
                if (boundedReads) {
                    props.setProperty("socketTimeout", Long.toString(seconds * 1000));
                }
                if (p.sslMode() != null) {
                    props.setProperty("sslMode", switch (p.sslMode()) {
                        case DISABLE, PREFER -> "disable";
                        case REQUIRE -> "trust";
                        case VERIFY_CA -> "verify-ca";
                        case VERIFY_FULL -> "verify-full";
                    });
                }
                yield connect(new org.mariadb.jdbc.Driver(), "jdbc:mariadb://" + p.host() + ":" + p.port() + "/"
                        + p.database(), props);
            }
            case SQLITE -> {
                Path file = sqlitePaths.resolve(p.path());
                if (!Files.isRegularFile(file)) {
                    throw new DatasourceException(MessageCode.ATTACH_FAILED,
                            Map.of("reason", "the SQLite file does not exist: " + p.path()));
                }
                org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
                config.setReadOnly(true);
                config.setOpenMode(org.sqlite.SQLiteOpenMode.READONLY);
                config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
                yield connect(new org.sqlite.JDBC(), "jdbc:sqlite:" + file, config.toProperties());
            }
        };
    }

    private static Connection connect(Driver driver, String url, Properties props) throws SQLException {
        Connection c = driver.connect(url, props);
        if (c == null) {
            throw new SQLException("the driver did not accept the connection url", "08001");
        }
        return c;
    }

    /** Which of the API's failures {@code e}, raised while connecting to a {@code type} database, is. */
    public static MessageCode classify(SQLException e, DatasourceType type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                if (state.equals("28P01") || state.equals("28000")
                        || type == DatasourceType.MYSQL && sql.getErrorCode() == 1045) {
                    return MessageCode.AUTH_FAILED;
                }
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SocketTimeoutException
                    || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t instanceof java.sql.SQLTimeoutException) {
                return MessageCode.CONNECTION_TIMEOUT;
            }
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (type.networked() && (state.equals("08001") || state.equals("08000") || state.equals("08S01"))
                && e.getErrorCode() == 0) {
            return MessageCode.CONNECTION_TIMEOUT; // the driver could not reach the server at all
        }
        return MessageCode.ATTACH_FAILED;
    }

    /** The database's own message of {@code e}, without {@code password}, at most 2000 characters. */
    public static String reason(Exception e, String password) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return scrub(text, password);
    }

    /** {@code text} with every occurrence of {@code password} replaced, at most 2000 characters. */
    public static String scrub(String text, String password) {
        if (password != null && !password.isEmpty()) {
            text = text.replace(password, "***");
        }
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }

    /**
     * The details of a failed connection: {@code reason} (scrubbed) and, when the driver gave them,
     * {@code sqlState} and {@code vendorCode}.
     */
    public static Map<String, Object> failureDetails(Exception e, String password) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason(e, password));
        if (e instanceof SQLException sql) {
            if (sql.getSQLState() != null) {
                details.put("sqlState", sql.getSQLState());
            }
            if (sql.getErrorCode() != 0) {
                details.put("vendorCode", sql.getErrorCode());
            }
        }
        return details;
    }
}
