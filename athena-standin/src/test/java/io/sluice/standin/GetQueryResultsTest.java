package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.ColumnNullable;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;

/** GetQueryResults pages like the real Athena's. */
class GetQueryResultsTest {
    private static StandInClients c;

    @BeforeAll
    static void start() {
        c = StandInClients.start(AthenaStandIn.builder());
        c.standIn.execute("CREATE SCHEMA paging; CREATE TABLE paging.numbers AS SELECT range AS n FROM range(2500)");
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    @AfterEach
    void resetFaults() {
        c.standIn.faults().reset();
    }

    @Test
    void dmlResultsStartWithTheColumnNamesRow() {
        String id = c.run("SELECT 7 AS seven, 'x' AS letter").queryExecutionId();

        assertThat(c.rows(id)).containsExactly(List.of("seven", "letter"), List.of("7", "x"));
    }

    @Test
    void utilityResultsHaveNoHeaderRow() {
        String id = c.run("SHOW TABLES IN paging").queryExecutionId();

        GetQueryResultsResponse page = c.athena.getQueryResults(b -> b.queryExecutionId(id));
        assertThat(c.rows(id)).containsExactly(List.of("numbers"));
        assertThat(page.resultSet().resultSetMetadata().columnInfo()).extracting(ColumnInfo::name, ColumnInfo::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tab_name", "string"));
        assertThat(page.updateCount()).isZero();
    }

    @Test
    void maxResultsCountsTheHeaderAndPagesEndWithAnEmptyPageAfterAFullOne() {
        String id = c.run("SELECT n FROM paging.numbers WHERE n < 4 ORDER BY n").queryExecutionId();

        GetQueryResultsResponse first = c.athena.getQueryResults(b -> b.queryExecutionId(id).maxResults(5));
        assertThat(first.resultSet().rows()).hasSize(5);
        assertThat(first.nextToken()).isNotNull();
        GetQueryResultsResponse last = c.athena.getQueryResults(b -> b.queryExecutionId(id).maxResults(5)
                .nextToken(first.nextToken()));
        assertThat(last.resultSet().rows()).isEmpty();
        assertThat(last.nextToken()).isNull();
    }

    @Test
    void defaultPagesHoldAThousandRowsAndThePartialLastPageHasNoToken() {
        String id = c.run("SELECT n FROM paging.numbers ORDER BY n").queryExecutionId();

        GetQueryResultsResponse first = c.athena.getQueryResults(b -> b.queryExecutionId(id));
        GetQueryResultsResponse second = c.athena.getQueryResults(b -> b.queryExecutionId(id)
                .nextToken(first.nextToken()));
        GetQueryResultsResponse third = c.athena.getQueryResults(b -> b.queryExecutionId(id)
                .nextToken(second.nextToken()));
        assertThat(List.of(first.resultSet().rows().size(), second.resultSet().rows().size(),
                third.resultSet().rows().size())).containsExactly(1000, 1000, 501);
        assertThat(second.resultSet().rows().get(0).data().get(0).varCharValue()).isEqualTo("999");
        assertThat(third.nextToken()).isNull();
        assertThat(c.rows(id)).hasSize(2501);
    }

    @Test
    void nullIsADatumWithoutValueAndEmptyStringIsEmpty() {
        String id = c.run("SELECT NULL::VARCHAR AS missing, '' AS empty").queryExecutionId();

        GetQueryResultsResponse page = c.athena.getQueryResults(b -> b.queryExecutionId(id));
        assertThat(page.resultSet().rows().get(1).data().get(0).varCharValue()).isNull();
        assertThat(page.resultSet().rows().get(1).data().get(1).varCharValue()).isEmpty();
    }

    @Test
    void columnInfoCarriesAthenaPrecisionAndScale() {
        String id = c.run("SELECT 1::INTEGER AS i, 2::BIGINT AS b, 1.5::DOUBLE AS d, 'x' AS v, true AS t, "
                + "DATE '2020-01-01' AS dt, TIMESTAMP '2020-01-01 00:00:00' AS ts, 3.10::DECIMAL(10,2) AS dec")
                .queryExecutionId();

        List<ColumnInfo> columns = c.athena.getQueryResults(b -> b.queryExecutionId(id)).resultSet()
                .resultSetMetadata().columnInfo();
        assertThat(columns).extracting(ColumnInfo::type).containsExactly("integer", "bigint", "double", "varchar",
                "boolean", "date", "timestamp", "decimal");
        assertThat(columns).extracting(ColumnInfo::precision).containsExactly(10, 19, 17, 2147483647, 0, 0, 3, 10);
        assertThat(columns).extracting(ColumnInfo::scale).containsExactly(0, 0, 0, 0, 0, 0, 0, 2);
        assertThat(columns).extracting(ColumnInfo::caseSensitive)
                .containsExactly(false, false, false, true, false, false, false, false);
        assertThat(columns).allSatisfy(column -> {
            assertThat(column.catalogName()).isEqualTo("hive");
            assertThat(column.schemaName()).isEmpty();
            assertThat(column.tableName()).isEmpty();
            assertThat(column.label()).isEqualTo(column.name());
            assertThat(column.nullable()).isEqualTo(ColumnNullable.UNKNOWN);
        });
    }

    @Test
    void explainStartsWithTheQueryPlanHeader() {
        String id = c.run("EXPLAIN SELECT * FROM paging.numbers").queryExecutionId();

        List<List<String>> rows = c.rows(id);
        assertThat(rows.get(0)).containsExactly("Query Plan");
        assertThat(rows).hasSizeGreaterThan(1);
    }

    @Test
    void malformedTokenIsRejected() {
        String id = c.run("SELECT 1").queryExecutionId();

        assertThatThrownBy(() -> c.athena.getQueryResults(b -> b.queryExecutionId(id).nextToken("abc")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.athenaErrorCode()).isEqualTo("INVALID_INPUT");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Malformed nextPageToken abc");
                });
    }

    @Test
    void moreThanAThousandRowsAPageIsRefused() {
        String id = c.run("SELECT 1").queryExecutionId();

        assertThatThrownBy(() -> c.athena.getQueryResults(b -> b.queryExecutionId(id).maxResults(1001)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).isEqualTo("MaxResults is more than maximum allowed length 1000"));
    }

    @Test
    void unfinishedFailedAndCancelledQueriesHaveNoResults() {
        c.standIn.faults().holdMatching("held-for-results");
        String running = c.start("SELECT 'held-for-results'");
        c.await(running, QueryExecutionState.RUNNING);
        assertThatThrownBy(() -> c.athena.getQueryResults(b -> b.queryExecutionId(running)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.athenaErrorCode()).isEqualTo("INVALID_QUERY_EXECUTION_STATE");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Query has not yet finished. Current state: RUNNING");
                });

        c.athena.stopQueryExecution(b -> b.queryExecutionId(running));
        assertThatThrownBy(() -> c.athena.getQueryResults(b -> b.queryExecutionId(running)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.athenaErrorCode()).isEqualTo("RESULT_NOT_FOUND");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Could not find results");
                });

        String failed = c.start("SELECT * FROM paging.no_such_table");
        c.await(failed, QueryExecutionState.FAILED);
        assertThatThrownBy(() -> c.athena.getQueryResults(b -> b.queryExecutionId(failed)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.athenaErrorCode()).isEqualTo("INVALID_QUERY_EXECUTION_STATE");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Query did not finish successfully. Final query state: FAILED");
                });
    }

    @Test
    void unknownQueryIsNotFound() {
        assertThatThrownBy(() -> c.athena.getQueryResults(b -> b.queryExecutionId("00000000-0000-0000-0000-000000000000")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.athenaErrorCode()).isEqualTo("QUERY_EXECUTION_NOT_FOUND");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("QueryExecution 00000000-0000-0000-0000-000000000000 was not found");
                });
    }
}
