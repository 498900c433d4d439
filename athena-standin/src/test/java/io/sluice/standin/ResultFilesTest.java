package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;

/** Result objects are written where and how the real Athena writes them. */
class ResultFilesTest {
    private static StandInClients c;

    @BeforeAll
    static void start() {
        c = StandInClients.start(AthenaStandIn.builder());
        c.standIn.execute("CREATE SCHEMA files; CREATE TABLE files.items AS SELECT range AS id FROM range(3);"
                + "CREATE TABLE files.target (id BIGINT); CREATE SCHEMA ctas");
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    @Test
    void csvQuotesEveryValueAndWritesNullAsAnEmptyField() {
        QueryExecution q = c.run("SELECT * FROM (VALUES ('r1_v1', 'r1_v2', 1), ('r3_v1', 'r3_v2', NULL)) AS t(k1, k2, k3)");

        assertThat(q.resultConfiguration().outputLocation())
                .isEqualTo(StandInClients.OUTPUT + q.queryExecutionId() + ".csv");
        assertThat(c.object(q.resultConfiguration().outputLocation()))
                .isEqualTo("\"k1\",\"k2\",\"k3\"\n\"r1_v1\",\"r1_v2\",\"1\"\n\"r3_v1\",\"r3_v2\",\n");
    }

    @Test
    void csvDoublesQuotesKeepsNewlinesInsideQuotesAndIsUtf8WithoutBom() {
        QueryExecution q = c.run("SELECT 'say \"hi\"' AS quoted, 'line1' || chr(10) || 'line2' AS multiline, "
                + "'' AS empty, NULL::VARCHAR AS missing, 'héllo ✓ 日本' AS unicode");

        byte[] bytes = c.objectBytes(q.resultConfiguration().outputLocation());
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(
                "\"quoted\",\"multiline\",\"empty\",\"missing\",\"unicode\"\n"
                        + "\"say \"\"hi\"\"\",\"line1\nline2\",\"\",,\"héllo ✓ 日本\"\n");
        assertThat(bytes[0]).isEqualTo((byte) '"');
    }

    @Test
    void zeroRowsLeaveTheHeaderOnly() {
        QueryExecution q = c.run("SELECT 1 AS i WHERE false");

        assertThat(c.object(q.resultConfiguration().outputLocation())).isEqualTo("\"i\"\n");
    }

    @Test
    void valuesAreWrittenInAthenaTextForms() {
        QueryExecution q = c.run("SELECT TIMESTAMP '2017-01-01 00:00:00' AS ts, '123'::BLOB AS bin, [1, 2] AS arr, "
                + "MAP {'k': 1} AS m, {'a': 1, 'b': 2} AS r, 1e20::DOUBLE AS d, 1.5::DOUBLE AS d2, "
                + "DATE '2017-01-02' AS dt, 3.10::DECIMAL(10,2) AS dec, true AS b, ['x', NULL] AS strs, "
                + "TIMESTAMPTZ '2017-01-01 12:34:56.789+00' AS tz");

        List<String> row = c.rows(q.queryExecutionId()).get(1);
        assertThat(row).containsExactly("2017-01-01 00:00:00.000", "31 32 33", "[1, 2]", "{k=1}", "{a=1, b=2}",
                "1.0E20", "1.5", "2017-01-02", "3.10", "true", "[x, null]", "2017-01-01 12:34:56.789 UTC");
    }

    @Test
    void unnamedExpressionsAreCalledColN() {
        QueryExecution q = c.run("SELECT 1, 'a' AS named, id FROM files.items WHERE id = 0");

        assertThat(c.object(q.resultConfiguration().outputLocation())).startsWith("\"_col0\",\"named\",\"id\"\n");
    }

    @Test
    void metadataIsProtobufDescribingEachColumn() {
        QueryExecution q = c.run("SELECT 1::INTEGER AS i, 'x' AS v, 3.10::DECIMAL(10,2) AS dec, [1] AS arr, "
                + "DATE '2017-01-01' AS dt");

        Map<Integer, List<Object>> metadata = ProtobufReader.decode(
                c.objectBytes(q.resultConfiguration().outputLocation() + ".metadata"));
        assertThat(ProtobufReader.string(metadata, 1)).matches("\\d{8}_\\d{6}_\\d{5}_[a-z]{5}");
        assertThat(metadata).doesNotContainKeys(2, 3);
        List<Object> columns = metadata.get(4);
        assertThat(columns).hasSize(5);
        Map<Integer, List<Object>> integer = ProtobufReader.decode((byte[]) columns.get(0));
        assertThat(ProtobufReader.string(integer, 1)).isEqualTo("hive");
        assertThat(ProtobufReader.string(integer, 4)).isEqualTo("i");
        assertThat(ProtobufReader.string(integer, 5)).isEqualTo("i");
        assertThat(ProtobufReader.string(integer, 6)).isEqualTo("integer");
        assertThat(ProtobufReader.number(integer, 7)).isEqualTo(10L);
        assertThat(ProtobufReader.number(integer, 8)).isEqualTo(0L);
        assertThat(ProtobufReader.number(integer, 9)).isEqualTo(3L);
        assertThat(ProtobufReader.number(integer, 10)).isEqualTo(0L);
        Map<Integer, List<Object>> varchar = ProtobufReader.decode((byte[]) columns.get(1));
        assertThat(ProtobufReader.number(varchar, 7)).isEqualTo(2147483647L);
        assertThat(ProtobufReader.number(varchar, 10)).isEqualTo(1L);
        Map<Integer, List<Object>> decimal = ProtobufReader.decode((byte[]) columns.get(2));
        assertThat(ProtobufReader.string(decimal, 6)).isEqualTo("decimal");
        assertThat(ProtobufReader.number(decimal, 7)).isEqualTo(10L);
        assertThat(ProtobufReader.number(decimal, 8)).isEqualTo(2L);
        Map<Integer, List<Object>> array = ProtobufReader.decode((byte[]) columns.get(3));
        assertThat(array).containsKeys(1, 4, 5, 6, 9).doesNotContainKeys(7, 8, 10);
        Map<Integer, List<Object>> date = ProtobufReader.decode((byte[]) columns.get(4));
        assertThat(date).containsKeys(8, 10).doesNotContainKey(7);
    }

    @Test
    void showWritesLinesToTxtWithoutAHeader() {
        QueryExecution q = c.run("SHOW TABLES IN files");

        assertThat(q.statementTypeAsString()).isEqualTo("UTILITY");
        assertThat(q.substatementType()).isEqualTo("SHOW_TABLES");
        assertThat(q.resultConfiguration().outputLocation()).endsWith(q.queryExecutionId() + ".txt");
        assertThat(c.object(q.resultConfiguration().outputLocation())).isEqualTo("items\ntarget");
        assertThat(c.exists(q.resultConfiguration().outputLocation() + ".metadata")).isTrue();
    }

    @Test
    void describeWritesHivePaddedColumns() {
        QueryExecution q = c.run("DESCRIBE files.items");

        assertThat(q.substatementType()).isEqualTo("DESCRIBE_TABLE");
        assertThat(c.object(q.resultConfiguration().outputLocation()))
                .isEqualTo("id                  \tbigint              \t                    ");
    }

    @Test
    void ddlWritesAnEmptyTxtAndNoMetadata() {
        QueryExecution q = c.run("CREATE DATABASE IF NOT EXISTS created_by_ddl");

        assertThat(q.statementTypeAsString()).isEqualTo("DDL");
        assertThat(q.substatementType()).isEqualTo("CREATE_DATABASE");
        assertThat(c.objectBytes(q.resultConfiguration().outputLocation())).isEmpty();
        assertThat(c.exists(q.resultConfiguration().outputLocation() + ".metadata")).isFalse();
        GetQueryResultsResponse results = c.athena.getQueryResults(b -> b.queryExecutionId(q.queryExecutionId()));
        assertThat(results.resultSet().rows()).isEmpty();
        assertThat(results.updateCount()).isNull();
    }

    @Test
    void insertLeavesOnlyMetadataAndReportsItsRowCount() {
        QueryExecution q = c.run("INSERT INTO files.target SELECT id FROM files.items");

        String location = q.resultConfiguration().outputLocation();
        assertThat(location).isEqualTo(StandInClients.OUTPUT + q.queryExecutionId());
        assertThat(q.substatementType()).isEqualTo("INSERT");
        assertThat(c.exists(location)).isFalse();
        Map<Integer, List<Object>> metadata = ProtobufReader.decode(c.objectBytes(location + ".metadata"));
        assertThat(ProtobufReader.string(metadata, 2)).isEqualTo("INSERT");
        assertThat(ProtobufReader.number(metadata, 3)).isEqualTo(3L);
        assertThat(c.athena.getQueryResults(b -> b.queryExecutionId(q.queryExecutionId())).updateCount())
                .isEqualTo(3L);
    }

    @Test
    void createTableAsSelectWritesMetadataUnderTables() {
        QueryExecution q = c.run("CREATE TABLE ctas.copied WITH (format = 'PARQUET') AS SELECT * FROM files.items");

        assertThat(q.substatementType()).isEqualTo("CREATE_TABLE_AS_SELECT");
        String location = q.resultConfiguration().outputLocation();
        assertThat(location).isEqualTo(StandInClients.OUTPUT + "tables/" + q.queryExecutionId());
        Map<Integer, List<Object>> metadata = ProtobufReader.decode(c.objectBytes(location + ".metadata"));
        assertThat(ProtobufReader.string(metadata, 2)).isEqualTo("CREATE TABLE");
        assertThat(ProtobufReader.number(metadata, 3)).isEqualTo(3L);
        assertThat(c.rows(c.run("SELECT count(*) AS n FROM ctas.copied").queryExecutionId()))
                .containsExactly(List.of("n"), List.of("3"));
    }
}
