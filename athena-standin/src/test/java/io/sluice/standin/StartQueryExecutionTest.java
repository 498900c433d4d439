package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;

/** StartQueryExecution's checks, idempotency and failures, as the real Athena has them. */
class StartQueryExecutionTest {
    private static StandInClients c;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        c = StandInClients.start(AthenaStandIn.builder());
        c.standIn.execute("CREATE SCHEMA starting; CREATE TABLE starting.t AS SELECT 1 AS x");
        c.standIn.workGroup("no-output", null, null, false);
        c.standIn.workGroup("enforced", "s3://athena-results/enforced/", null, true);
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    @Test
    void idsAreLowerCaseUuids() {
        assertThat(c.start("SELECT 1")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void theSameTokenGivesTheSameIdEvenAfterTheQueryFinished() {
        String token = StandInClients.token();
        String first = start("SELECT 1", "starting", StandInClients.OUTPUT, token);
        c.await(first, QueryExecutionState.SUCCEEDED);

        assertThat(start("SELECT 1", "starting", StandInClients.OUTPUT, token)).isEqualTo(first);
    }

    @Test
    void theSameTokenWithOtherParametersIsAMismatch() {
        String token = StandInClients.token();
        start("SELECT 1", "starting", StandInClients.OUTPUT, token);

        for (Runnable changed : new Runnable[] {
                () -> start("SELECT 2", "starting", StandInClients.OUTPUT, token),
                () -> start("SELECT 1", "default", StandInClients.OUTPUT, token),
                () -> start("SELECT 1", "starting", "s3://athena-results/elsewhere/", token)}) {
            assertThatThrownBy(changed::run).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                assertThat(e.athenaErrorCode()).isEqualTo("IDEMPOTENT_PARAMETER_MISMATCH");
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Idempotent parameters do not match");
            });
        }
    }

    @Test
    void syntaxErrorsAreAnsweredAtOnceWithoutAnIdAndDoNotUseUpTheToken() {
        String token = StandInClients.token();

        assertThatThrownBy(() -> start("SELEC 1", null, StandInClients.OUTPUT, token))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.athenaErrorCode()).isEqualTo("MALFORMED_QUERY");
                    assertThat(e.awsErrorDetails().errorMessage()).startsWith("line 1:1: ").contains("SELEC");
                });
        assertThatThrownBy(() -> c.start("SELECT * FROM\n starting.t WHERE"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).startsWith("line 2:").contains("syntax error"));
        assertThatThrownBy(() -> c.start("SELECT 1; SELECT 2"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(
                        e.athenaErrorCode()).isEqualTo("MALFORMED_QUERY"));
        assertThat(start("SELECT 1", null, StandInClients.OUTPUT, token)).isNotBlank();
    }

    @Test
    void anUnknownWorkGroupIsRefused() {
        assertThatThrownBy(() -> c.athena.startQueryExecution(b -> b.queryString("SELECT 1").workGroup("nope")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.athenaErrorCode()).isEqualTo("INVALID_INPUT");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("WorkGroup is not found.");
                });
    }

    @Test
    void aQueryNeedsAnOutputLocationFromTheRequestOrTheWorkGroup() {
        assertThatThrownBy(() -> c.athena.startQueryExecution(b -> b.queryString("SELECT 1").workGroup("no-output")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.athenaErrorCode()).isEqualTo("INVALID_INPUT");
                    assertThat(e.awsErrorDetails().errorMessage()).startsWith("No output location provided.");
                });
        assertThatThrownBy(() -> c.athena.startQueryExecution(b -> b.queryString("SELECT 1")
                .resultConfiguration(r -> r.outputLocation("not-a-valid-s3-path"))))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).isEqualTo("outputLocation is not a valid S3 path."));
    }

    @Test
    void anEnforcingWorkGroupOverridesTheRequestedOutputLocation() {
        String id = c.athena.startQueryExecution(b -> b.queryString("SELECT 1").workGroup("enforced")
                .resultConfiguration(r -> r.outputLocation("s3://athena-results/ignored/"))).queryExecutionId();

        QueryExecution q = c.await(id, QueryExecutionState.SUCCEEDED);
        assertThat(q.resultConfiguration().outputLocation()).isEqualTo("s3://athena-results/enforced/" + id + ".csv");
        assertThat(q.workGroup()).isEqualTo("enforced");
    }

    @Test
    void runtimeFailuresEndFailedWithAnAthenaError() {
        String id = c.start("SELECT * FROM nope", "starting");

        QueryExecution q = c.await(id, QueryExecutionState.FAILED);
        assertThat(q.status().stateChangeReason())
                .isEqualTo("TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.starting.nope' does not exist");
        assertThat(q.status().athenaError().errorCategory()).isEqualTo(2);
        assertThat(q.status().athenaError().errorType()).isEqualTo(1006);
        assertThat(q.status().athenaError().retryable()).isFalse();
        assertThat(q.status().athenaError().errorMessage()).isEqualTo(q.status().stateChangeReason());
        assertThat(q.status().completionDateTime()).isNotNull();
        assertThat(q.statistics().dataScannedInBytes()).isZero();
        assertThat(c.exists(q.resultConfiguration().outputLocation())).isFalse();
        assertThat(c.exists(q.resultConfiguration().outputLocation() + ".metadata")).isFalse();
    }

    @Test
    void theQueryDatabaseAndExecutionParametersApply() {
        String id = c.athena.startQueryExecution(b -> b.queryString("SELECT x + ? AS y FROM t WHERE x = ?")
                .executionParameters("10", "1").queryExecutionContext(q -> q.database("starting")))
                .queryExecutionId();

        c.await(id, QueryExecutionState.SUCCEEDED);
        assertThat(c.rows(id)).containsExactly(java.util.List.of("y"), java.util.List.of("11"));
        assertThat(c.execution(id).queryExecutionContext().database()).isEqualTo("starting");
        assertThat(c.execution(id).queryExecutionContext().catalog()).isEqualTo("awsdatacatalog");
    }

    @Test
    void rawProtocolErrorsHaveAthenasShape() throws Exception {
        HttpResponse<String> noTarget = post(null, "{}");
        assertThat(noTarget.statusCode()).isEqualTo(400);
        assertThat(noTarget.body()).isEqualTo("{\"__type\":\"UnknownOperationException\"}");
        assertThat(noTarget.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");

        HttpResponse<String> wrongType = post("GetQueryResults", "{\"QueryExecutionId\":\"x\",\"MaxResults\":\"1\"}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(wrongType.body())
                .isEqualTo("{\"__type\":\"SerializationException\",\"Message\":\"STRING_VALUE can not be converted to an Integer\"}");

        HttpResponse<String> missing = post("GetQueryExecution", "{}");
        JsonNode body = Json.MAPPER.readTree(missing.body());
        assertThat(body.get("__type").asText()).isEqualTo("InvalidRequestException");
        assertThat(body.get("AthenaErrorCode").asText()).isEqualTo("INVALID_INPUT");
        assertThat(body.get("ErrorCode").asText()).isEqualTo("INVALID_INPUT");
        assertThat(body.get("Message").asText()).isEqualTo("1 validation error detected: Value null at "
                + "'queryExecutionId' failed to satisfy constraint: Member must not be null");

        HttpResponse<String> garbage = post("GetQueryExecution", "{");
        assertThat(garbage.body()).isEqualTo("{\"__type\":\"SerializationException\"}");

        HttpResponse<String> noToken = post("StartQueryExecution", "{\"QueryString\":\"SELECT 1\"}");
        assertThat(Json.MAPPER.readTree(noToken.body()).get("Message").asText())
                .isEqualTo("clientRequestToken is null or empty");

        HttpResponse<String> started = post("StartQueryExecution", "{\"QueryString\":\"SELECT 1\","
                + "\"ClientRequestToken\":\"" + "0123456789abcdef0123456789abcdef" + "\"}");
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(started.body()).get("QueryExecutionId").asText()).hasSize(36);
    }

    @Test
    void timestampsAreEpochSecondsWithAFraction() throws Exception {
        String id = c.run("SELECT 1").queryExecutionId();

        String body = post("GetQueryExecution", "{\"QueryExecutionId\":\"" + id + "\"}").body();
        assertThat(body).containsPattern("\"SubmissionDateTime\":\\d{10}\\.\\d{3}[,}]")
                .containsPattern("\"CompletionDateTime\":\\d{10}\\.\\d{3}[,}]");
    }

    private static String start(String sql, String database, String output, String token) {
        return c.athena.startQueryExecution(b -> b.queryString(sql).clientRequestToken(token)
                .queryExecutionContext(q -> q.database(database))
                .resultConfiguration(r -> r.outputLocation(output))).queryExecutionId();
    }

    private static HttpResponse<String> post(String operation, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(c.standIn.athenaEndpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (operation != null) {
            request.header("X-Amz-Target", "AmazonAthena." + operation);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
