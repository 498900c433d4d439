package io.sluice.lint;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The linter over a table of queries, with table metadata from a small fake catalog: database
 * {@code analytics} holds {@code events} (partitioned by event_type, dt), {@code logs}
 * (partitioned by dt), {@code users} and {@code wide} (60 columns, not partitioned); database
 * {@code other} holds {@code clicks} (partitioned by day). Findings are written
 * {@code P table} (no partition filter), {@code W table n} (SELECT * on a wide table), {@code L}
 * (no LIMIT), {@code U} (unparseable).
 */
class QueryLinterTest {

    static final Map<String, TableShape> TABLES = Map.of(
            "analytics.events", new TableShape("analytics.events",
                    List.of("event_id", "user_id", "payload", "created", "event_type", "dt"), List.of("event_type", "dt")),
            "analytics.logs", new TableShape("analytics.logs", List.of("id", "msg", "dt"), List.of("dt")),
            "analytics.users", new TableShape("analytics.users", List.of("id", "name", "signup_dt"), List.of()),
            "analytics.wide", new TableShape("analytics.wide",
                    IntStream.range(0, 60).mapToObj(i -> "c" + i).toList(), List.of()),
            "other.clicks", new TableShape("other.clicks", List.of("id", "url", "day"), List.of("day")));

    /** Resolves 1..3 name parts in catalog AwsDataCatalog, database analytics, case-insensitively. */
    static final TableLookup LOOKUP = parts -> {
        List<String> lower = parts.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
        String key = switch (lower.size()) {
            case 1 -> "analytics." + lower.get(0);
            case 2 -> lower.get(0) + "." + lower.get(1);
            case 3 -> lower.get(0).equals("awsdatacatalog") ? lower.get(1) + "." + lower.get(2) : "";
            default -> "";
        };
        return Optional.ofNullable(TABLES.get(key));
    };

    static final QueryLinter LINTER = new QueryLinter(null, 50);

    @AfterAll
    static void close() {
        LINTER.close();
    }

    static List<String> lint(String sql) {
        return LINTER.lint(sql, LOOKUP).stream().map(QueryLinterTest::brief).toList();
    }

    static String brief(LintFinding f) {
        String values = f.params().values().stream().map(String::valueOf).collect(Collectors.joining(" "));
        String code = switch (f.code()) {
            case LintFinding.NO_PARTITION_FILTER -> "P";
            case LintFinding.SELECT_STAR_WIDE -> "W";
            case LintFinding.NO_LIMIT -> "L";
            case LintFinding.UNPARSEABLE -> "U";
            default -> f.code();
        };
        return values.isEmpty() ? code : code + " " + values;
    }

    static final String P_EVENTS = "P analytics.events [event_type, dt]";
    static final String P_LOGS = "P analytics.logs [dt]";

    static Stream<Arguments> queries() {
        return Stream.of(
                // plain filters
                q("SELECT * FROM events", P_EVENTS, "L"),
                q("SELECT * FROM events WHERE dt = '2024-10-01' LIMIT 10"),
                q("SELECT * FROM events WHERE event_type = 'Login' LIMIT 10"),
                q("SELECT * FROM events WHERE event_id = 5 LIMIT 10", P_EVENTS),
                q("select * from EVENTS where DT = '2024-10-01' limit 10"),
                q("SELECT * FROM \"analytics\".\"events\" WHERE \"dt\" >= '2024-10-01' LIMIT 5"),
                q("SELECT * FROM AwsDataCatalog.analytics.events WHERE dt < '2024-10-01' LIMIT 5"),
                q("SELECT * FROM analytics.events e WHERE e.dt BETWEEN '2024-10-01' AND '2024-10-07' LIMIT 5"),
                q("SELECT * FROM events WHERE dt IN ('2024-10-01', '2024-10-02') LIMIT 5"),
                q("SELECT * FROM events WHERE dt NOT IN ('2024-10-01') LIMIT 5", P_EVENTS),
                q("SELECT * FROM events WHERE dt NOT BETWEEN 'a' AND 'b' LIMIT 5", P_EVENTS),
                q("SELECT * FROM events WHERE dt LIKE '2024-10-%' LIMIT 5"),
                q("SELECT * FROM events WHERE dt IN (SELECT max(dt) FROM logs WHERE dt > '2024') LIMIT 5"),
                q("SELECT * FROM events WHERE dt = (SELECT max(dt) FROM logs) LIMIT 5", P_LOGS),
                q("SELECT * FROM events WHERE dt = ? LIMIT 5"),
                // casts
                q("SELECT * FROM events WHERE CAST(dt AS date) = DATE '2024-10-01' LIMIT 5"),
                q("SELECT * FROM events WHERE TRY_CAST(dt AS date) > current_date - INTERVAL '7' DAY LIMIT 5"),
                q("SELECT * FROM events WHERE date(dt) >= date_add('day', -7, current_date) LIMIT 5"),
                q("SELECT * FROM events WHERE CAST(CAST(dt AS date) AS varchar) = '2024-10-01' LIMIT 5"),
                q("SELECT * FROM events WHERE length(dt) = 10 LIMIT 5", P_EVENTS),
                // OR, NOT, comparisons that do not limit
                q("SELECT * FROM events WHERE dt = 'a' OR dt = 'b' LIMIT 5"),
                q("SELECT * FROM events WHERE dt = 'a' OR event_id = 3 LIMIT 5", P_EVENTS),
                q("SELECT * FROM events WHERE dt = 'a' OR event_type = 'Login' LIMIT 5", P_EVENTS),
                q("SELECT * FROM events WHERE (dt = 'a' AND event_id = 1) OR (dt IN ('b') AND event_id = 2) LIMIT 5"),
                q("SELECT * FROM events WHERE (dt = 'a' OR dt = 'b') AND event_id = 1 LIMIT 5"),
                q("SELECT * FROM events WHERE NOT dt = 'a' LIMIT 5", P_EVENTS),
                q("SELECT * FROM events WHERE dt <> 'a' LIMIT 5", P_EVENTS),
                q("SELECT * FROM events WHERE dt IS NOT NULL LIMIT 5", P_EVENTS),
                // a partition key compared to another column of the same table
                q("SELECT * FROM events WHERE dt = substr(payload, 1, 10) LIMIT 5", P_EVENTS),
                q("SELECT * FROM events WHERE dt > event_type LIMIT 5", P_EVENTS),
                q("SELECT * FROM events e WHERE CAST(e.dt AS date) = CAST(e.created AS date) LIMIT 5", P_EVENTS),
                // joins
                q("SELECT e.event_id, u.name FROM events e JOIN users u ON u.id = e.user_id AND e.dt = '2024-10-01' LIMIT 5"),
                q("SELECT e.event_id, u.name FROM users u JOIN events e ON u.id = e.user_id WHERE u.name = 'x' LIMIT 5", P_EVENTS),
                q("SELECT e.event_id FROM events e LEFT JOIN users u ON u.id = e.user_id AND e.dt = 'x' LIMIT 5", P_EVENTS),
                q("SELECT e.event_id FROM users u LEFT JOIN events e ON u.id = e.user_id AND e.dt = 'x' LIMIT 5"),
                q("SELECT e.event_id FROM events e FULL JOIN users u ON u.id = e.user_id AND e.dt = 'x' LIMIT 5", P_EVENTS),
                q("SELECT l.msg FROM events e JOIN logs l ON e.dt = l.dt WHERE l.dt = '2024-10-01' LIMIT 5"),
                q("SELECT l.msg FROM events e JOIN logs l ON e.dt = l.dt LIMIT 5", P_EVENTS, P_LOGS),
                q("SELECT l.msg FROM events e JOIN logs l USING (dt) WHERE e.dt = '2024-10-01' LIMIT 5"),
                q("SELECT l.msg FROM events e, logs l WHERE e.dt = l.dt AND e.dt = 'x' AND e.event_id = l.id LIMIT 5"),
                q("SELECT c.url FROM other.clicks c JOIN events e ON c.id = e.event_id WHERE e.dt = 'x' LIMIT 5",
                        "P other.clicks [day]"),
                q("SELECT c.url FROM OTHER.CLICKS AS C WHERE C.DAY = DATE '2024-01-01' LIMIT 5"),
                // subqueries
                q("SELECT * FROM (SELECT * FROM events WHERE dt = 'x') t LIMIT 5"),
                q("SELECT * FROM (SELECT * FROM events) t WHERE t.dt = 'x' LIMIT 5"),
                q("SELECT * FROM (SELECT event_id, dt AS day FROM events) t WHERE day = 'x' LIMIT 5"),
                q("SELECT * FROM (SELECT event_id, dt AS day FROM events) t WHERE event_id = 1 LIMIT 5", P_EVENTS),
                q("SELECT count(*) FROM users WHERE id IN (SELECT user_id FROM events)", P_EVENTS),
                q("SELECT count(*) FROM users u WHERE EXISTS (SELECT 1 FROM events e WHERE e.user_id = u.id AND e.dt = 'x')"),
                q("SELECT name, (SELECT count(*) FROM logs) AS n FROM users LIMIT 5", P_LOGS),
                // CTEs
                q("WITH recent AS (SELECT * FROM events WHERE dt > '2024-10-01') SELECT * FROM recent LIMIT 5"),
                q("WITH e AS (SELECT * FROM events) SELECT * FROM e WHERE dt = 'x' LIMIT 5"),
                q("WITH e AS (SELECT * FROM events) SELECT * FROM e LIMIT 5", P_EVENTS),
                q("WITH e AS (SELECT * FROM events) SELECT a.event_id FROM e a JOIN e b ON a.event_id = b.event_id "
                        + "WHERE a.dt = 'x' LIMIT 5", P_EVENTS),
                q("WITH e AS (SELECT * FROM events), f AS (SELECT * FROM e WHERE event_type = 'Login') "
                        + "SELECT * FROM f LIMIT 5"),
                q("WITH events AS (SELECT 1 AS dt) SELECT * FROM events", "L"),
                // UNION
                q("SELECT event_id FROM events WHERE dt = 'x' UNION ALL SELECT id FROM logs WHERE dt = 'y' LIMIT 5"),
                q("SELECT event_id FROM events WHERE dt = 'x' UNION SELECT id FROM logs LIMIT 5", P_LOGS),
                q("SELECT * FROM (SELECT event_id, dt FROM events UNION ALL SELECT id, dt FROM logs) u "
                        + "WHERE dt = 'x' LIMIT 5"),
                q("SELECT event_id, dt FROM events WHERE dt = 'x' UNION ALL SELECT id, dt FROM logs", P_LOGS, "L"),
                // SELECT * on a wide table
                q("SELECT * FROM wide", "W analytics.wide 60", "L"),
                q("SELECT * FROM wide LIMIT 10", "W analytics.wide 60"),
                q("SELECT w.* FROM wide w JOIN users u ON u.id = w.c1 LIMIT 10", "W analytics.wide 60"),
                q("SELECT u.* FROM wide w JOIN users u ON u.id = w.c1 LIMIT 10"),
                q("SELECT c1, c2 FROM wide LIMIT 10"),
                q("SELECT c1 FROM (SELECT * FROM wide) t LIMIT 10"),
                q("SELECT * FROM (SELECT * FROM wide) t LIMIT 10", "W analytics.wide 60"),
                q("WITH w AS (SELECT * FROM wide) SELECT * FROM w LIMIT 10", "W analytics.wide 60"),
                q("SELECT count(*) FROM users WHERE EXISTS (SELECT * FROM wide)"),
                q("CREATE TABLE copy AS SELECT * FROM wide", "W analytics.wide 60"),
                // LIMIT
                q("SELECT count(*) FROM events WHERE dt = 'x'"),
                q("SELECT count(*), max(event_id) FROM events WHERE dt = 'x'"),
                q("SELECT event_type, count(*) FROM events WHERE dt = 'x' GROUP BY event_type", "L"),
                q("SELECT name FROM users", "L"),
                q("SELECT name FROM users ORDER BY name FETCH FIRST 10 ROWS ONLY"),
                q("SELECT name FROM users LIMIT ALL", "L"),
                q("SELECT name FROM users OFFSET 5 LIMIT 5"),
                q("SELECT 1"),
                q("SELECT now(), current_date"),
                q("VALUES (1), (2)"),
                q("(SELECT name FROM users LIMIT 5) UNION ALL (SELECT name FROM users LIMIT 5)"),
                q("SELECT name, row_number() OVER (ORDER BY id) FROM users", "L"),
                q("INSERT INTO users SELECT * FROM users"),
                q("CREATE TABLE c AS SELECT * FROM events", P_EVENTS),
                q("INSERT INTO logs SELECT id, msg, dt FROM logs WHERE dt = 'x'"),
                q("EXPLAIN SELECT * FROM events"),
                q("SHOW TABLES"),
                q("SELECT * FROM events WHERE dt = 'x' LIMIT 5;  "),
                q("select *\nfrom   events -- a comment\nwhere dt = 'x' /* block */ limit 5"),
                // unknown tables say nothing about partitions
                q("SELECT * FROM nowhere WHERE x = 1 LIMIT 5"),
                q("SELECT * FROM nowhere", "L"),
                // not SQL Trino parses
                q("SELECT FROM WHERE", "U"),
                q("", "U"),
                q("SELECT * FROM events; SELECT 1", "U"),
                q("SELECT `dt` FROM events", "U"));
    }

    static Arguments q(String sql, String... expected) {
        return Arguments.of(sql, List.of(expected));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("queries")
    void findings(String sql, List<String> expected) {
        assertThat(lint(sql)).as(sql).isEqualTo(expected);
    }

    @Test
    void theWideThresholdIsConfigurable() {
        try (QueryLinter strict = new QueryLinter(null, 3)) {
            assertThat(strict.lint("SELECT * FROM users LIMIT 1", LOOKUP)).extracting(QueryLinterTest::brief)
                    .containsExactly("W analytics.users 3");
        }
        try (QueryLinter loose = new QueryLinter(null, 61)) {
            assertThat(loose.lint("SELECT * FROM wide LIMIT 1", LOOKUP)).isEmpty();
        }
    }

    @Test
    void aParseThatTakesTooLongIsUnparseable() {
        String deep = "SELECT " + "(".repeat(3000) + "1" + ")".repeat(3000);
        try (QueryLinter hasty = new QueryLinter(null, 50, Duration.ofMillis(1))) {
            assertThat(hasty.lint(deep, LOOKUP)).extracting(LintFinding::code).containsExactly(LintFinding.UNPARSEABLE);
        }
    }

    @Test
    void findingsNameTheKeysAsAList() {
        LintFinding finding = LINTER.lint("SELECT event_id FROM events LIMIT 1", LOOKUP).get(0);
        assertThat(finding.params()).containsExactly(Map.entry("table", "analytics.events"),
                Map.entry("partitionKeys", List.of("event_type", "dt")));
    }
}
