package io.sluice.datasource;

import io.sluice.api.MessageCode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens a real connection to a datasource's database ({@link DatasourceConnections}) and runs one
 * trivial statement, within the configured connect timeout. A failure is classified as the API
 * reports it: {@code AUTH_FAILED}, {@code CONNECTION_TIMEOUT} or {@code ATTACH_FAILED} (see
 * {@link DatasourceConnections#classify}), with the database's own message in the details and never
 * the password.
 */
public final class ConnectionTester {

    /** What a test found. {@code code} is empty when the connection worked. */
    public record Outcome(boolean ok, MessageCode code, Map<String, Object> details, long elapsedMillis) {
    }

    private final DatasourceConnections connections;
    private final Clock clock;

    public ConnectionTester(Duration connectTimeout, SqlitePaths sqlitePaths, Clock clock) {
        this(new DatasourceConnections(connectTimeout, sqlitePaths), clock);
    }

    public ConnectionTester(DatasourceConnections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    /** Tests {@code datasource} with its opened {@code password} (null when it has none). */
    public Outcome test(Datasource datasource, String password) {
        long start = clock.millis();
        try (Connection connection = connections.openForProbe(datasource, password);
             Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, connections.connectTimeout().toSeconds()));
            String probe = datasource.type() == DatasourceType.SQLITE ? "SELECT count(*) FROM sqlite_master" : "SELECT 1";
            try (ResultSet rs = statement.executeQuery(probe)) {
                rs.next();
            }
            return new Outcome(true, null, Map.of("type", datasource.type().apiName()), clock.millis() - start);
        } catch (SQLException e) {
            return failed(datasource, DatasourceConnections.classify(e, datasource.type()), e, password, start);
        } catch (DatasourceException e) {
            Map<String, Object> details = new LinkedHashMap<>(e.details());
            details.put("type", datasource.type().apiName());
            return new Outcome(false, e.code(), details, clock.millis() - start);
        } catch (RuntimeException e) { // a driver's own failure, not an SQLException
            return failed(datasource, MessageCode.ATTACH_FAILED, e, password, start);
        }
    }

    private Outcome failed(Datasource datasource, MessageCode code, Exception e, String password, long start) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", datasource.type().apiName());
        details.putAll(DatasourceConnections.failureDetails(e, password));
        return new Outcome(false, code, details, clock.millis() - start);
    }
}
