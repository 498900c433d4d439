package io.sluice.store;

import java.util.Locale;
import java.util.Map;

/**
 * The metadata databases Sluice runs on, recognised from the JDBC url. One migration set serves
 * all of them; the few type differences are Flyway placeholders ({@link #placeholders()}):
 *
 * <ul>
 *   <li>{@code ${long_text}} — text up to megabytes: {@code CLOB} on H2, {@code TEXT} on PostgreSQL,
 *       {@code MEDIUMTEXT} on MySQL/MariaDB (MySQL {@code TEXT} stops at 64 KB; queries may be 256 KB).</li>
 *   <li>{@code ${table_options}} — appended to every {@code CREATE TABLE}: on MySQL/MariaDB it pins
 *       InnoDB, {@code utf8mb4} (whatever the server's default charset) and a binary collation, so
 *       comparisons are exact and case-sensitive as on H2 and PostgreSQL; empty elsewhere.</li>
 * </ul>
 */
public enum StoreDialect {
    H2("CLOB", ""),
    POSTGRESQL("TEXT", ""),
    /** MySQL and MariaDB, both through the MariaDB driver. */
    MYSQL("MEDIUMTEXT", " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");

    private final String longText;
    private final String tableOptions;

    StoreDialect(String longText, String tableOptions) {
        this.longText = longText;
        this.tableOptions = tableOptions;
    }

    /** The dialect of a JDBC url: {@code jdbc:h2:}, {@code jdbc:postgresql:}, {@code jdbc:mysql:} or {@code jdbc:mariadb:}. */
    public static StoreDialect fromUrl(String url) {
        if (url == null) {
            throw new IllegalArgumentException("store url is missing");
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (lower.startsWith("jdbc:mysql:") || lower.startsWith("jdbc:mariadb:")) {
            return MYSQL;
        }
        throw new IllegalArgumentException("unsupported store url (use jdbc:h2:, jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb:): "
                + redact(url));
    }

    /**
     * The url handed to the driver.
     *
     * <ul>
     *   <li>MySQL: {@code jdbc:mysql:} becomes {@code jdbc:mariadb:}. Only the MariaDB driver is on the
     *       classpath, and it accepts the {@code mysql} scheme only with {@code permitMysqlScheme}; it talks
     *       to MySQL servers as well.</li>
     *   <li>H2 in memory: {@code DB_CLOSE_DELAY=-1} is added unless given, so the database does not vanish
     *       when the pool briefly holds no connection; {@link Database#close()} shuts it down.</li>
     *   <li>H2 on disk: {@code WRITE_DELAY=0} is added unless given. H2's default (500 ms) keeps a
     *       committed transaction in memory for up to half a second, so a killed process loses changes
     *       that were already acknowledged to clients; with 0 every commit reaches the file before the
     *       statement returns.</li>
     * </ul>
     * Everything else is passed through unchanged.
     */
    public String driverUrl(String url) {
        return switch (this) {
            case MYSQL -> url.regionMatches(true, 0, "jdbc:mysql:", 0, 11) ? "jdbc:mariadb:" + url.substring(11) : url;
            case H2 -> isH2InMemory(url)
                    ? withSetting(url, "DB_CLOSE_DELAY", "-1")
                    : withSetting(url, "WRITE_DELAY", "0");
            case POSTGRESQL -> url;
        };
    }

    /** Flyway placeholders for the migrations in {@code db/migration}. */
    public Map<String, String> placeholders() {
        return Map.of("long_text", longText, "table_options", tableOptions);
    }

    /** {@code url;NAME=value} unless the url already sets NAME (H2 settings are case-insensitive). */
    private static String withSetting(String url, String name, String value) {
        return url.toUpperCase(Locale.ROOT).contains(";" + name + "=") ? url : url + ";" + name + "=" + value;
    }

    static boolean isH2InMemory(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:mem:");
    }

    /** The url without anything that may be a secret (query string and H2 settings), for messages. */
    static String redact(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', ';'}) {
            int at = url.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return cut < url.length() ? url.substring(0, cut) + "…" : url;
    }
}
