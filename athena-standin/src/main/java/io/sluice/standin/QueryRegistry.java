package io.sluice.standin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every query the stand-in has accepted, by id and by client request token, and the latest
 * successful result of each (query, catalog, database) for result reuse. Queries are kept for the
 * stand-in's life, like Athena's 45-day history.
 */
final class QueryRegistry {
    private final Map<String, QueryExecution> byId = new ConcurrentHashMap<>();
    private final Map<String, QueryExecution> byToken = new ConcurrentHashMap<>();
    private final Map<List<String>, QueryExecution> latestSucceeded = new ConcurrentHashMap<>();

    Optional<QueryExecution> find(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /** Every accepted query, in no particular order. */
    java.util.Collection<QueryExecution> all() {
        return byId.values();
    }

    Optional<QueryExecution> byToken(String token) {
        return Optional.ofNullable(byToken.get(token));
    }

    /**
     * Adds a query under its token, unless the token is taken already: then the query that holds
     * it is returned and nothing is added.
     */
    Optional<QueryExecution> addUnlessTokenTaken(String token, QueryExecution query) {
        QueryExecution existing = byToken.putIfAbsent(token, query);
        if (existing != null) {
            return Optional.of(existing);
        }
        byId.put(query.id, query);
        return Optional.empty();
    }

    void succeeded(QueryExecution query) {
        if (query.statement.kind().result() == StatementKind.ResultKind.CSV) {
            latestSucceeded.put(reuseKey(query.request), query);
        }
    }

    /** A query with the same text, catalog and database that succeeded at most {@code maxAge} ago. */
    Optional<QueryExecution> reusable(QueryExecution.Request request, Duration maxAge, Instant now) {
        QueryExecution earlier = latestSucceeded.get(reuseKey(request));
        if (earlier == null || earlier.completedAt() == null
                || earlier.completedAt().plus(maxAge).isBefore(now)) {
            return Optional.empty();
        }
        return Optional.of(earlier);
    }

    private static List<String> reuseKey(QueryExecution.Request request) {
        String catalog = request.catalog() == null ? DuckDbEngine.CATALOG : request.catalog().toLowerCase(Locale.ROOT);
        String database = request.database() == null ? DuckDbEngine.DEFAULT_DATABASE : request.database();
        return List.of(request.queryString(), catalog, database.toLowerCase(Locale.ROOT));
    }
}
