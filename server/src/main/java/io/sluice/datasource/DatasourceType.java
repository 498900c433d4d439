package io.sluice.datasource;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The kinds of external database a datasource can name. */
public enum DatasourceType {
    MYSQL(3306),
    POSTGRESQL(5432),
    SQLITE(0);

    private final int defaultPort;

    DatasourceType(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** The name clients use: {@code mysql}, {@code postgresql}, {@code sqlite}. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Whether it is reached over the network (host, port, user, password) rather than as a file. */
    public boolean networked() {
        return this != SQLITE;
    }

    public static Optional<DatasourceType> fromApiName(String name) {
        return Arrays.stream(values()).filter(t -> t.apiName().equals(name)).findFirst();
    }

    public static List<String> apiNames() {
        return Arrays.stream(values()).map(DatasourceType::apiName).toList();
    }
}
