package io.sluice.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Sluice with tasks and datasources on, identities through the proxy secret (users alice
 * and bob); SQLite datasource files may be in {@code <dir>/sqlite}.
 */
final class TaskFixture implements AutoCloseable {

    static final String SECRET = "proxy-secret-0123456789";

    final Path dir;
    final Path sqliteDir;
    final String key;
    final String federationMode;
    TestServer server;
    ApiClient alice;
    ApiClient bob;

    TaskFixture(Path dir) {
        this(dir, randomKey());
    }

    TaskFixture(Path dir, String key) {
        this(dir, key, "import");
    }

    TaskFixture(Path dir, String key, String federationMode) {
        this.federationMode = federationMode;
        this.dir = dir;
        this.sqliteDir = dir.resolve("sqlite");
        this.key = key;
        try {
            Files.createDirectories(sqliteDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    /** (Re)starts the server on the same folder. */
    void start() {
        server = TestServer.start(dir, this::configure, Clock.systemUTC());
        ApiClient proxied = server.client().with("X-Sluice-Proxy-Secret", SECRET);
        alice = proxied.with("X-Email", "alice@example.com");
        bob = proxied.with("X-Email", "bob@example.com");
    }

    void configure(ObjectNode c) {
        ObjectNode auth = c.putObject("auth").put("enabled", true).put("proxySecret", SECRET);
        auth.putArray("trustedProxies").add("10.255.255.0/24");
        ObjectNode ds = c.putObject("datasources").put("encryptionKey", key).put("connectTimeoutSeconds", 5);
        ds.putArray("sqliteDirectories").add(sqliteDir.toString());
        c.putObject("tasks").put("workers", 2);
        c.putObject("federation").put("mode", federationMode);
    }

    static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Submits a task and returns its id (asserting the 202). */
    static String submit(ApiClient client, Map<String, Object> body) {
        ApiClient.Response r = client.post("/api/async_query", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertThat(r.messageCode()).isEqualTo("TASK_SUBMITTED");
        return r.data().path("task_id").asText();
    }

    /** The task once it reached an end. */
    static JsonNode awaitEnd(ApiClient client, String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ApiClient.Response r = client.get("/api/async_tasks/" + id);
            last[0] = r.data();
            String state = r.data().path("state").asText();
            return state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED");
        });
        return last[0];
    }

    static void awaitState(ApiClient client, String id, String state) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                client.get("/api/async_tasks/" + id).data().path("state").asText().equals(state));
    }

    @Override
    public void close() {
        server.close();
    }
}
