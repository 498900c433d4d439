package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;

/** The standalone process's contract with scripts: options in, one JSON line out. */
class StandaloneMainTest {
    @Test
    void printsOneJsonLineWithEndpointsAndServesTheSampleData() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (AthenaStandIn standIn = StandaloneMain.start(new String[] {"--bucket", "tour-results", "--sample-data"},
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed).endsWith("\n").doesNotContain("\n\n");
            JsonNode line = Json.MAPPER.readTree(printed);
            assertThat(line.get("athenaEndpoint").asText()).isEqualTo(standIn.athenaEndpoint().toString());
            assertThat(line.get("s3Endpoint").asText()).startsWith("http://127.0.0.1:");
            assertThat(line.get("region").asText()).isEqualTo("us-east-1");
            assertThat(line.get("accessKeyId").asText()).isEqualTo(standIn.accessKeyId());
            assertThat(line.get("secretAccessKey").asText()).isEqualTo(standIn.secretAccessKey());
            assertThat(line.get("outputLocation").asText()).isEqualTo("s3://tour-results/results/");

            StandInClients c = new StandInClients(standIn);
            String id = c.start("SELECT count(*) AS n FROM events");
            c.await(id, QueryExecutionState.SUCCEEDED);
            assertThat(c.rows(id)).containsExactly(List.of("n"), List.of("1000"));
            assertThat(c.execution(id).statistics().dataScannedInBytes()).isEqualTo(100_000);
            c.close();
        }
    }

    @Test
    void unknownOptionsAreRefused() {
        assertThatThrownBy(() -> StandaloneMain.start(new String[] {"--nope"}, System.out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--nope");
    }
}
