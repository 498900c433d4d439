package io.sluice.standin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class TimingProbeTest {
    @Test
    void probe() throws Exception {
        try (StandInClients c = StandInClients.start(AthenaStandIn.builder())) {
            c.standIn.faults().holdMatching("many-held");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int round = 0; round < 2; round++) {
                long t0 = System.nanoTime();
                List<String> ids = new ArrayList<>();
                ExecutorService submitters = Executors.newFixedThreadPool(4);
                List<Future<String>> started = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    String body = "{\"QueryString\":\"SELECT 'many-held' AS marker, " + i + " AS i\",\"ClientRequestToken\":\"" + UUID.randomUUID() + "\"}";
                    HttpRequest req = HttpRequest.newBuilder(URI.create(c.standIn.athenaEndpoint() + "/"))
                        .header("X-Amz-Target", "AmazonAthena.StartQueryExecution").POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    started.add(submitters.submit(() -> Json.MAPPER.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body()).get("QueryExecutionId").asText()));
                }
                for (Future<String> f : started) ids.add(f.get());
                submitters.shutdown();
                long t1 = System.nanoTime();
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> ids.stream().allMatch(id -> c.standIn.query(id).phase() == QueryExecution.Phase.HELD));
                long t2 = System.nanoTime();
                c.standIn.faults().releaseHeld();
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> ids.stream().allMatch(id -> c.standIn.query(id).state() == QueryState.SUCCEEDED));
                long t3 = System.nanoTime();
                System.out.printf("start %d ms, held %d ms, released %d ms%n", (t1 - t0) / 1000000, (t2 - t1) / 1000000, (t3 - t2) / 1000000);
            }
        }
    }
}
