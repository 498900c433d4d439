package io.sluice.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.sluice.task.TaskFixture.awaitEnd;
import static io.sluice.task.TaskFixture.submit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The requirement's properties of async federated tasks, each tried at least 100 times against a
 * real server with real SQLite datasources: the submitted {@code attach_databases} are stored
 * exactly (1); invalid ones are refused before any task exists (4); a finished federated task's
 * result names the aliases attached (5); a retry keeps the original databases (6); the stored SQL is
 * the submitted SQL trimmed (8).
 */
class TaskPropertiesTest {

    static final List<String> CONNECTIONS = List.of("lite-a", "lite-b", "lite-c");
    static Path dir;
    static TaskFixture fx;
    static ApiClient client;

    @BeforeContainer
    static void start() throws IOException, SQLException {
        dir = Files.createTempDirectory("task-properties");
        fx = new TaskFixture(dir);
        client = fx.alice;
        for (String id : CONNECTIONS) {
            Path file = fx.sqliteDir.resolve(id + ".db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE items (id INTEGER, name TEXT)");
                s.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two')");
            }
            ApiClient.Response r = client.post("/api/datasources", Map.of("id", id, "type", "sqlite",
                    "params", Map.of("path", file.toString())));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
    }

    @AfterContainer
    static void stop() {
        fx.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lists of 1..4 databases with distinct aliases (case ignored), each naming an existing datasource. */
    @Provide
    Arbitrary<List<Map<String, Object>>> validAttachments() {
        Arbitrary<String> alias = Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(20)
                .filter(a -> !List.of("workspace", "system", "temp", "main", "memory", "sluice").contains(a));
        return Combinators.combine(alias, Arbitraries.of(CONNECTIONS)).as(TaskPropertiesTest::attach)
                .list().ofMinSize(1).ofMaxSize(4)
                .uniqueElements(a -> a.get("alias").toString().toLowerCase());
    }

    /** A valid list with one entry broken: an empty or blank alias or connection id, or an alias repeated. */
    @Provide
    Arbitrary<List<Map<String, Object>>> invalidAttachments() {
        return Combinators.combine(validAttachments(), Arbitraries.integers().between(0, 3),
                Arbitraries.of("", " ", "\t")).as((list, how, blank) -> {
            List<Map<String, Object>> broken = new ArrayList<>(list);
            int at = Math.abs(how * 7919) % broken.size();
            Map<String, Object> entry = new LinkedHashMap<>(broken.get(at));
            switch (how) {
                case 0 -> entry.put("alias", blank);
                case 1 -> entry.put("connection_id", blank);
                case 2 -> entry.put("alias", entry.get("alias").toString().toUpperCase());
                default -> entry.remove("alias");
            }
            if (how == 2) {
                broken.add(entry); // the same alias twice (case ignored)
            } else {
                broken.set(at, entry);
            }
            return broken;
        });
    }

    @Property(tries = 100)
    void metadataKeepsTheExactAttachDatabases(@ForAll("validAttachments") List<Map<String, Object>> attach) {
        String id = submit(client, Map.of("sql", "SELECT 1 AS x", "attach_databases", attach));
        JsonNode stored = client.get("/api/async_tasks/" + id).data().path("metadata").path("attach_databases");
        assertThat(asList(stored)).isEqualTo(attach);
    }

    @Property(tries = 100)
    void invalidAttachDatabasesAreRefusedBeforeAnyTaskExists(
            @ForAll("invalidAttachments") List<Map<String, Object>> attach) {
        ApiClient carol = fx.alice.with("X-Email", "carol@example.com");
        ApiClient.Response r = carol.post("/api/async_query", Map.of("sql", "SELECT 1", "attach_databases", attach));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(carol.get("/api/async_tasks").data().path("items")).isEmpty();
    }

    @Property(tries = 100)
    void aFinishedFederatedTaskNamesTheAttachedAliasesAndARetryKeepsThem(
            @ForAll("validAttachments") List<Map<String, Object>> attach) {
        String first = "\"" + attach.get(0).get("alias") + "\""; // the alias may be an SQL keyword
        String id = submit(client, Map.of("sql", "SELECT count(*) AS n FROM " + first + ".items", "attach_databases", attach));
        JsonNode done = awaitEnd(client, id);
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("result_info").path("is_federated").asBoolean()).isTrue();
        assertThat(asStrings(done.path("result_info").path("attached_databases")))
                .isEqualTo(attach.stream().map(a -> a.get("alias").toString()).toList());

        String failing = submit(client, Map.of("sql", "SELECT * FROM " + first + ".no_such_table",
                "attach_databases", attach));
        assertThat(awaitEnd(client, failing).path("state").asText()).isEqualTo("FAILED");
        ApiClient.Response retry = client.post("/api/async_tasks/" + failing + "/retry");
        assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
        assertThat(asList(retry.data().path("metadata").path("attach_databases"))).isEqualTo(attach);
        awaitEnd(client, retry.data().path("task_id").asText());
    }

    @Property(tries = 100)
    void theStoredSqlIsTheSubmittedSqlTrimmed(@ForAll("padding") String before, @ForAll("padding") String after,
                                              @ForAll("text") String literal) {
        String sql = "SELECT '" + literal.replace("'", "''") + "' AS s";
        String id = submit(client, Map.of("sql", before + sql + after));
        assertThat(client.get("/api/async_tasks/" + id).data().path("metadata").path("sql").asText()).isEqualTo(sql);
    }

    @Provide
    Arbitrary<String> padding() {
        return Arbitraries.strings().withChars(' ', '\t', '\n', '\r').ofMaxLength(5);
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().all().excludeChars('\0').ofMaxLength(30)
                .filter(s -> s.codePoints().allMatch(cp -> !Character.isSurrogate((char) cp) || Character.isSupplementaryCodePoint(cp)))
                .filter(s -> !Character.isWhitespace(s.isEmpty() ? 'x' : s.charAt(s.length() - 1)));
    }

    private static Map<String, Object> attach(String alias, String connectionId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alias", alias);
        m.put("connection_id", connectionId);
        return m;
    }

    private static List<Map<String, Object>> asList(JsonNode array) {
        List<Map<String, Object>> list = new ArrayList<>();
        array.forEach(n -> list.add(attach(n.path("alias").asText(), n.path("connection_id").asText())));
        return list;
    }

    private static List<String> asStrings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
