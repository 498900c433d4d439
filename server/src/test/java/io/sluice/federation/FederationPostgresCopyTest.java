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
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.sluice.federation.FederationTesting.files;
import static io.sluice.federation.FederationTesting.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL COPY path against the JDBC path on the same tables: every carried type, with every
 * edge case of CSV (NULL and {@code ''}, quotes, commas, newlines, a 3 MB value, unicode), numeric at
 * full precision, floats' special values, BC dates and timestamps, bytea, types read as VARCHAR, gives
 * identical DuckDB tables; hostile strings in pushed conditions select the same rows on both paths
 * and break nothing; a table with a column the CSV cannot carry falls back to JDBC. The one difference:
 * PostgreSQL's {@code infinity} dates and timestamps, which the JDBC path cannot import, arrive as
 * DuckDB's infinities.
 */
class FederationPostgresCopyTest {

    @TempDir
    static Path dir;
    static FederationSources sources;

    static final List<String> HOSTILE = List.of("x' OR 'a'='a", "\\' OR 1=1 --", "'); DROP TABLE victims; --",
            "back\\slash", "ends with \\", "$$ OR true $$", "E'\\x27'", "quote\"d", "multi\nline", "北京 ✓", "",
            "'", "''", "\\");

    @TempDir
    Path scratch;
    Connection duck;

    @BeforeAll
    static void start() throws Exception {
        sources = FederationSources.start(dir, false);
        try (Connection c = sources.superuser("analytics"); Statement s = c.createStatement()) {
            s.execute("SET ROLE analyst");
            s.execute("""
                    CREATE TABLE edge (id int, small smallint, big bigint, amount numeric(38,10), wide numeric,
                      f4 real, f8 double precision, flag boolean, note text, label varchar(30), code char(5),
                      day date, at timestamp, placed timestamptz, payload bytea, u uuid, j json, jb jsonb,
                      span interval, addr inet)""");
            s.execute("""
                    INSERT INTO edge VALUES
                    (1, -32768, 9223372036854775807, 12345678901234567890123456.0123456789,
                     123456789012345678901234567890123456789012345.000000000000000000001, 1.5, 0.1, true,
                     'it''s "quoted", with, commas — 北京 ✓', 'x', 'ab', '2024-02-29', '2024-03-01 10:15:30.654321',
                     '2024-03-01 10:15:30.123456+02', '\\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                     '{"a": [1, 2.50, "x\\"y"]}', '{"b": null, "a": 1}', '1 year 2 mons 3 days 04:05:06.789',
                     '192.168.0.1/24'),
                    (2, 32767, -9223372036854775808, -0.0000000001, -0.5, -0.25, -1e300, false, '', '', '',
                     '0001-01-01', '1970-01-01 00:00:00', '1999-12-31 23:59:59+00', '\\x', NULL, 'null', '[]',
                     '-1 days', '::1'),
                    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                     NULL, NULL, NULL, NULL),
                    (4, 0, 0, 0, 0, 'NaN', 'NaN', true, E'line\\nbreak\\r\\nand\\rcr', '"', ' sp ', '0044-03-15 BC',
                     '0044-03-15 10:00:00.5 BC', '0044-03-15 10:00:00.5+00 BC', '\\x2c22270a0d00', NULL, '""', '"x"',
                     '0', '10.0.0.0/8'),
                    (5, 1, 1, 99999999999999999999999999.9999999999, 1e-30, 'Infinity', '-Infinity', false,
                     'NULL', '\\N', 'a,b', '9999-12-31', '2262-04-11 23:47:16.854775', '1900-01-01 00:00:00+00:53:28',
                     '\\x5c78', NULL, '{}', '{}', '00:00:00.000001', '0.0.0.0'),
                    (6, -1, -1, 0.0000000001, 3.14159265358979323846264338327950288419716939937510, '-0', '-0',
                     true, repeat('long, "quoted" line' || chr(10), 150000), ',', '""', '1970-01-01',
                     '1999-12-31 23:59:59.999999', '2000-01-01 00:00:00.000001-12', '\\x', NULL, '" "', '" "',
                     '-178000000 years', '255.255.255.255'),
                    (7, 2, 2, 1, 2, 3.4028235e38, 5e-324, false, ' ', '   ', NULL, '2000-01-01', NULL, NULL,
                     NULL, NULL, NULL, NULL, NULL, NULL),
                    (8, 3, 3, 2, 3, 1.17549435e-38, 1.7976931348623157e308, true, '"', '""', '"', NULL, NULL, NULL,
                     NULL, NULL, NULL, NULL, NULL, NULL)""");
            s.execute("CREATE TABLE infinite (id int, day date, at timestamp, placed timestamptz)");
            s.execute("INSERT INTO infinite VALUES (1, 'infinity', 'infinity', 'infinity'), "
                    + "(2, '-infinity', '-infinity', '-infinity')");
            s.execute("CREATE TABLE withtime (id int, t time, note text)");
            s.execute("INSERT INTO withtime VALUES (1, '10:15:30.5', 'a'), (2, NULL, ''), (3, '23:59:59.999999', NULL)");
            s.execute("CREATE TABLE words (id int, w text, code varchar(40))");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO words VALUES (?, ?, ?)")) {
                for (int i = 0; i < HOSTILE.size(); i++) {
                    ps.setInt(1, i + 1);
                    ps.setString(2, HOSTILE.get(i));
                    ps.setString(3, HOSTILE.get(i));
                    ps.addBatch();
                }
                ps.setInt(1, 100);
                ps.setString(2, "plain");
                ps.setString(3, "plain");
                ps.addBatch();
                ps.executeBatch();
            }
            s.execute("CREATE TABLE victims (v int)");
        }
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
        }
    }

    @AfterEach
    void closeDuck() throws SQLException {
        duck.close();
    }

    private static Federation federation(boolean postgresCopy) {
        return new Federation(FederationSettings.of(FederationMode.IMPORT).withPostgresCopy(postgresCopy),
                new SqlitePaths(List.of(sources.sqliteDir)));
    }

    private AttachedDatabases attach(boolean postgresCopy, String alias, String sql) throws FederationException {
        AttachTarget pg = new AttachTarget(alias, sources.postgres("pg-ds", "analytics"), FederationSources.PASSWORD);
        return (AttachedDatabases) federation(postgresCopy).attach(duck, scratch, List.of(pg), sql,
                new FederationTesting.Switch());
    }

    /** Every value of every column as DuckDB's text plus its bytes in hex, rows in id order. */
    private List<String> contents(String table) throws SQLException {
        List<String> columns = rows(duck, "SELECT column_name FROM duckdb_columns() WHERE database_name || '.' "
                + "|| schema_name || '.' || table_name = '" + table + "' ORDER BY column_index");
        String values = columns.stream().map(c -> "coalesce(typeof(\"" + c + "\") || ':' || hex(CAST(\"" + c
                + "\" AS VARCHAR)) || ':' || CAST(\"" + c + "\" AS VARCHAR), '<NULL>')").collect(Collectors.joining(", "));
        return rows(duck, "SELECT " + values + " FROM " + table + " ORDER BY id");
    }

    @Test
    void everyCarriedTypeAndEdgeCaseGivesTheSameTableByCopyAsByJdbc() throws Exception {
        String sql = "SELECT * FROM fast.edge";
        try (AttachedDatabases fast = attach(true, "fast", sql);
             AttachedDatabases slow = attach(false, "slow", sql.replace("fast.", "slow."))) {
            assertThat(fast.importMethods()).isEqualTo(Map.of("fast.main.edge", "copy"));
            assertThat(slow.importMethods()).isEqualTo(Map.of("slow.main.edge", "jdbc"));
            List<String> byCopy = contents("fast.main.edge");
            assertThat(byCopy).hasSize(8);
            assertThat(byCopy).isEqualTo(contents("slow.main.edge"));
            assertThat(fast.importedRows()).isEqualTo(8).isEqualTo(slow.importedRows());
            // the cases that CSV could blur, checked in DuckDB's own terms
            assertThat(rows(duck, "SELECT id, note IS NULL, note = '', label, length(note) FROM fast.edge "
                    + "WHERE id IN (2, 3, 5, 6) ORDER BY id")).containsExactly(
                    "2|false|true||0", "3|true|null|null|null", "5|false|false|\\N|4", "6|false|false|,|3000000");
            assertThat(rows(duck, "SELECT amount::VARCHAR, wide, f8, hex(payload), day::VARCHAR, \"at\"::VARCHAR, "
                    + "placed::VARCHAR FROM fast.edge WHERE id IN (1, 4) ORDER BY id")).containsExactly(
                    "12345678901234567890123456.0123456789|"
                            + "123456789012345678901234567890123456789012345.000000000000000000001|0.1|00FF10|"
                            + "2024-02-29|2024-03-01 10:15:30.654321|2024-03-01 08:15:30.123456+00",
                    "0.0000000000|0|NaN|2C22270A0D00|0044-03-15 (BC)|0044-03-15 (BC) 10:00:00.5|"
                            + "0044-03-15 (BC) 10:00:00.5+00");
        }
        assertThat(files(scratch)).isEmpty();
    }

    /** The one known difference: the JDBC path cannot import PostgreSQL's infinities, COPY keeps them as DuckDB's. */
    @Test
    void infiniteDatesAndTimestampsComeThroughCopyAsDuckDbsInfinities() throws Exception {
        assertThat(outcome(false, "slow")).containsExactly("ATTACH_FAILED");
        assertThat(outcome(true, "fast")).containsExactly(
                "INTEGER:31:1|DATE:696E66696E697479:infinity|TIMESTAMP:696E66696E697479:infinity"
                        + "|TIMESTAMP WITH TIME ZONE:696E66696E697479:infinity",
                "INTEGER:32:2|DATE:2D696E66696E697479:-infinity|TIMESTAMP:2D696E66696E697479:-infinity"
                        + "|TIMESTAMP WITH TIME ZONE:2D696E66696E697479:-infinity");
        assertThat(files(scratch)).isEmpty();
    }

    private List<String> outcome(boolean postgresCopy, String alias) throws SQLException {
        try (AttachedDatabases a = attach(postgresCopy, alias, "SELECT * FROM " + alias + ".infinite")) {
            return contents(alias + ".main.infinite");
        } catch (FederationException e) {
            return List.of(e.code().name());
        }
    }

    @Test
    void aTableWithAColumnTheCsvCannotCarryGoesThroughJdbc() throws Exception {
        String sql = "SELECT * FROM fast.withtime";
        try (AttachedDatabases fast = attach(true, "fast", sql)) {
            assertThat(fast.importMethods()).isEqualTo(Map.of("fast.main.withtime", "jdbc"));
            assertThat(rows(duck, "SELECT id, t, note FROM fast.withtime ORDER BY id"))
                    .containsExactly("1|10:15:30.500|a", "2|null|", "3|23:59:59.999999|null");
        }
        // without the time column the same table goes through COPY
        try (AttachedDatabases fast = attach(true, "fast", "SELECT id, note FROM fast.withtime")) {
            assertThat(fast.importMethods()).isEqualTo(Map.of("fast.main.withtime", "copy"));
        }
    }

    @Test
    void hostileStringsInPushedConditionsSelectTheSameRowsOnBothPathsAndBreakNothing() throws Exception {
        for (int i = 0; i < HOSTILE.size(); i++) {
            String literal = HOSTILE.get(i).replace("'", "''");
            for (String where : List.of("w.w = '" + literal + "'", "w.code IN ('" + literal + "', 'plain')",
                    "'" + literal + "' = w.w AND w.id >= " + (i + 1))) {
                String sql = "SELECT w.id FROM fast.words w WHERE " + where + " ORDER BY w.id";
                List<String> expected = where.startsWith("w.code") ? List.of(String.valueOf(i + 1), "100")
                        : List.of(String.valueOf(i + 1));
                try (AttachedDatabases fast = attach(true, "fast", sql)) {
                    assertThat(fast.importMethods()).as(where).isEqualTo(Map.of("fast.main.words", "copy"));
                    assertThat(rows(duck, sql)).as(where).isEqualTo(expected);
                    // pushed: only the matching rows were copied
                    assertThat(fast.importedRows()).as(where).isEqualTo(expected.size());
                    try (AttachedDatabases slow = attach(false, "slow", sql.replace("fast.", "slow."))) {
                        assertThat(contents("fast.main.words")).as(where).isEqualTo(contents("slow.main.words"));
                        assertThat(slow.importedRows()).as(where).isEqualTo(fast.importedRows());
                    }
                }
            }
        }
        try (Connection c = sources.superuser("analytics"); Statement s = c.createStatement()) {
            s.execute("SELECT count(*) FROM victims"); // still there
        }
        assertThat(files(scratch)).isEmpty();
    }

    /** Numbers as typed literals select what the bound parameters select (also nothing: an empty COPY). */
    @Test
    void numbersInPushedConditionsAreTheSameOnBothPaths() throws Exception {
        for (String where : List.of("e.big = 9223372036854775807", "e.big < -1", "e.amount > 0.5", "e.amount <= -0.0000000001",
                "e.small IN (-1, 2, 3)", "e.id <> 4", "e.amount IS NULL", "e.wide IS NOT NULL AND e.id > 2", "e.id > 1000")) {
            String sql = "SELECT e.id FROM fast.edge e WHERE " + where;
            try (AttachedDatabases fast = attach(true, "fast", sql);
                 AttachedDatabases slow = attach(false, "slow", sql.replace("fast.", "slow."))) {
                assertThat(fast.importMethods()).as(where).isEqualTo(Map.of("fast.main.edge", "copy"));
                assertThat(contents("fast.main.edge")).as(where).isEqualTo(contents("slow.main.edge"));
                assertThat(fast.importedRows()).as(where).isEqualTo(slow.importedRows());
            }
        }
    }
}
