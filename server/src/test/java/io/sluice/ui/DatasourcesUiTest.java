package io.sluice.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Route;
import io.sluice.Json;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.Test;

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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data sources panel in a real headless Chromium against a real Sluice with datasources on (an
 * encryption key and a folder SQLite files may be in, so no external database is needed): create a
 * SQLite datasource and test it, a missing file's ATTACH_FAILED with the database's own reason,
 * edit, delete after a confirmation, and a password that never comes back into the page.
 */
class DatasourcesUiTest extends UiTestSupport {

    private Path sqliteDir;
    private Path itemsDb;

    @Override
    protected TestServer startServer(Path dir) {
        sqliteDir = dir.resolve("sqlite");
        try {
            Files.createDirectories(sqliteDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        itemsDb = sqliteFile(sqliteDir.resolve("items.db"));
        return TestServer.start(dir, this::configure, Clock.systemUTC());
    }

    /**
     * Datasources on: an encryption key (base64 of 32 random bytes) and the one folder SQLite files
     * may be in; async tasks off, so the panel is seen on its own.
     */
    private void configure(ObjectNode config) {
        config.putObject("tasks").put("enabled", false);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        ObjectNode ds = config.putObject("datasources")
                .put("encryptionKey", Base64.getEncoder().encodeToString(key))
                .put("connectTimeoutSeconds", 5);
        ds.putArray("sqliteDirectories").add(sqliteDir.toString());
    }

    /** A real SQLite database with a table of three items. */
    static Path sqliteFile(Path file) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL)");
            s.execute("INSERT INTO items VALUES (1, 'apple', 0.5), (2, 'pear', 0.75), (3, 'plum', 1.25)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    private static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void openPanel() {
        tid("side-tab-datasources").click();
        assertThat(tid("datasources-panel")).isVisible();
    }

    private Locator item(String id) {
        return page.locator("[data-testid=datasource-item][data-id='" + id + "']");
    }

    private void createSqlite(String id, String path) {
        tid("datasource-new").click();
        assertThat(tid("datasource-form")).hasAttribute("data-mode", "create");
        tid("ds-id").fill(id);
        tid("ds-type").selectOption("sqlite");
        assertThat(tid("ds-host")).isHidden();
        assertThat(tid("ds-password")).isHidden();
        tid("ds-path").fill(path);
        tid("datasource-save").click();
        assertThat(tid("datasource-form")).isHidden();
        assertThat(item(id)).isVisible();
    }

    @Test
    void createsTestsEditsAndDeletesSqliteDatasources() {
        openPanel();
        String good = uniqueId("lite");
        createSqlite(good, itemsDb.toString());
        Locator created = item(good);
        assertThat(created).hasAttribute("data-type", "sqlite");
        assertThat(created.getByTestId("datasource-type")).hasText("SQLite");
        assertThat(created.getByTestId("datasource-summary")).hasText(itemsDb.toString());
        assertThat(created.getByTestId("datasource-password-set")).hasCount(0);
        JsonNode stored = api.get("/api/datasources/" + good).data();
        assertThat(stored.path("params").path("path").asText()).isEqualTo(itemsDb.toString());

        // Test connection: the file opens.
        created.getByTestId("datasource-test").click();
        Locator ok = created.getByTestId("datasource-test-result");
        assertThat(ok).hasAttribute("data-outcome", "ok");
        assertThat(ok).hasAttribute("data-message-code", "CONNECTION_TEST_SUCCEEDED");
        assertThat(ok).containsText("The connection works");

        // A file that does not exist: ATTACH_FAILED's text, then the database's own reason.
        String missing = uniqueId("gone");
        Path missingFile = sqliteDir.resolve("missing-" + missing + ".db");
        createSqlite(missing, missingFile.toString());
        Locator broken = item(missing);
        broken.getByTestId("datasource-test").click();
        Locator failed = broken.getByTestId("datasource-test-result");
        assertThat(failed).hasAttribute("data-outcome", "error");
        assertThat(failed).hasAttribute("data-message-code", "ATTACH_FAILED");
        assertThat(failed).containsText("Connecting to the external database failed");
        assertThat(failed.getByTestId("datasource-test-reason")).containsText("does not exist");
        assertThat(failed.getByTestId("datasource-test-reason")).containsText(missingFile.getFileName().toString());

        // Edit: point it at the real file; the id cannot change; the test then succeeds.
        broken.getByTestId("datasource-edit").click();
        assertThat(tid("datasource-form")).hasAttribute("data-mode", "edit");
        assertThat(tid("ds-id")).isDisabled();
        assertThat(tid("ds-id")).hasValue(missing);
        assertThat(tid("ds-path")).hasValue(missingFile.toString());
        tid("ds-path").fill(itemsDb.toString());
        tid("datasource-save").click();
        assertThat(tid("datasource-form")).isHidden();
        assertThat(broken.getByTestId("datasource-summary")).hasText(itemsDb.toString());
        assertThat(broken.getByTestId("datasource-test-result")).hasCount(0);
        assertThat(api.get("/api/datasources/" + missing).data().path("params").path("path").asText())
                .isEqualTo(itemsDb.toString());
        broken.getByTestId("datasource-test").click();
        assertThat(broken.getByTestId("datasource-test-result")).hasAttribute("data-outcome", "ok");

        // Delete asks first: "Cancel" keeps it, "Delete" removes it.
        broken.getByTestId("datasource-delete").click();
        assertThat(tid("confirm-dialog")).isVisible();
        assertThat(tid("confirm-title")).containsText(missing);
        assertThat(tid("confirm-cancel")).isFocused();
        tid("confirm-cancel").click();
        assertThat(tid("confirm-dialog")).isHidden();
        assertThat(broken).isVisible();
        broken.getByTestId("datasource-delete").click();
        // The confirming button reads "Delete", white on red.
        assertThat(tid("confirm-ok")).hasText("Delete");
        assertThat(rgb(computedStyle(tid("confirm-ok"), "color"))).containsExactly(255, 255, 255);
        double hue = hue(computedStyle(tid("confirm-ok"), "background-color"));
        assertThat(hue < 15 || hue > 345).as("hue %s of the Delete button", hue).isTrue();
        tid("confirm-ok").click();
        assertThat(broken).hasCount(0);
        assertThat(item(good)).isVisible();
        assertThat(api.get("/api/datasources/" + missing).errorCode()).isEqualTo("CONNECTION_NOT_FOUND");
    }

    @Test
    void checksTheFormInTheBrowserAndShowsTheServersRefusal() {
        openPanel();
        tid("datasource-new").click();
        tid("ds-id").fill("Not An Id");
        tid("ds-type").selectOption("postgresql");
        tid("ds-port").fill("70000");
        tid("datasource-save").click();
        assertThat(tid("ds-id-error")).isVisible();
        assertThat(tid("ds-id")).hasAttribute("aria-invalid", "true");
        assertThat(tid("ds-host-error")).hasText("Required");
        assertThat(tid("ds-port-error")).isVisible();
        assertThat(tid("ds-id")).isFocused();
        assertThat(countRequests(r -> r.equals("POST /api/datasources"))).isZero();

        // A SQLite file outside the allowed folder: the server's PATH_NOT_ALLOWED, in the form.
        tid("ds-id").fill(uniqueId("outside"));
        tid("ds-type").selectOption("sqlite");
        tid("ds-path").fill("/etc/passwd.db");
        tid("datasource-save").click();
        assertThat(tid("datasource-form-error")).hasAttribute("data-message-code", "PATH_NOT_ALLOWED");
        assertThat(tid("datasource-form-error")).containsText("not inside a directory");
        assertThat(tid("datasource-form")).isVisible();
        tid("datasource-cancel").click();
        assertThat(tid("datasource-form")).isHidden();
    }

    @Test
    void thePasswordIsWriteOnlyAndNeverComesBackIntoThePage() {
        List<String> bodies = new CopyOnWriteArrayList<>();
        page.onRequest((Request r) -> {
            if (r.url().contains("/api/datasources") && ("POST".equals(r.method()) || "PUT".equals(r.method()))) {
                bodies.add(r.method() + " " + r.postData());
            }
        });
        String password = "pw-" + UUID.randomUUID();
        String id = uniqueId("pg");
        openPanel();
        tid("datasource-new").click();
        tid("ds-id").fill(id);
        tid("ds-type").selectOption("postgresql");
        assertThat(tid("ds-path")).isHidden();
        assertThat(tid("ds-password")).hasAttribute("type", "password");
        tid("ds-host").fill("127.0.0.1");
        tid("ds-port").fill(String.valueOf(closedPort()));
        tid("ds-database").fill("analytics");
        tid("ds-user").fill("analyst");
        tid("ds-password").fill(password);
        tid("ds-ssl-mode").selectOption("disable");
        tid("datasource-save").click();
        Locator created = item(id);
        assertThat(created.getByTestId("datasource-password-set")).hasText("password set");
        assertThat(created).hasAttribute("data-has-password", "true");
        assertThat(tid("ds-password")).hasValue("");
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0)).startsWith("POST ").contains(password);

        // Editing starts with an empty password that says one is set; empty keeps it.
        created.getByTestId("datasource-edit").click();
        assertThat(tid("ds-password")).hasValue("");
        assertThat(tid("ds-password-hint")).hasText("A password is set. Leave this empty to keep it.");
        assertThat(tid("ds-user")).hasValue("analyst");
        assertThat(tid("ds-ssl-mode")).hasValue("disable");
        tid("ds-user").fill("reporter");
        tid("datasource-save").click();
        assertThat(tid("datasource-form")).isHidden();
        assertThat(created.getByTestId("datasource-summary")).containsText("reporter@127.0.0.1");
        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(1)).startsWith("PUT ").doesNotContain("password");
        JsonNode stored = api.get("/api/datasources/" + id).data();
        assertThat(stored.path("hasPassword").asBoolean()).isTrue();
        assertThat(stored.path("params").path("user").asText()).isEqualTo("reporter");

        // A failing test shows the database's message, never the password.
        created.getByTestId("datasource-test").click();
        assertThat(created.getByTestId("datasource-test-result")).hasAttribute("data-outcome", "error");

        // Nowhere in the page: not in the markup, not in an input's value.
        assertThat(page.content()).doesNotContain(password);
        Object values = page.evaluate("() => [...document.querySelectorAll('input')].map(i => i.value).join('\\n')");
        assertThat((String) values).doesNotContain(password);
    }

    @Test
    void thePanelIsOfferedOnlyWhenTheConfigurationEnablesDatasources() {
        assertThat(tid("side-tab-datasources")).isVisible();
        // This server has no async tasks: no Tasks tab, no Run as task, no workspace tables.
        assertThat(tid("side-tab-tasks")).isHidden();
        assertThat(tid("run-task-button")).isHidden();
        assertThat(tid("workspace-section")).isHidden();

        page.route("**/api/config", (Route route) -> {
            try {
                ObjectNode envelope = (ObjectNode) Json.mapper().readTree(route.fetch().text());
                ((ObjectNode) envelope.path("data")).putObject("datasources").put("enabled", false);
                route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("application/json")
                        .setBody(envelope.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        page.evaluate("() => localStorage.setItem('sluice.sidePanel', 'datasources')");
        reload();
        assertThat(tid("side-tab-datasources")).isHidden();
        assertThat(tid("datasources-panel")).isHidden();
        assertThat(tid("schema-panel")).isVisible();
    }

    /** A loopback port nothing listens on: bound, then closed. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
