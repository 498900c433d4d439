package io.sluice;

import io.sluice.config.SluiceConfig;
import io.sluice.datasource.DatasourceRekey;
import io.sluice.datasource.JdbcDatasourceStore;
import io.sluice.datasource.PasswordCipher;
import io.sluice.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code sluice --config FILE rekey-datasources --new-key-env NEW [--old-key-env OLD]}: re-encrypts
 * every stored datasource password under the key in environment variable NEW, in one transaction.
 * The old key is the one in OLD, else the configured {@code datasources.encryptionKey}. Keys are
 * read from the environment only, so they never appear in a process list or a shell history.
 */
@Command(name = "rekey-datasources", mixinStandardHelpOptions = true,
        description = "Re-encrypt every stored datasource password under a new key (stop every instance first).")
final class RekeyDatasourcesCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--new-key-env", required = true, paramLabel = "VAR",
            description = "environment variable holding the new key (base64 of 32 bytes)")
    String newKeyEnv;

    @Option(names = "--old-key-env", paramLabel = "VAR",
            description = "environment variable holding the current key (default: datasources.encryptionKey)")
    String oldKeyEnv;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        SluiceConfig config = main.load(err);
        if (config == null) {
            return Main.EXIT_BAD_CONFIG;
        }
        Optional<String> oldKey = oldKeyEnv != null ? Optional.ofNullable(main.env.get(oldKeyEnv))
                : config.datasources().encryptionKey();
        String newKey = main.env.get(newKeyEnv);
        if (oldKey.isEmpty()) {
            return refuse(err, oldKeyEnv != null ? "environment variable " + oldKeyEnv + " is not set"
                    : "no old key: give --old-key-env or configure datasources.encryptionKey");
        }
        if (newKey == null) {
            return refuse(err, "environment variable " + newKeyEnv + " is not set");
        }
        Optional<String> weakOld = PasswordCipher.weakness(oldKey.get());
        if (weakOld.isPresent()) {
            return refuse(err, "the old key " + weakOld.get());
        }
        Optional<String> weakNew = PasswordCipher.weakness(newKey);
        if (weakNew.isPresent()) {
            return refuse(err, "the new key " + weakNew.get());
        }
        if (oldKey.get().trim().equals(newKey.trim())) {
            return refuse(err, "the new key is the old key");
        }
        SluiceConfig.Store s = config.store();
        try (Database database = Database.open(s.url(), s.user(), s.password(), 2)) {
            int count = DatasourceRekey.run(new JdbcDatasourceStore(database, Json.mapper()),
                    PasswordCipher.fromBase64(oldKey.get()), PasswordCipher.fromBase64(newKey));
            err.println("re-encrypted " + count + " datasource password(s); start Sluice with the new key");
            err.flush();
            return 0;
        } catch (RuntimeException e) {
            return refuse(err, e.getMessage());
        }
    }

    private static int refuse(PrintWriter err, String why) {
        err.println("rekey-datasources failed: " + why);
        err.flush();
        return Main.EXIT_START_FAILED;
    }
}
