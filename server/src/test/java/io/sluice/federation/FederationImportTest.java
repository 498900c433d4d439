package io.sluice.federation;

import io.sluice.datasource.SqlitePaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.sluice.federation.FederationTesting.databases;
import static io.sluice.federation.FederationTesting.files;
import static io.sluice.federation.FederationTesting.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The import path against real databases: a MariaDB table, PostgreSQL tables (one in a non-default
 * schema, named {@code alias.schema.table}) and a SQLite table joined with a local DuckDB table give
 * exactly the right rows, every mapped type comes through exactly, only the columns the SQL uses are
 * copied, pushed-down conditions reduce the rows copied while other conditions are left to DuckDB,
 * hostile names stay quoted, and close() leaves nothing behind.
 */
class FederationImportTest {

    @TempDir
    static Path dir;
    static FederationSources sources;
    static Path regionsFile;
    static Path hostileFile;

    @TempDir
    Path scratch;
    Connection duck;
    List<String> originals;
    Federation federation;

    @BeforeAll
    static void start() throws Exception {
        sources = FederationSources.start(dir, true);
        try (Connection c = sources.superuser("analytics"); Statement s = c.createStatement()) {
            s.execute("SET ROLE analyst");
            s.execute("CREATE SCHEMA sales");
            s.execute("""
                    CREATE TABLE sales.orders (id int PRIMARY KEY, customer_id int, amount numeric(38,10),
                      placed timestamptz, at timestamp, note text, flag boolean, f4 real, f8 double precision,
                      day date, payload bytea, small smallint, big bigint, label varchar(20))""");
            s.execute("""
                    INSERT INTO sales.orders VALUES
                    (1, 1, 12345678901234567890123456.0123456789, '2024-03-01 10:15:30.123456+02',
                     '2024-03-01 10:15:30.654321', 'it''s "quoted" — 北京 ✓', true, 1.5, 0.1, '2024-02-29',
                     '\\x00ff10', -32768, 9223372036854775807, 'x'),
                    (2, 2, -0.0000000001, '1999-12-31 23:59:59+00', '1970-01-01 00:00:00', '', false, -0.25,
                     -1e300, '0001-01-01', '\\x', 32767, -9223372036854775808, ''),
                    (3, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""");
            s.execute("CREATE TABLE events (id int, kind text, score int, payload text, extra text)");
            s.execute("""
                    INSERT INTO events SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, g % 100,
                      repeat('p', 50), 'e' FROM generate_series(1, 1000) g""");
            s.execute("CREATE TABLE \"x\"\"; DROP TABLE victims; --\" (\"sel\"\"ect\" text)");
            s.execute("INSERT INTO \"x\"\"; DROP TABLE victims; --\" VALUES ('o''k'), ('z'), ('other')");
            s.execute("CREATE TABLE victims (v int)");
        }
        try (Connection c = sources.shop(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE customers (id INT, name VARCHAR(100), vip BOOLEAN, credit DECIMAL(12,2),
                      created DATETIME(6), notes TEXT, big BIGINT UNSIGNED, ratio DOUBLE, born DATE,
                      raw VARBINARY(10), tiny TINYINT, uint INT UNSIGNED) CHARACTER SET utf8mb4""");
            s.execute("""
                    INSERT INTO customers VALUES
                    (1, 'Zoë O''Brien', 1, 1234567890.12, '2024-01-02 03:04:05.678901', 'multi\\nline "q"',
                     18446744073709551615, 0.5, '2000-02-29', X'00FF', -128, 4294967295),
                    (2, '李雷', 0, -0.01, '1970-01-01 00:00:01', NULL, 0, NULL, NULL, NULL, NULL, NULL),
                    (3, 'nobody', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""");
            s.execute("CREATE TABLE `a``b'\"c` (`q``x` INT)");
            s.execute("INSERT INTO `a``b'\"c` VALUES (7)");
        }
        regionsFile = FederationSources.sqliteFile(sources.sqliteDir.resolve("regions.db"),
                "CREATE TABLE regions (customer_id INTEGER, region TEXT)",
                "INSERT INTO regions VALUES (1, 'north'), (2, 'south'), (3, 'east')");
        hostileFile = FederationSources.sqliteFile(sources.sqliteDir.resolve("hostile.db"),
                "CREATE TABLE \"t\"\"; DROP TABLE keep; --\" (\"c\"\"ol'\" TEXT)",
                "INSERT INTO \"t\"\"; DROP TABLE keep; --\" VALUES ('v'), ('w')");
    }

    @AfterAll
    static void stop() {
        if (sources != null) {
            sources.close();
        }
    }

    @BeforeEach
    void openDuck() throws SQLException {
        duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = duck.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("CREATE TABLE targets (region VARCHAR, goal INTEGER)");
            s.execute("INSERT INTO targets VALUES ('north', 10), ('south', 20)");
            s.execute("CREATE TABLE keep (k INTEGER)");
        }
        originals = databases(duck);
        federation = new Federation(FederationSettings.of(FederationMode.IMPORT),
                new SqlitePaths(List.of(sources.sqliteDir)));
    }

    @AfterEach
    void closeDuck() throws SQLException {
        duck.close();
    }

    private AttachTarget pg() {
        return new AttachTarget("pg", sources.postgres("pg-ds", "analytics"), FederationSources.PASSWORD);
    }

    private AttachTarget my() {
        return new AttachTarget("my", sources.mariaDb("my-ds", "shop"), FederationSources.PASSWORD);
    }

    private static AttachTarget lite() {
        return new AttachTarget("lite", FederationSources.sqlite("lite-ds", regionsFile), null);
    }

    private Attachment attach(String sql, AttachTarget... targets) throws FederationException {
        return federation.attach(duck, scratch, List.of(targets), sql, new FederationTesting.Switch());
    }

    @Test
    void aJoinOfMariaDbPostgresqlSqliteAndALocalTableGivesExactlyTheRightRows() throws Exception {
        String sql = """
                SELECT c.name, o.id, o.amount::VARCHAR AS amount, r.region, t.goal
                FROM my.customers c JOIN pg.sales.orders o ON o.customer_id = c.id
                JOIN lite.regions r ON r.customer_id = c.id JOIN targets t ON t.region = r.region
                ORDER BY o.id""";
        try (Attachment a = attach(sql, my(), pg(), lite())) {
            assertThat(a.aliases()).containsExactly("my", "pg", "lite");
            assertThat(a.modes()).containsEntry("my", "import").containsEntry("pg", "import").containsEntry("lite", "import");
            assertThat(rows(duck, sql)).containsExactly(
                    "Zoë O'Brien|1|12345678901234567890123456.0123456789|north|10",
                    "李雷|2|-0.0000000001|south|20",
                    "Zoë O'Brien|3|null|north|10");
            assertThat(a.importedRows()).isEqualTo(9);
            assertThat(databases(duck)).containsExactlyInAnyOrder("lite", "memory", "my", "pg", "system", "temp");
        }
        assertThat(databases(duck)).isEqualTo(originals);
        assertThat(files(scratch)).isEmpty();
    }

    @Test
    void everyPostgresqlTypeComesThroughExactly() throws Exception {
        String sql = "SELECT * FROM pg.sales.orders";
        try (Attachment ignored = attach(sql, pg())) {
            assertThat(rows(duck, """
                    SELECT column_name || ' ' || data_type FROM duckdb_columns()
                    WHERE database_name = 'pg' AND table_name = 'orders' ORDER BY column_index""")).containsExactly(
                    "id INTEGER", "customer_id INTEGER", "amount DECIMAL(38,10)", "placed TIMESTAMP WITH TIME ZONE",
                    "at TIMESTAMP", "note VARCHAR", "flag BOOLEAN", "f4 FLOAT", "f8 DOUBLE", "day DATE", "payload BLOB",
                    "small SMALLINT", "big BIGINT", "label VARCHAR");
            assertThat(rows(duck, """
                    SELECT id, amount::VARCHAR, placed::VARCHAR, "at"::VARCHAR, note, flag, f4::VARCHAR, f8::VARCHAR,
                      day::VARCHAR, hex(payload), small, big, label FROM pg.sales.orders ORDER BY id""")).containsExactly(
                    "1|12345678901234567890123456.0123456789|2024-03-01 08:15:30.123456+00|2024-03-01 10:15:30.654321"
                            + "|it's \"quoted\" — 北京 ✓|true|1.5|0.1|2024-02-29|00FF10|-32768|9223372036854775807|x",
                    "2|-0.0000000001|1999-12-31 23:59:59+00|1970-01-01 00:00:00||false|-0.25|-1e+300|0001-01-01||32767"
                            + "|-9223372036854775808|",
                    "3|null|null|null|null|null|null|null|null|null|null|null|null");
        }
    }

    @Test
    void everyMariaDbTypeComesThroughExactly() throws Exception {
        String sql = "SELECT * FROM my.customers";
        try (Attachment ignored = attach(sql, my())) {
            assertThat(rows(duck, """
                    SELECT column_name || ' ' || data_type FROM duckdb_columns()
                    WHERE database_name = 'my' AND table_name = 'customers' ORDER BY column_index""")).containsExactly(
                    "id INTEGER", "name VARCHAR", "vip BOOLEAN", "credit DECIMAL(12,2)", "created TIMESTAMP",
                    "notes VARCHAR", "big HUGEINT", "ratio DOUBLE", "born DATE", "raw BLOB", "tiny SMALLINT",
                    "uint BIGINT");
            assertThat(rows(duck, """
                    SELECT id, name, vip, credit::VARCHAR, created::VARCHAR, notes, big::VARCHAR, ratio, born::VARCHAR,
                      hex(raw), tiny, uint FROM my.customers ORDER BY id""")).containsExactly(
                    "1|Zoë O'Brien|true|1234567890.12|2024-01-02 03:04:05.678901|multi\nline \"q\"|18446744073709551615"
                            + "|0.5|2000-02-29|00FF|-128|4294967295",
                    "2|李雷|false|-0.01|1970-01-01 00:00:01|null|0|null|null|null|null|null",
                    "3|nobody|null|null|null|null|null|null|null|null|null|null");
        }
    }

    @Test
    void onlyTheColumnsTheSqlUsesAreImported() throws Exception {
        String sql = "SELECT e.id, kind FROM pg.events e WHERE e.id = 7";
        try (Attachment a = attach(sql, pg())) {
            assertThat(rows(duck, """
                    SELECT column_name FROM duckdb_columns() WHERE database_name = 'pg' AND table_name = 'events'
                    ORDER BY column_index""")).containsExactly("id", "kind");
            assertThat(rows(duck, sql)).containsExactly("7|b");
            assertThat(a.importedRows()).isEqualTo(1);
        }
        String star = "SELECT count(*) FROM (SELECT * FROM pg.events) q";
        try (Attachment a = attach(star, pg())) {
            assertThat(rows(duck, """
                    SELECT count(*) FROM duckdb_columns() WHERE database_name = 'pg' AND table_name = 'events'""")).containsExactly("5");
            assertThat(rows(duck, star)).containsExactly("1000");
            assertThat(a.importedRows()).isEqualTo(1000);
        }
        String countOnly = "SELECT count(*) FROM pg.events";
        try (Attachment a = attach(countOnly, pg())) {
            assertThat(rows(duck, countOnly)).containsExactly("1000");
        }
    }

    @Test
    void pushedDownConditionsReduceTheRowsCopied() throws Exception {
        String sql = "SELECT e.id FROM pg.events e WHERE e.score < 10 AND e.kind = 'a' AND e.payload IS NOT NULL ORDER BY e.id";
        try (Attachment a = attach(sql, pg())) {
            List<String> ids = rows(duck, sql);
            assertThat(ids).hasSize(50).startsWith("2", "4", "6", "8", "100", "102");
            assertThat(a.importedRows()).isEqualTo(50);
        }
        String in = "SELECT count(*) FROM pg.events e WHERE 990 < e.id AND e.score IN (91, 93, 95)";
        try (Attachment a = attach(in, pg())) {
            assertThat(rows(duck, in)).containsExactly("3");
            assertThat(a.importedRows()).isEqualTo(3);
        }
    }

    @Test
    void conditionsThatCannotBePushedAreLeftToDuckDb() throws Exception {
        String[][] cases = {
                {"SELECT count(*) FROM pg.events e WHERE e.score + 0 < 10 OR e.kind = 'zz'", "100"},
                {"SELECT count(*) FROM pg.events e WHERE lower(e.kind) = 'a'", "500"},
                {"SELECT count(*) FROM pg.events e WHERE e.kind <> 'a'", "500"},
                {"SELECT count(*) FROM pg.events e WHERE e.kind > 'a'", "500"},
                {"SELECT count(*) FROM range(1, 3) l(x) LEFT JOIN pg.events e ON e.id = l.x WHERE e.kind IS NULL", "0"},
                {"SELECT count(*) FROM pg.events e WHERE e.score = 1e0", "10"},
        };
        for (String[] c : cases) {
            try (Attachment a = attach(c[0], pg())) {
                assertThat(rows(duck, c[0])).as(c[0]).containsExactly(c[1]);
                assertThat(a.importedRows()).as(c[0]).isEqualTo(1000);
            }
        }
    }

    @Test
    void aConditionOnThePreservedSideOfALeftJoinIsPushedAndResultsStayRight() throws Exception {
        String sql = """
                SELECT e.id, t.goal FROM pg.events e LEFT JOIN targets t ON t.goal = e.id
                WHERE e.id IN (10, 20, 30) ORDER BY e.id""";
        try (Attachment a = attach(sql, pg())) {
            assertThat(rows(duck, sql)).containsExactly("10|10", "20|20", "30|null");
            assertThat(a.importedRows()).isEqualTo(3);
        }
    }

    @Test
    void hostileNamesAndValuesCannotBreakOutOfQuoting() throws Exception {
        AttachTarget sqlite = new AttachTarget("we\"ird'; DETACH memory; --",
                FederationSources.sqlite("hostile", hostileFile), null);
        AttachTarget pg = new AttachTarget("p`g\"", sources.postgres("pg-ds", "analytics"), FederationSources.PASSWORD);
        AttachTarget my = new AttachTarget("m'y", sources.mariaDb("my-ds", "shop"), FederationSources.PASSWORD);
        String sql = "SELECT h.\"c\"\"ol'\", x.\"sel\"\"ect\", m.\"q`x\""
                + " FROM \"we\"\"ird'; DETACH memory; --\".\"t\"\"; DROP TABLE keep; --\" h,"
                + " \"p`g\"\"\".\"x\"\"; DROP TABLE victims; --\" x, \"m'y\".\"a`b'\"\"c\" m"
                + " WHERE h.\"c\"\"ol'\" IN ('v', 'v''; DROP TABLE keep; --') AND x.\"sel\"\"ect\" = 'o''k'";
        try (Attachment a = attach(sql, sqlite, pg, my)) {
            assertThat(rows(duck, sql)).containsExactly("v|o'k|7");
            assertThat(a.importedRows()).isEqualTo(3);
            assertThat(a.aliases()).containsExactly(sqlite.alias(), pg.alias(), my.alias());
        }
        assertThat(databases(duck)).isEqualTo(originals);
        assertThat(rows(duck, "SELECT count(*) FROM keep")).containsExactly("0");
        try (Connection c = sources.superuser("analytics"); Statement s = c.createStatement()) {
            s.execute("SELECT count(*) FROM victims");
        }
        assertThat(files(scratch)).isEmpty();
    }

    @Test
    void aTableTheSourceDoesNotHaveIsAttachFailedWithTheSourcesMessage() {
        assertThatThrownBy(() -> attach("SELECT * FROM lite.regions r, pg.sales.nope n", lite(), pg()))
                .isInstanceOfSatisfying(FederationException.class, e -> {
                    assertThat(e.code().name()).isEqualTo("ATTACH_FAILED");
                    assertThat(e.details()).containsEntry("alias", "pg").containsEntry("table", "sales.nope");
                    assertThat((String) e.details().get("reason")).contains("nope").contains("does not exist");
                });
        assertNothingLeft();
    }

    @Test
    void namesAreFoundCaseInsensitivelyAsDuckDbResolvesThem() throws Exception {
        String sql = "SELECT count(*) FROM PG.Sales.ORDERS WHERE ID = 1";
        try (Attachment a = attach(sql, pg())) {
            assertThat(rows(duck, sql)).containsExactly("1");
            assertThat(a.importedRows()).isEqualTo(1);
        }
    }

    @Test
    void closeDetachesEverythingAndRemovesTheFilesAfterSuccessAndAfterAFailedQuery() throws Exception {
        String sql = "SELECT c.name, r.region FROM my.customers c JOIN lite.regions r ON r.customer_id = c.id";
        Attachment a = attach(sql, my(), lite());
        assertThat(files(scratch)).isNotEmpty();
        assertThat(rows(duck, sql)).hasSize(3);
        a.close();
        assertNothingLeft();
        a.close(); // a second close does nothing

        Attachment b = attach(sql, my(), lite());
        assertThatThrownBy(() -> rows(duck, "SELECT r.no_such_column FROM lite.regions r")).isInstanceOf(SQLException.class);
        b.close();
        assertNothingLeft();
    }

    private void assertNothingLeft() {
        try {
            assertThat(databases(duck)).isEqualTo(originals);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(files(scratch)).isEmpty();
    }
}
