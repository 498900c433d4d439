package io.sluice.datasource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a datasource's database is, without its password (which is kept sealed, apart): host,
 * port, database, user and TLS mode for MySQL and PostgreSQL; the file's path for SQLite. Fields a
 * type does not use are null.
 */
public record DatasourceParams(String host, Integer port, String database, String user, SslMode sslMode,
                               String path) {

    /** TLS to the database, in PostgreSQL's terms (MariaDB's driver gets the nearest mode). */
    public enum SslMode {
        DISABLE, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        public static java.util.Optional<SslMode> fromApiName(String name) {
            return java.util.Arrays.stream(values()).filter(m -> m.apiName().equals(name)).findFirst();
        }
    }

    public static DatasourceParams network(String host, int port, String database, String user, SslMode sslMode) {
        return new DatasourceParams(host, port, database, user, sslMode, null);
    }

    public static DatasourceParams file(String path) {
        return new DatasourceParams(null, null, null, null, null, path);
    }

    /** As the API and the store show them: only the fields that are set. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (host != null) {
            map.put("host", host);
        }
        if (port != null) {
            map.put("port", port);
        }
        if (database != null) {
            map.put("database", database);
        }
        if (user != null) {
            map.put("user", user);
        }
        if (sslMode != null) {
            map.put("sslMode", sslMode.apiName());
        }
        if (path != null) {
            map.put("path", path);
        }
        return map;
    }
}
