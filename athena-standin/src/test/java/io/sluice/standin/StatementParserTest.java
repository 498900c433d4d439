package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StatementParserTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT 1                                         | DML     | SELECT                 | CSV",
        "  -- comment\\n with a AS (SELECT 1) SELECT * FROM a | DML  | SELECT                 | CSV",
        "VALUES (1), (2)                                  | DML     | SELECT                 | CSV",
        "(SELECT 1)                                       | DML     | SELECT                 | CSV",
        "EXPLAIN SELECT 1                                 | DML     | EXPLAIN                | TEXT",
        "SHOW TABLES                                      | UTILITY | SHOW_TABLES            | TEXT",
        "SHOW SCHEMAS LIKE 'a*'                           | UTILITY | SHOW_DATABASES         | TEXT",
        "SHOW COLUMNS IN db.t                             | UTILITY | SHOW_COLUMNS           | TEXT",
        "DESCRIBE db.t                                    | UTILITY | DESCRIBE_TABLE         | TEXT",
        "DESC t                                           | UTILITY | DESCRIBE_TABLE         | TEXT",
        "SHOW CREATE TABLE t                              | UTILITY | SHOW_CREATE_TABLE      | TEXT",
        "CREATE DATABASE d                                | DDL     | CREATE_DATABASE        | TEXT",
        "DROP SCHEMA IF EXISTS d CASCADE                  | DDL     | DROP_DATABASE          | TEXT",
        "CREATE EXTERNAL TABLE t (a int) LOCATION 's3://x/' | DDL   | CREATE_TABLE           | TEXT",
        "CREATE TABLE t AS SELECT 1                       | DDL     | CREATE_TABLE_AS_SELECT | CTAS",
        "CREATE VIEW v AS SELECT 1                        | DDL     | CREATE_VIEW            | TEXT",
        "DROP TABLE IF EXISTS t                           | DDL     | DROP_TABLE             | TEXT",
        "MSCK REPAIR TABLE t                              | DDL     | MSCK_REPAIR_TABLE      | TEXT",
        "INSERT INTO t SELECT 1                           | DML     | INSERT                 | INSERT",
        "DELETE FROM t WHERE a = 1                        | DML     | DELETE                 | ROW_COUNT",
    })
    void classifiesStatementsLikeAthena(String sql, String type, String substatement, String result) {
        AthenaStatement statement = StatementParser.parse(SqlText.of(sql.replace("\\n", "\n")));

        assertThat(statement.kind().statementType()).isEqualTo(type);
        assertThat(statement.kind().substatementType()).isEqualTo(substatement);
        assertThat(statement.kind().result().name()).isEqualTo(result);
    }

    @Test
    void hiveDdlBecomesDuckDbDdl() {
        AthenaStatement table = StatementParser.parse(SqlText.of("CREATE EXTERNAL TABLE IF NOT EXISTS `db`.`t` ("
                + "id bigint COMMENT 'key', tags array<string>, attrs map<string,int>, s struct<a:int,b:string>, "
                + "amount decimal(10,2)) PARTITIONED BY (dt string) ROW FORMAT SERDE 'x' STORED AS PARQUET "
                + "LOCATION 's3://bucket/t/' TBLPROPERTIES ('parquet.compress'='SNAPPY')"));

        assertThat(table.duckDbSql()).isEqualTo("CREATE TABLE IF NOT EXISTS \"db\".\"t\" (\"id\" BIGINT, "
                + "\"tags\" VARCHAR[], \"attrs\" MAP(VARCHAR, INTEGER), \"s\" STRUCT(\"a\" INTEGER, \"b\" VARCHAR), "
                + "\"amount\" DECIMAL(10,2), \"dt\" VARCHAR)");
        assertThat(table.created()).isEqualTo(new AthenaStatement.CreatedTable("db", "t", java.util.List.of("dt")));
        assertThat(StatementParser.parse(SqlText.of("CREATE DATABASE IF NOT EXISTS sales COMMENT 'x'")).duckDbSql())
                .isEqualTo("CREATE SCHEMA IF NOT EXISTS \"sales\"");
        assertThat(StatementParser.parse(SqlText.of(
                "CREATE TABLE c WITH (format = 'PARQUET', external_location = 's3://x/') AS SELECT 1 WITH DATA"))
                .duckDbSql()).isEqualTo("CREATE TABLE \"c\" AS SELECT 1");
    }

    @Test
    void aTrailingSemicolonIsAcceptedButASecondStatementIsNot() {
        assertThat(StatementParser.parse(SqlText.of("SELECT 1;")).duckDbSql()).isEqualTo("SELECT 1");

        assertThatThrownBy(() -> StatementParser.parse(SqlText.of("SELECT 1; SELECT 2")))
                .isInstanceOfSatisfying(AthenaException.class, e -> {
                    assertThat(e.athenaErrorCode).isEqualTo("MALFORMED_QUERY");
                    assertThat(e.getMessage()).isEqualTo("line 1:9: mismatched input ';'. Expecting: <EOF>");
                });
    }

    @Test
    void statementsAthenaDoesNotHaveAreMalformed() {
        for (String sql : new String[] {"INSTALL httpfs", "ATTACH 'x.db'", "PRAGMA version", "SET threads = 1", ""}) {
            assertThatThrownBy(() -> StatementParser.parse(SqlText.of(sql)))
                    .isInstanceOfSatisfying(AthenaException.class, e -> {
                        assertThat(e.athenaErrorCode).isEqualTo("MALFORMED_QUERY");
                        assertThat(e.getMessage()).startsWith("line 1:").contains("mismatched input");
                    });
        }
    }

    @Test
    void semicolonsInLiteralsAndCommentsDoNotEndAStatement() {
        AthenaStatement statement = StatementParser.parse(SqlText.of("SELECT ';' /* ; */ AS s -- ;\n"));

        assertThat(statement.duckDbSql()).isEqualTo("SELECT ';' /* ; */ AS s");
    }
}
