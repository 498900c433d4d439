package io.sluice.datasource;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.TestServer;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real Sluice with datasources enabled and identities through the proxy secret: users alice and
 * bob, and the admin {@code admin@example.com}; SQLite files may be in {@code <dir>/sqlite}.
 */
final class DatasourceFixture implements AutoCloseable {

    static final String SECRET = "proxy-secret-0123456789";
    static final String ADMIN = "admin@example.com";

    final Path dir;
    final Path sqliteDir;
    final String key;
    final TestServer server;
    final ApiClient alice;
    final ApiClient bob;
    final ApiClient admin;

    DatasourceFixture(Path dir) {
        this.dir = dir;
        this.sqliteDir = dir.resolve("sqlite");
        this.key = randomKey();
        try {
            Files.createDirectories(sqliteDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = TestServer.start(dir, this::configure, Clock.systemUTC());
        ApiClient proxied = server.client().with("X-Sluice-Proxy-Secret", SECRET);
        alice = proxied.with("X-Email", "alice@example.com");
        bob = proxied.with("X-Email", "bob@example.com");
        admin = proxied.with("X-Email", ADMIN);
    }

    void configure(ObjectNode c) {
        ObjectNode auth = c.putObject("auth").put("enabled", true).put("proxySecret", SECRET);
        auth.putArray("trustedProxies").add("10.255.255.0/24");
        auth.putArray("admins").add(ADMIN);
        ObjectNode ds = c.putObject("datasources").put("encryptionKey", key).put("connectTimeoutSeconds", 5);
        ds.putArray("sqliteDirectories").add(sqliteDir.toString());
    }

    static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A real SQLite database file with one table. */
    static Path sqliteFile(Path file) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x INTEGER)");
            s.execute("INSERT INTO t VALUES (1)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    /** A loopback port nothing listens on: bound, then closed. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> network(String id, String type, String host, int port, String database, String user,
                                       String password) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("host", host);
        params.put("port", port);
        params.put("database", database);
        params.put("user", user);
        if (password != null) {
            params.put("password", password);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (id != null) {
            body.put("id", id);
        }
        body.put("type", type);
        body.put("params", params);
        return body;
    }

    static Map<String, Object> sqlite(String id, String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (id != null) {
            body.put("id", id);
        }
        body.put("type", "sqlite");
        body.put("params", Map.of("path", path));
        return body;
    }

    /** Sluice's own loggers at DEBUG while {@code work} runs, so a capture sees everything they say. */
    static void verbosely(Runnable work) {
        Logger sluice = (Logger) LoggerFactory.getLogger("io.sluice");
        Level before = sluice.getLevel();
        sluice.setLevel(Level.DEBUG);
        try {
            work.run();
        } finally {
            sluice.setLevel(before);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
