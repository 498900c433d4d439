package io.sluice;

import io.sluice.config.ConfigException;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.datasource.JdbcDatasourceStore;
import io.sluice.datasource.PasswordCipher;
import io.sluice.datasource.StoredDatasource;
import io.sluice.store.Database;
import io.sluice.testing.ApiClient;
import io.sluice.testing.TestServer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The datasource key at start-up (missing, weak, not the stored passwords' key: Sluice does not
 * start) and the {@code rekey-datasources} command that moves every stored password to a new key.
 */
class RekeyDatasourcesTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    @Test
    void startUpRefusesAMissingOrWeakKey() throws Exception {
        List<String> problems = problems(c -> c.putObject("datasources").put("enabled", true));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("datasources.encryptionKey is required"));
        String allSame = Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(problems(c -> c.putObject("datasources").put("encryptionKey", allSame)))
                .anySatisfy(p -> assertThat(p).startsWith("datasources.encryptionKey is weak"));
        String short16 = Base64.getEncoder().encodeToString(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        assertThat(problems(c -> c.putObject("datasources").put("encryptionKey", short16)))
                .anySatisfy(p -> assertThat(p).contains("decodes to 16 bytes").doesNotContain(short16));
        assertThat(problems(c -> c.putObject("auth").putArray("admins").add("not an email")))
                .anySatisfy(p -> assertThat(p).startsWith("auth.admins has"));

        // Without a key and not enabled, there are no datasource routes; defaults are pinned.
        SluiceConfig plain = TestServer.config(dir, c -> { });
        assertThat(plain.datasources().enabled()).isFalse();
        assertThat(plain.datasources().connectTimeout()).hasSeconds(10);
        assertThat(plain.auth().admins()).isEmpty();

        // Through the command line: exit status 2, the key variable named, its value never shown.
        Path file = writeConfig("${SLUICE_DATASOURCE_KEY}");
        assertThat(main(Map.of()).execute("--config", file.toString(), "--check")).isEqualTo(2);
        assertThat(err.toString()).contains("SLUICE_DATASOURCE_KEY, which is not set");
        assertThat(main(Map.of("SLUICE_DATASOURCE_KEY", allSame)).execute("--config", file.toString(), "--check"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("datasources.encryptionKey is weak").doesNotContain(allSame);
    }

    @Test
    void rekeyMovesEveryPasswordToTheNewKeyAndTheOldKeyNoLongerOpensThem() throws Exception {
        String oldKey = key();
        String newKey = key();
        Path file = writeConfig("${SLUICE_DATASOURCE_KEY}");
        SluiceConfig withOld = load(file, Map.of("SLUICE_DATASOURCE_KEY", oldKey));
        try (TestServer server = TestServer.start(withOld, Clock.systemUTC())) {
            ApiClient api = server.client();
            for (String id : List.of("one", "two")) {
                assertThat(api.post("/api/datasources", Map.of("id", id, "type", "postgresql", "params", Map.of(
                        "host", "127.0.0.1", "database", "d", "user", "u", "password", "pw-" + id))).status())
                        .isEqualTo(201);
            }
            assertThat(api.post("/api/datasources", Map.of("id", "nopw", "type", "postgresql", "params", Map.of(
                    "host", "127.0.0.1", "database", "d", "user", "u"))).status()).isEqualTo(201);
        }

        // A new key that is weak, or missing, changes nothing.
        Map<String, String> env = Map.of("SLUICE_DATASOURCE_KEY", oldKey, "NEW_KEY", newKey,
                "WEAK_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        assertThat(main(env).execute("--config", file.toString(), "rekey-datasources", "--new-key-env", "WEAK_KEY"))
                .isEqualTo(1);
        assertThat(main(env).execute("--config", file.toString(), "rekey-datasources", "--new-key-env", "NOPE"))
                .isEqualTo(1);
        // The wrong old key changes nothing either.
        assertThat(main(Map.of("SLUICE_DATASOURCE_KEY", oldKey, "NEW_KEY", newKey, "OTHER", key()))
                .execute("--config", file.toString(), "rekey-datasources", "--old-key-env", "OTHER",
                        "--new-key-env", "NEW_KEY")).isEqualTo(1);
        assertThat(err.toString()).contains("does not open with the old key").doesNotContain(oldKey).doesNotContain(newKey);
        assertThat(opened(withOld, oldKey)).containsExactlyInAnyOrder("pw-one", "pw-two");

        assertThat(main(env).execute("--config", file.toString(), "rekey-datasources", "--new-key-env", "NEW_KEY"))
                .isEqualTo(0);
        assertThat(err.toString()).contains("re-encrypted 2 datasource password(s)");
        assertThat(opened(withOld, newKey)).containsExactlyInAnyOrder("pw-one", "pw-two");
        assertThatThrownBy(() -> opened(withOld, oldKey)).isInstanceOf(PasswordCipher.WrongKeyException.class);

        // Sluice refuses to start with the old key now, and starts with the new one.
        assertThatThrownBy(() -> TestServer.start(withOld, Clock.systemUTC()))
                .hasMessageContaining("does not decrypt 2 stored datasource password(s)");
        try (TestServer server = TestServer.start(load(file, Map.of("SLUICE_DATASOURCE_KEY", newKey)), Clock.systemUTC())) {
            assertThat(server.client().get("/api/datasources").data().path("items")).hasSize(3);
        }
    }

    private List<String> opened(SluiceConfig config, String key) {
        PasswordCipher cipher = PasswordCipher.fromBase64(key);
        SluiceConfig.Store s = config.store();
        try (Database db = Database.open(s.url(), s.user(), s.password(), 2)) {
            return new JdbcDatasourceStore(db, Json.mapper()).allWithPasswords().stream()
                    .map(d -> cipher.open(d.sealedPassword().orElseThrow(), d.datasource().owner(), d.datasource().id()))
                    .toList();
        }
    }

    private CommandLine main(Map<String, String> env) {
        Main main = new Main();
        main.env = env;
        return new CommandLine(main).setErr(new PrintWriter(err, true));
    }

    private Path writeConfig(String key) throws Exception {
        ObjectNode tree = TestServer.configTree(dir);
        tree.putObject("datasources").put("encryptionKey", key);
        return Files.writeString(dir.resolve("sluice.json"), tree.toString());
    }

    private SluiceConfig load(Path file, Map<String, String> env) {
        return new ConfigLoader(Json.mapper(), env).load(file);
    }

    private List<String> problems(java.util.function.Consumer<ObjectNode> tweak) {
        return catchThrowableOfType(ConfigException.class, () -> TestServer.config(dir, tweak)).problems();
    }

    private static String key() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
