package io.sluice.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One real Sluice per test class, in its own temporary folder:
 * {@code @RegisterExtension static final SluiceExtension sluice = new SluiceExtension();}
 */
public final class SluiceExtension implements BeforeAllCallback, AfterAllCallback {

    private final Consumer<ObjectNode> tweak;
    private final Clock clock;
    private Path dir;
    private TestServer server;

    public SluiceExtension() {
        this(c -> { }, Clock.systemUTC());
    }

    public SluiceExtension(Consumer<ObjectNode> tweak, Clock clock) {
        this.tweak = tweak;
        this.clock = clock;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("sluice-test-");
        server = TestServer.start(dir, tweak, clock);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            delete(dir);
        }
    }

    public ApiClient api() {
        return server.client();
    }

    public TestServer server() {
        return server;
    }

    /** The server's folder (store, results, DuckDB file). */
    public Path dir() {
        return dir;
    }

    private static void delete(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
