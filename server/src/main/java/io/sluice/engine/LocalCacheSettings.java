package io.sluice.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How an engine's queries use the local result cache: a query is answered from the stored result of
 * the same normalized SQL in the same engine, catalog, database and {@code scope} that succeeded
 * within {@code ttl}.
 *
 * @param ttl    how old (by completion) a source run may be; zero turns the cache off
 * @param shared whether any user's run may answer everyone's query (else only the user's own)
 * @param scope  what else separates results besides catalog and database (Athena: the workgroup)
 */
public record LocalCacheSettings(Duration ttl, boolean shared, String scope) {

    /** No caching (engines whose queries cost nothing to run again). */
    public static final LocalCacheSettings OFF = new LocalCacheSettings(Duration.ZERO, false, "");

    public LocalCacheSettings {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(scope, "scope");
    }

    public boolean enabled() {
        return !ttl.isZero() && !ttl.isNegative();
    }
}
