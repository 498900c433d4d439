package io.sluice.store;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link UsageStore} on {@code query_runs} joined with {@code queries}: the same SQL on H2,
 * PostgreSQL and MySQL/MariaDB. Sums are computed by the database (grouped rows only come back);
 * days are {@code submitted_at - MOD(submitted_at, 86400000)}, which every one of them computes
 * alike on epoch milliseconds.
 */
public final class JdbcUsageStore implements UsageStore {

    private static final long DAY_MILLIS = 86_400_000L;
    private static final String FROM = " FROM query_runs r JOIN queries q ON q.id = r.query_id"
            + " WHERE r.submitted_at >= :from AND r.submitted_at < :to";
    private static final String SUMS = """
            COUNT(*) AS runs, SUM(r.scanned_bytes) AS scanned, SUM(r.cost_usd) AS cost,
            SUM(CASE WHEN r.cached_from_query IS NOT NULL THEN 1 ELSE 0 END) AS cached,
            SUM(CASE WHEN r.result_reused = :yes THEN 1 ELSE 0 END) AS reused,
            SUM(r.saved_usd) AS saved""";

    private final Jdbi jdbi;
    private final StoreHealth health;

    public JdbcUsageStore(Database database) {
        this.jdbi = database.jdbi();
        this.health = database.health();
    }

    /** On a Jdbi of its own, without fail-fast. */
    public JdbcUsageStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.health = StoreHealth.unmonitored();
    }

    @Override
    public List<Sums> sums(Range range, Group group) {
        String key = switch (group) {
            case DAY -> "r.submitted_at - MOD(r.submitted_at, " + DAY_MILLIS + ")";
            case USER -> "q.owner";
            case ENGINE -> "q.engine";
        };
        Map<String, Object> params = params(range);
        params.put("yes", true);
        String sql = "SELECT " + key + " AS k, r.state AS state, " + SUMS + FROM + owner(range)
                + " GROUP BY " + key + ", r.state";
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(sql).bindMap(params).map((rs, ctx) -> {
            String k = group == Group.DAY
                    ? LocalDate.ofInstant(Instant.ofEpochMilli(rs.getLong("k")), ZoneOffset.UTC).toString()
                    : rs.getString("k");
            return new Sums(k, rs.getString("state"), rs.getLong("runs"), rs.getLong("scanned"),
                    rs.getDouble("cost"), rs.getLong("cached"), rs.getLong("reused"), rs.getDouble("saved"));
        }).list()));
    }

    @Override
    public List<CostlyRun> costliest(Range range, int limit) {
        Map<String, Object> params = params(range);
        params.put("limit", limit);
        String sql = "SELECT q.id, r.run, q.owner, q.engine, q.query_text, r.scanned_bytes, r.cost_usd, r.state,"
                + " r.submitted_at" + FROM + owner(range) + " AND r.cost_usd IS NOT NULL"
                + " ORDER BY r.cost_usd DESC, r.submitted_at DESC, q.id, r.run LIMIT :limit";
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(sql).bindMap(params).map((rs, ctx) -> {
            long scanned = rs.getLong("scanned_bytes");
            Long scannedBytes = rs.wasNull() ? null : scanned;
            return new CostlyRun(rs.getString("id"), rs.getInt("run"), rs.getString("owner"), rs.getString("engine"),
                    rs.getString("query_text"), scannedBytes, rs.getDouble("cost_usd"), rs.getString("state"),
                    Instant.ofEpochMilli(rs.getLong("submitted_at")));
        }).list()));
    }

    @Override
    public List<EngineSpend> spend(Instant from, Instant to, String owner) {
        String sql = "SELECT q.engine AS engine,"
                + " SUM(CASE WHEN q.owner = :owner THEN r.cost_usd ELSE 0 END) AS mine, SUM(r.cost_usd) AS total"
                + FROM + " GROUP BY q.engine";
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(sql)
                .bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli()).bind("owner", owner)
                .map((rs, ctx) -> new EngineSpend(rs.getString("engine"), rs.getDouble("mine"), rs.getDouble("total")))
                .list()));
    }

    private static Map<String, Object> params(Range range) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("from", range.from().toEpochMilli());
        params.put("to", range.to().toEpochMilli());
        if (range.owner() != null) {
            params.put("owner", range.owner());
        }
        return params;
    }

    private static String owner(Range range) {
        return range.owner() == null ? "" : " AND q.owner = :owner";
    }
}
