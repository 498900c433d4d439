package io.sluice.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The store contract on H2 files, as the embedded default uses it. */
class H2QueryStoreTest extends QueryStoreContract {

    private Path dir;

    @Override
    protected void startServer() throws IOException {
        dir = Files.createTempDirectory("sluice-h2-store");
    }

    @Override
    protected Connection createEmptyDatabase(String name) {
        return new Connection("jdbc:h2:file:" + dir.resolve(name).toAbsolutePath(), "sa", "");
    }

    @Override
    protected void stopServer() throws IOException {
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
