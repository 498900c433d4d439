package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.AthenaException;
import software.amazon.awssdk.services.athena.model.InternalServerException;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.ThrottleReason;
import software.amazon.awssdk.services.athena.model.TooManyRequestsException;

/** Call faults reach a client as the real service's errors, and calls are counted. */
class FaultsTest {
    private static StandInClients c;
    private static AthenaClient noRetries;
    private static String finished;

    @BeforeAll
    static void start() {
        c = StandInClients.start(AthenaStandIn.builder());
        noRetries = StandInClients.athena(c.standIn, false);
        finished = c.run("SELECT 1").queryExecutionId();
    }

    @AfterAll
    static void stop() {
        noRetries.close();
        c.close();
    }

    @AfterEach
    void resetFaults() {
        c.standIn.faults().reset();
        c.standIn.calls().reset();
    }

    @Test
    void throttledCallsFailWithThrottlingExceptionRateExceeded() {
        c.standIn.faults().throttle(1.0, "GetQueryExecution");

        Throwable thrown = catchThrowable(() -> noRetries.getQueryExecution(b -> b.queryExecutionId(finished)));

        assertThat(thrown).isInstanceOf(AthenaException.class);
        AthenaException error = (AthenaException) thrown;
        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
        assertThat(error.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
        assertThat(error.isThrottlingException()).isTrue();
        // Other operations are not affected.
        assertThat(noRetries.getQueryResults(b -> b.queryExecutionId(finished)).resultSet().rows()).hasSize(2);
    }

    @Test
    void aShareOfCallsIsFaultedDeterministically() {
        c.standIn.faults().throttle(0.5, "GetQueryExecution");

        List<Boolean> failed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            failed.add(catchThrowable(() -> noRetries.getQueryExecution(b -> b.queryExecutionId(finished))) != null);
        }

        assertThat(failed).containsExactly(false, true, false, true, false, true);
    }

    @Test
    void theSdksRetriesGetThroughOccasionalThrottling() {
        c.standIn.faults().throttle(0.5, "GetQueryExecution");

        for (int i = 0; i < 4; i++) {
            assertThat(c.execution(finished).status().state()).isEqualTo(QueryExecutionState.SUCCEEDED);
        }
        assertThat(c.standIn.calls().count("GetQueryExecution")).isGreaterThan(4);
    }

    @Test
    void concurrencyLimitFaultsAreTooManyRequestsWithTheirReason() {
        c.standIn.faults().tooManyRequests(1.0, "StartQueryExecution");

        assertThatThrownBy(() -> noRetries.startQueryExecution(b -> b.queryString("SELECT 1")))
                .isInstanceOfSatisfying(TooManyRequestsException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ThrottleReason.CONCURRENT_QUERY_LIMIT_EXCEEDED);
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.isThrottlingException()).isTrue();
                });
    }

    @Test
    void internalErrorsAreHttp500() {
        c.standIn.faults().internalErrors(1.0);

        assertThatThrownBy(() -> noRetries.getQueryExecution(b -> b.queryExecutionId(finished)))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThatThrownBy(() -> noRetries.listDataCatalogs(b -> { }))
                .isInstanceOf(InternalServerException.class);
    }

    @Test
    void callsAreCountedPerOperationIncludingFaultedOnes() {
        c.standIn.faults().throttle(1.0, "BatchGetQueryExecution");
        for (int i = 0; i < 3; i++) {
            noRetries.getQueryExecution(b -> b.queryExecutionId(finished));
        }
        catchThrowable(() -> noRetries.batchGetQueryExecution(b -> b.queryExecutionIds(finished)));

        assertThat(c.standIn.calls().count("GetQueryExecution")).isEqualTo(3);
        assertThat(c.standIn.calls().count("BatchGetQueryExecution")).isEqualTo(1);
        assertThat(c.standIn.calls().total()).isEqualTo(4);
        assertThat(c.standIn.calls().snapshot()).containsEntry("GetQueryExecution", 3L);

        c.standIn.calls().reset();
        assertThat(c.standIn.calls().total()).isZero();
    }

    @Test
    void deniedAthenaCallsAreAccessDeniedWithHttp400NamingTheAction() {
        c.standIn.faults().deny("GetWorkGroup");

        assertThatThrownBy(() -> noRetries.getWorkGroup(b -> b.workGroup("primary")))
                .isInstanceOfSatisfying(AthenaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("not authorized to perform: athena:GetWorkGroup");
                });
        assertThat(noRetries.getQueryExecution(b -> b.queryExecutionId(finished)).queryExecution()).isNotNull();
        c.standIn.faults().reset();
        assertThat(noRetries.getWorkGroup(b -> b.workGroup("primary")).workGroup().name()).isEqualTo("primary");
    }

    @Test
    void deniedS3ActionsAreAccessDeniedWhileAthenaStillWritesResults() {
        c.standIn.faults().deny("s3:PutObject", "s3:DeleteObject");
        String key = "out/probe-" + StandInClients.token();

        assertThatThrownBy(() -> c.s3.putObject(b -> b.bucket(StandInClients.BUCKET).key(key),
                software.amazon.awssdk.core.sync.RequestBody.fromString("x")))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.s3.model.S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
        // Athena's own result writes are not S3 clients' writes.
        String id = c.run("SELECT 2 AS two").queryExecutionId();
        assertThat(c.object(StandInClients.OUTPUT + id + ".csv")).isEqualTo("\"two\"\n\"2\"\n");
        assertThatThrownBy(() -> c.s3.deleteObject(b -> b.bucket(StandInClients.BUCKET).key("out/" + id + ".csv")))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.s3.model.S3Exception.class,
                        e -> assertThat(e.statusCode()).isEqualTo(403));
        assertThat(c.exists(StandInClients.OUTPUT + id + ".csv")).isTrue();
    }

    @Test
    void anS3ReadRateMakesObjectBodiesComeNoFasterThanIt() {
        String key = "out/rate-" + StandInClients.token();
        byte[] body = new byte[1 << 20];
        java.util.Arrays.fill(body, (byte) 'x');
        c.s3.putObject(b -> b.bucket(StandInClients.BUCKET).key(key), software.amazon.awssdk.core.sync.RequestBody.fromBytes(body));
        c.standIn.faults().s3ReadRate(4L << 20); // 1 MB at 4 MB/s: at least a quarter of a second

        long started = System.nanoTime();
        byte[] read = c.s3.getObjectAsBytes(b -> b.bucket(StandInClients.BUCKET).key(key)).asByteArray();
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(read).isEqualTo(body);
        assertThat(millis).isGreaterThanOrEqualTo(230);
        assertThatThrownBy(() -> c.standIn.faults().s3ReadRate(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLostAnswerIsRetriedWithTheSameTokenAndStartsOneExecution() {
        c.standIn.faults().loseAnswers(1.0, "StartQueryExecution");
        String token = StandInClients.token();

        assertThatThrownBy(() -> noRetries.startQueryExecution(b -> b.queryString("SELECT 'lost_answer_marker'")
                .clientRequestToken(token))).isInstanceOf(InternalServerException.class);
        c.standIn.faults().reset();
        String id = noRetries.startQueryExecution(b -> b.queryString("SELECT 'lost_answer_marker'")
                .clientRequestToken(token)).queryExecutionId();

        assertThat(c.standIn.executionIds("lost_answer_marker")).containsExactly(id);
        assertThat(c.standIn.calls().count("StartQueryExecution")).isEqualTo(2);
    }

    @Test
    void batchSizesAreCounted() {
        noRetries.batchGetQueryExecution(b -> b.queryExecutionIds(finished));
        noRetries.batchGetQueryExecution(b -> b.queryExecutionIds(finished, finished));
        noRetries.batchGetQueryExecution(b -> b.queryExecutionIds(finished));

        assertThat(c.standIn.calls().batchSizes()).containsExactly(java.util.Map.entry(1, 2L),
                java.util.Map.entry(2, 1L));
    }
}
