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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Opens a real connection to a datasource's database and runs one trivial statement, within the
 * configured connect timeout. A failure is classified as the API reports it: {@code AUTH_FAILED}
 * (the database refused the user or password), {@code CONNECTION_TIMEOUT} (nothing answered at the
 * host and port in time, or the host is unknown), {@code ATTACH_FAILED} (anything else: a missing
 * database, a missing SQLite file), with the database's own message in the details. The password
 * is handed to the driver only, in its properties, and removed from any message that would echo it.
 */
public final class ConnectionTester {

    /** What a test found. {@code code} is empty when the connection worked. */
    public record Outcome(boolean ok, MessageCode code, Map<String, Object> details, long elapsedMillis) {
    }

    private final Duration connectTimeout;
    private final SqlitePaths sqlitePaths;
    private final Clock clock;

    public ConnectionTester(Duration connectTimeout, SqlitePaths sqlitePaths, Clock clock) {
        this.connectTimeout = connectTimeout;
        this.sqlitePaths = sqlitePaths;
        this.clock = clock;
    }

    /** Tests {@code datasource} with its opened {@code password} (null when it has none). */
    public Outcome test(Datasource datasource, String password) {
        long start = clock.millis();
        try (Connection connection = open(datasource, password);
             Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, connectTimeout.toSeconds()));
            String probe = datasource.type() == DatasourceType.SQLITE ? "SELECT count(*) FROM sqlite_master" : "SELECT 1";
            try (ResultSet rs = statement.executeQuery(probe)) {
                rs.next();
            }
            return new Outcome(true, null, Map.of("type", datasource.type().apiName()), clock.millis() - start);
        } catch (SQLException e) {
            return failed(datasource, classify(e, datasource.type()), message(e, password), e, start);
        } catch (DatasourceException e) {
            Map<String, Object> details = new LinkedHashMap<>(e.details());
            details.put("type", datasource.type().apiName());
            return new Outcome(false, e.code(), details, clock.millis() - start);
        } catch (RuntimeException e) { // a driver's own failure, not an SQLException
            return failed(datasource, MessageCode.ATTACH_FAILED, message(e, password), null, start);
        }
    }

    private Outcome failed(Datasource datasource, MessageCode code, String reason, SQLException e, long start) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", datasource.type().apiName());
        details.put("reason", reason);
        if (e != null && e.getSQLState() != null) {
            details.put("sqlState", e.getSQLState());
        }
        if (e != null && e.getErrorCode() != 0) {
            details.put("vendorCode", e.getErrorCode());
        }
        return new Outcome(false, code, details, clock.millis() - start);
    }

    private Connection open(Datasource datasource, String password) throws SQLException {
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
                props.setProperty("socketTimeout", Long.toString(seconds));
                props.setProperty("ApplicationName", "sluice");
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
                props.setProperty("socketTimeout", Long.toString(seconds * 1000));
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
                Path file = sqlitePaths.resolve(p.path()); // again: a link may have changed since it was saved
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

    /** Which of the API's failures {@code e} is. */
    static MessageCode classify(SQLException e, DatasourceType type) {
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

    /** The database's own message, without the password should the message echo it. */
    private static String message(Exception e, String password) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (password != null && !password.isEmpty()) {
            text = text.replace(password, "***");
        }
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }
}
