package io.sluice.federation;

import io.sluice.api.MessageCode;
import io.sluice.datasource.DatasourceException;
import io.sluice.datasource.DatasourceParams;
import io.sluice.datasource.DatasourceType;
import io.sluice.datasource.SqlitePaths;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The native path: DuckDB's own extension reads the external database where it is.
 * {@code LOAD postgres|mysql|sqlite} (never {@code INSTALL}: nothing is downloaded), then
 * {@code ATTACH '<connection string or file>' AS "alias" (TYPE ..., READ_ONLY)}. Connection strings
 * are {@code key='value'} pairs with {@code \} and {@code '} escaped inside each value, and the whole
 * string is a DuckDB string literal; the password is in it only, and every message that could echo
 * it is scrubbed.
 */
final class NativeAttach {

    private final SqlitePaths sqlitePaths;
    private final long connectTimeoutSeconds;

    NativeAttach(SqlitePaths sqlitePaths, long connectTimeoutSeconds) {
        this.sqlitePaths = sqlitePaths;
        this.connectTimeoutSeconds = connectTimeoutSeconds;
    }

    /** DuckDB's name of the extension that reads {@code type}. */
    static String extension(DatasourceType type) {
        return switch (type) {
            case POSTGRESQL -> "postgres";
            case MYSQL -> "mysql";
            case SQLITE -> "sqlite";
        };
    }

    /**
     * Loads the extension for {@code type} on {@code duck} if it is installed; null when it is loaded,
     * else why not. Never installs: a plain {@code LOAD} of a missing extension would try to download
     * it while {@code autoinstall_known_extensions} is on (seconds lost on a machine without access),
     * so {@code duckdb_extensions()} is asked first whether it is in the extension folder.
     */
    static String load(Connection duck, DatasourceType type, RunningStatements running) {
        String name = extension(type);
        try (PreparedStatement ps = duck.prepareStatement("SELECT loaded, installed FROM duckdb_extensions() "
                + "WHERE extension_name = ? OR list_contains(aliases, ?)")) {
            ps.setString(1, name);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "DuckDB does not know the " + name + " extension";
                }
                if (rs.getBoolean(1)) {
                    return null;
                }
                if (!rs.getBoolean(2)) {
                    return "the " + name + " extension is not installed in DuckDB's extension folder"
                            + " (Sluice never downloads extensions)";
                }
            }
            DuckStatements.execute(duck, "LOAD " + name, running);
            return null;
        } catch (SQLException e) {
            return e.getMessage() == null ? "the " + name + " extension did not load" : e.getMessage();
        }
    }

    /** Attaches {@code target} read-only under its alias. */
    void attach(Connection duck, AttachTarget target, RunningStatements running) throws FederationException {
        String source = switch (target.datasource().type()) {
            case POSTGRESQL -> postgres(target.datasource().params(), target.password());
            case MYSQL -> mysql(target.datasource().params(), target.password());
            case SQLITE -> sqliteFile(target);
        };
        String sql = "ATTACH " + SqlQuoting.duckString(source) + " AS " + SqlQuoting.duckIdentifier(target.alias())
                + " (TYPE " + extension(target.datasource().type()) + ", READ_ONLY)";
        try {
            DuckStatements.execute(duck, sql, running);
        } catch (SQLException e) {
            if (running.cancelled()) {
                throw FederationException.of(MessageCode.QUERY_CANCELLED, target.alias(), "cancelled while attaching");
            }
            String reason = scrub(e.getMessage() == null ? "ATTACH failed" : e.getMessage(), target.password());
            throw FederationException.of(classify(reason), target.alias(), reason);
        }
    }

    private String sqliteFile(AttachTarget target) throws FederationException {
        try {
            Path file = sqlitePaths.resolve(target.datasource().params().path());
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw FederationException.of(MessageCode.ATTACH_FAILED, target.alias(),
                        "the SQLite file does not exist: " + target.datasource().params().path());
            }
            return file.toString();
        } catch (DatasourceException e) {
            throw FederationException.of(MessageCode.ATTACH_FAILED, target.alias(),
                    String.valueOf(e.details().getOrDefault("reason", e.code().name())));
        }
    }

    String postgres(DatasourceParams p, String password) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("host", p.host());
        values.put("port", String.valueOf(p.port()));
        values.put("dbname", p.database());
        values.put("user", p.user());
        values.put("password", password);
        values.put("connect_timeout", Long.toString(connectTimeoutSeconds));
        values.put("sslmode", p.sslMode() == null ? null : p.sslMode().apiName());
        values.put("application_name", "sluice");
        return keyValues(values);
    }

    String mysql(DatasourceParams p, String password) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("host", p.host());
        values.put("port", String.valueOf(p.port()));
        values.put("database", p.database());
        values.put("user", p.user());
        values.put("password", password);
        values.put("ssl_mode", p.sslMode() == null ? null : switch (p.sslMode()) {
            case DISABLE -> "disabled";
            case PREFER -> "preferred";
            case REQUIRE -> "required";
            case VERIFY_CA -> "verify_ca";
            case VERIFY_FULL -> "verify_identity";
        });
        return keyValues(values);
    }

    /** {@code key='value' ...}, values escaped; null values left out. */
    static String keyValues(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> {
            if (v != null) {
                out.append(out.length() == 0 ? "" : " ").append(k).append("='")
                        .append(v.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
            }
        });
        return out.toString();
    }

    /** {@code text} without the password in any form the connection string or SQL carried it. */
    static String scrub(String text, String password) {
        if (password == null || password.isEmpty()) {
            return text;
        }
        String escaped = password.replace("\\", "\\\\").replace("'", "\\'");
        String inSql = escaped.replace("'", "''");
        for (String form : new String[]{inSql, escaped, password}) {
            text = text.replace(form, "***");
        }
        return io.sluice.datasource.DatasourceConnections.scrub(text, password);
    }

    /** The API's code for a native ATTACH failure, from the extension's message. */
    static MessageCode classify(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("password authentication failed") || m.contains("access denied")
                || m.contains("authentication failed")) {
            return MessageCode.AUTH_FAILED;
        }
        if (m.contains("connection refused") || m.contains("timeout expired") || m.contains("timed out")
                || m.contains("could not translate host name") || m.contains("can't connect to")
                || m.contains("unknown mysql server host")) {
            return MessageCode.CONNECTION_TIMEOUT;
        }
        return MessageCode.ATTACH_FAILED;
    }
}
