package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;

/**
 * The server module runs Javalin 7 (Jetty 12), the AWS SDK and this stand-in (s3proxy with its
 * own relocated Jetty) in one JVM; all three must start and serve side by side.
 */
class ClasspathCoexistenceTest {
    @Test
    void javalinTheSdkAndTheStandInServeInOneJvm() throws Exception {
        Javalin app = Javalin.create(config -> config.routes.get("/ping", ctx -> ctx.result("pong")))
                .start("127.0.0.1", 0);
        try (StandInClients c = StandInClients.start(AthenaStandIn.builder())) {
            HttpResponse<String> ping = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/ping")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ping.body()).isEqualTo("pong");

            String id = c.start("SELECT 42 AS answer");
            c.await(id, QueryExecutionState.SUCCEEDED);
            assertThat(c.object(c.execution(id).resultConfiguration().outputLocation())).isEqualTo("\"answer\"\n\"42\"\n");
        } finally {
            app.stop();
        }
    }
}
