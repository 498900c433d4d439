package io.sluice.engine.duckdb;

import io.sluice.engine.duckdb.StatementRules.Effect;
import io.sluice.engine.duckdb.StatementRules.Reason;
import io.sluice.engine.duckdb.StatementRules.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which statements may run, write or import, decided from their text alone (no DuckDB needed). */
class StatementRulesTest {

    private static Verdict judge(String statement) throws SqlLexer.LexException {
        List<SqlLexer.Statement> statements = SqlLexer.statements(statement);
        assertThat(statements).as(statement).hasSize(1);
        return StatementRules.judge(statements.get(0).tokens());
    }

    @Test
    void readsAndDatabaseWorkAreAllowed() throws Exception {
        for (String sql : List.of("SELECT 1", "select * from events", "WITH a AS (SELECT 1) SELECT * FROM a",
                "FROM range(3)", "VALUES (1), (2)", "TABLE events", "DESCRIBE events", "DESC SELECT 1", "SHOW TABLES",
                "SUMMARIZE events", "PIVOT events ON event_type USING count(*)", "UNPIVOT t ON a, b INTO NAME k VALUE v",
                "EXPLAIN SELECT 1", "EXPLAIN ANALYZE SELECT 1", "EXPLAIN (FORMAT json) SELECT 1", "EXPLAIN (SELECT 1)",
                "CALL pragma_version()", "PRAGMA database_list", "PRAGMA table_info('events')", "USE sluice.main",
                "BEGIN", "START TRANSACTION", "COMMIT", "ROLLBACK", "PREPARE p AS SELECT $1", "EXECUTE p(1)",
                "DEALLOCATE p", "CREATE TEMP TABLE t AS SELECT 1", "CREATE OR REPLACE TEMPORARY MACRO m(x) AS x + 1",
                "CREATE UNIQUE INDEX i ON t(a)", "INSERT INTO t VALUES (1)", "UPDATE t SET a = 2",
                "UPDATE extensions SET a = 2", "DELETE FROM t", "DROP TABLE t", "ALTER TABLE t ADD COLUMN b INT",
                "COPY t FROM 'data/files/in.csv' (HEADER)", "COPY \"t\" (a, b) FROM 'in.csv'", "(SELECT 1) UNION (SELECT 2)",
                "CHECKPOINT", "VACUUM", "ANALYZE", "COMMENT ON TABLE t IS 'x'")) {
            assertThat(judge(sql)).as(sql).isEqualTo(Verdict.ALLOWED);
        }
    }

    @Test
    void writesNameTheirTarget() throws Exception {
        Verdict copy = judge("COPY (SELECT 1) TO 'out/a.csv' (FORMAT csv, HEADER false)");
        assertThat(copy.effect()).isEqualTo(Effect.WRITES);
        assertThat(copy.kind()).isEqualTo("COPY TO");
        assertThat(copy.path()).isEqualTo("out/a.csv");
        for (String sql : List.of("copy t TO 'out/a.csv'", "COPY main.t (a) TO 'out/a.csv' WITH (FORMAT parquet)",
                "COPY t TO 'out/a.csv' DELIMITER ';' HEADER", "COPY t TO 'out/a' (PARTITION_BY (a, b), FILENAME_PATTERN 'p_{i}')",
                "COPY t TO 'out/a.parquet' (FORMAT parquet, KV_METADATA {k: 'v'}, ROW_GROUP_SIZE -1)",
                "EXPLAIN ANALYZE COPY t TO 'out/a.csv'", "PREPARE p AS COPY t TO 'out/a.csv'",
                "EXPLAIN (FORMAT json) COPY t TO 'out/a.csv'", "EXPORT DATABASE 'out/db'", "EXPORT DATABASE sluice TO 'out/db' (FORMAT parquet)")) {
            assertThat(judge(sql).effect()).as(sql).isEqualTo(Effect.WRITES);
        }
        assertThat(judge("EXPORT DATABASE sluice TO 'out/db'").path()).isEqualTo("out/db");
    }

    @Test
    void importsNameTheirFolder() throws Exception {
        Verdict v = judge("IMPORT DATABASE 'data/files/db'");
        assertThat(v.effect()).isEqualTo(Effect.IMPORTS);
        assertThat(v.path()).isEqualTo("data/files/db");
        assertThat(judge("PRAGMA import_database('data/files/db')").effect()).isEqualTo(Effect.IMPORTS);
        assertThat(judge("PRAGMA import_database('a' || 'b')").effect()).isEqualTo(Effect.REFUSED);
    }

    @Test
    void everythingElseIsRefusedWithItsKind() throws Exception {
        String[][] cases = {
                {"ATTACH 'x.duckdb' AS x", "ATTACH"}, {"DETACH x", "DETACH"}, {"INSTALL httpfs", "INSTALL"},
                {"FORCE INSTALL httpfs", "FORCE"}, {"LOAD httpfs", "LOAD"}, {"SET threads = 1", "SET"},
                {"RESET threads", "RESET"}, {"set\tenable_external_access=true", "SET"},
                {"CREATE SECRET s (TYPE s3)", "CREATE SECRET"}, {"CREATE OR REPLACE PERSISTENT SECRET s (TYPE s3)", "CREATE SECRET"},
                {"DROP SECRET s", "DROP SECRET"}, {"UPDATE EXTENSIONS", "UPDATE EXTENSIONS"},
                {"UPDATE EXTENSIONS (httpfs)", "UPDATE EXTENSIONS"}, {"CREATE TRIGGER t AFTER INSERT ON x", "CREATE TRIGGER"},
                {"PRAGMA enable_profiling", "PRAGMA"}, {"PRAGMA add_parquet_key('k', 'x')", "PRAGMA"},
                {"COPY FROM DATABASE a TO b", "COPY FROM DATABASE"}, {"COPY t FROM STDIN", "COPY FROM"},
                {"EXPLAIN ANALYZE ATTACH 'x'", "ATTACH"}, {"PREPARE p AS INSTALL x", "INSTALL"},
                {"\"SELECT\" 1", "UNKNOWN"}, {"LISTEN x", "LISTEN"}, {"( COPY t TO 'x')", "UNKNOWN"}};
        for (String[] c : cases) {
            Verdict v = judge(c[0]);
            assertThat(v.effect()).as(c[0]).isEqualTo(Effect.REFUSED);
            assertThat(v.kind()).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void aWriteTargetMustBeAPlainLiteral() throws Exception {
        for (String sql : List.of("COPY (SELECT 1) TO STDOUT", "COPY t TO stdout", "COPY t TO ('out/a.csv')",
                "COPY t TO E'out/a.csv'", "COPY t TO $$out/a.csv$$", "COPY t TO ?", "COPY t TO $1", "EXPORT DATABASE x", "IMPORT DATABASE E'x'")) {
            Verdict v = judge(sql);
            assertThat(v.effect()).as(sql).isEqualTo(Effect.REFUSED);
            assertThat(v.reason()).as(sql).isEqualTo(Reason.TARGET_NOT_LITERAL);
        }
    }

    @Test
    void computedOrEscapingOptionsAreRefused() throws Exception {
        for (String sql : List.of(
                "COPY t TO 'out/o' (PER_THREAD_OUTPUT, FILENAME_PATTERN '../../files/x_{i}')",
                "COPY t TO 'out/o' (PER_THREAD_OUTPUT, FILENAME_PATTERN '.' || './../files/x_{i}')",
                "COPY t TO 'out/o' (PER_THREAD_OUTPUT, FILENAME_PATTERN concat('..', '/x'))",
                "COPY t TO 'out/o' (PER_THREAD_OUTPUT, FILENAME_PATTERN \"../x_{i}\")",
                "COPY t TO 'out/o' (PER_THREAD_OUTPUT, FILENAME_PATTERN 'sub/x_{i}')",
                "COPY t TO 'out/o' (PER_THREAD_OUTPUT, FILE_EXTENSION 'csv/../../x')",
                "COPY t TO 'out/o' (PER_THREAD_OUTPUT, FILENAME_PATTERN e'\\x2e\\x2e/x')",
                "COPY t TO 'out/o' (FORMAT csv, HEADER 1 = 1)", "COPY t TO 'out/o' (FORMAT (SELECT 'csv'))",
                "COPY t TO 'out/o' (FORMAT csv) extra", "COPY t TO 'out/o' FILENAME_PATTERN 'x'")) {
            Verdict v = judge(sql);
            assertThat(v.effect()).as(sql).isEqualTo(Effect.REFUSED);
            assertThat(v.reason()).as(sql).isEqualTo(Reason.UNSAFE_OPTION);
        }
    }
}
