package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;

/** The call log names each call's caller (from the user agent) and the query executions it named. */
class CallLogTest {

    @Test
    void everyCallThatNamesAQueryIsLoggedWithItsCaller() {
        try (StandInClients clients = StandInClients.start(AthenaStandIn.builder());
             AthenaClient instanceA = named(clients.standIn, "a-1");
             AthenaClient instanceB = named(clients.standIn, "b.2")) {
            String first = instanceA.startQueryExecution(b -> b.queryString("SELECT 1")
                    .resultConfiguration(r -> r.outputLocation(StandInClients.OUTPUT))).queryExecutionId();
            String second = clients.start("SELECT 2");
            instanceA.getQueryExecution(b -> b.queryExecutionId(first));
            instanceB.batchGetQueryExecution(b -> b.queryExecutionIds(first, second));
            instanceB.stopQueryExecution(b -> b.queryExecutionId(first));
            instanceA.getWorkGroup(b -> b.workGroup("primary"));

            List<CallLog.Call> calls = clients.standIn.callLog().calls();
            assertThat(calls).extracting(CallLog.Call::operation, CallLog.Call::caller, CallLog.Call::executionIds)
                    .containsExactly(
                            tuple("StartQueryExecution", "a-1", List.of(first)),
                            tuple("StartQueryExecution", "", List.of(second)),
                            tuple("GetQueryExecution", "a-1", List.of(first)),
                            tuple("BatchGetQueryExecution", "b.2", List.of(first, second)),
                            tuple("StopQueryExecution", "b.2", List.of(first)));
            assertThat(calls).extracting(CallLog.Call::sequence).isSorted().doesNotHaveDuplicates();
            assertThat(clients.standIn.callLog().pollersOf(first)).containsExactly("a-1", "b.2");
            assertThat(clients.standIn.callLog().pollersOf(second)).containsExactly("b.2");

            clients.standIn.callLog().reset();
            assertThat(clients.standIn.callLog().calls()).isEmpty();
        }
    }

    @Test
    void aUserAgentWithoutAnInstanceNamesNoCaller() {
        assertThat(CallLog.caller(null)).isEmpty();
        assertThat(CallLog.caller("aws-sdk-java/2.29 Linux/6")).isEmpty();
        assertThat(CallLog.caller("aws-sdk-java/2.29 sluice-instance/node_7 md/x")).isEqualTo("node_7");
    }

    private static AthenaClient named(AthenaStandIn standIn, String instance) {
        return AthenaClient.builder()
                .endpointOverride(standIn.athenaEndpoint())
                .region(Region.of(standIn.region()))
                .credentialsProvider(StandInClients.credentials(standIn))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX,
                        "sluice-instance/" + instance))
                .build();
    }
}
