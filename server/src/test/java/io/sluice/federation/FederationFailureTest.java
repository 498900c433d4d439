package io.sluice.federation;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.sluice.api.MessageCode;
import io.sluice.datasource.DatasourceParams;
import io.sluice.datasource.DatasourceType;
import io.sluice.datasource.SqlitePaths;
import io.sluice.testing.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.sluice.federation.FederationTesting.databases;
import static io.sluice.federation.FederationTesting.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attaching that fails, against real servers: a wrong password is AUTH_FAILED, a closed port
 * CONNECTION_TIMEOUT, a missing database or SQLite file ATTACH_FAILED, each with the database's own
 * message and never the password (not in the exception, not in the log); and whichever target fails,
 * the ones before it are detached and no import file is left.
 */
class FederationFailureTest {

    @TempDir
    static Path dir;
    static FederationSources sources;
    static Path regionsFile;

    @TempDir
    Path scratch;
    Connection duck;
    List<String> originals;
    Federation federation;

    @BeforeAll
    static void start() throws Exception {
        sources = FederationSources.start(dir, true);
        try (Connection c = sources.superuser("analytics"); Statement s = c.createStatement()) {
            s.execute("SET ROLE analyst");
            s.execute("CREATE TABLE items (id int, name text)");
            s.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two')");
        }
        try (Connection c = sources.shop(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE stock (id INT, qty INT)");
            s.execute("INSERT INTO stock VALUES (1, 5)");
        }
        regionsFile = FederationSources.sqliteFile(sources.sqliteDir.resolve("regions.db"),
                "CREATE TABLE regions (id INTEGER, region TEXT)", "INSERT INTO regions VALUES (1, 'north')");
    }

    @AfterAll
    static void stop() {
        if (sources != null) {
            sources.close();
        }
    }

    @BeforeEach
    void openDuck() throws SQLException {
        duck = DriverManager.getConnection("jdbc:duckdb:");
        originals = databases(duck);
        federation = new Federation(FederationSettings.of(FederationMode.IMPORT),
                new SqlitePaths(List.of(sources.sqliteDir)));
    }

    @AfterEach
    void closeDuck() throws SQLException {
        duck.close();
    }

    private static final String SQL = "SELECT * FROM lite.regions r, pg.items i, my.stock s";

    private AttachTarget pg(String password) {
        return new AttachTarget("pg", sources.postgres("pg-ds", "analytics"), password);
    }

    private AttachTarget my(String password) {
        return new AttachTarget("my", sources.mariaDb("my-ds", "shop"), password);
    }

    private static AttachTarget lite() {
        return new AttachTarget("lite", FederationSources.sqlite("lite-ds", regionsFile), null);
    }

    private FederationException failure(List<AttachTarget> targets) {
        try (LogCapture logs = LogCapture.start()) {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() ->
                    federation.attach(duck, scratch, targets, SQL, new FederationTesting.Switch()));
            assertThat(thrown).isInstanceOf(FederationException.class);
            FederationException e = (FederationException) thrown;
            assertThat(e.toString() + e.details()).doesNotContain(FederationSources.PASSWORD);
            for (ILoggingEvent event : logs.events()) {
                assertThat(event.getFormattedMessage()).doesNotContain(FederationSources.PASSWORD);
            }
            assertNothingLeft();
            return e;
        }
    }

    @Test
    void aWrongPasswordIsAuthFailed() {
        FederationException pg = failure(List.of(pg(FederationSources.WRONG)));
        assertThat(pg.code()).isEqualTo(MessageCode.AUTH_FAILED);
        assertThat(pg.details()).containsEntry("alias", "pg").containsEntry("sqlState", "28P01");
        FederationException my = failure(List.of(my(FederationSources.WRONG)));
        assertThat(my.code()).isEqualTo(MessageCode.AUTH_FAILED);
        assertThat((String) my.details().get("reason")).contains("Access denied");
    }

    @Test
    void aClosedPortIsConnectionTimeout() {
        int closed = FederationSources.closedPort();
        for (DatasourceType type : new DatasourceType[]{DatasourceType.POSTGRESQL, DatasourceType.MYSQL}) {
            AttachTarget target = new AttachTarget("gone", FederationSources.datasource("gone", type,
                    DatasourceParams.network("127.0.0.1", closed, "analytics", "analyst", null)), FederationSources.PASSWORD);
            FederationException e = failure(List.of(lite(), target));
            assertThat(e.code()).as(type.name()).isEqualTo(MessageCode.CONNECTION_TIMEOUT);
            assertThat(e.details()).containsEntry("alias", "gone").containsKey("reason");
        }
    }

    @Test
    void aMissingDatabaseOrFileIsAttachFailed() {
        FederationException pg = failure(List.of(lite(), new AttachTarget("pg",
                sources.postgres("pg-nodb", "no_such_db"), FederationSources.PASSWORD)));
        assertThat(pg.code()).isEqualTo(MessageCode.ATTACH_FAILED);
        assertThat(pg.details()).containsEntry("sqlState", "3D000");
        FederationException my = failure(List.of(new AttachTarget("my",
                sources.mariaDb("my-nodb", "no_such_db"), FederationSources.PASSWORD)));
        assertThat(my.code()).isEqualTo(MessageCode.ATTACH_FAILED);
        assertThat((String) my.details().get("reason")).contains("no_such_db");
        FederationException file = failure(List.of(new AttachTarget("lite",
                FederationSources.sqlite("nofile", sources.sqliteDir.resolve("missing.db")), null)));
        assertThat(file.code()).isEqualTo(MessageCode.ATTACH_FAILED);
        assertThat((String) file.details().get("reason")).contains("does not exist");
        FederationException outside = failure(List.of(new AttachTarget("lite",
                FederationSources.sqlite("outside", dir.resolve("outside.db")), null)));
        assertThat(outside.code()).isEqualTo(MessageCode.ATTACH_FAILED);
    }

    @Test
    void theTargetsBeforeTheFailingOneAreDetached() throws Exception {
        FederationException third = failure(List.of(lite(), pg(FederationSources.PASSWORD), my(FederationSources.WRONG)));
        assertThat(third.code()).isEqualTo(MessageCode.AUTH_FAILED);
        assertThat(third.details()).containsEntry("alias", "my");
        FederationException second = failure(List.of(lite(), pg(FederationSources.WRONG), my(FederationSources.PASSWORD)));
        assertThat(second.details()).containsEntry("alias", "pg");
        // and the same targets all right attach, so the failures above were the passwords
        try (Attachment a = federation.attach(duck, scratch, List.of(lite(), pg(FederationSources.PASSWORD),
                my(FederationSources.PASSWORD)), SQL, new FederationTesting.Switch())) {
            assertThat(a.aliases()).containsExactly("lite", "pg", "my");
            assertThat(FederationTesting.rows(duck, "SELECT r.region, i.name, s.qty FROM lite.regions r, pg.items i, "
                    + "my.stock s WHERE i.id = 2")).containsExactly("north|two|5");
        }
        assertNothingLeft();
    }

    @Test
    void aliasesGivenTwiceOrBlankAreRefusedBeforeAnythingIsAttached() {
        FederationException twice = failure(List.of(lite(), new AttachTarget("LITE",
                FederationSources.sqlite("lite-ds", regionsFile), null)));
        assertThat(twice.code()).isEqualTo(MessageCode.ATTACH_FAILED);
        FederationException blank = failure(List.of(new AttachTarget(" ", FederationSources.sqlite("x", regionsFile), null)));
        assertThat(blank.code()).isEqualTo(MessageCode.ATTACH_FAILED);
        FederationException taken = failure(List.of(lite(), new AttachTarget("memory",
                FederationSources.sqlite("x", regionsFile), null)));
        assertThat(taken.code()).isEqualTo(MessageCode.ATTACH_FAILED);
        assertThat(taken.details()).containsEntry("alias", "memory");
    }

    private void assertNothingLeft() {
        try {
            assertThat(databases(duck)).isEqualTo(originals);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(files(scratch)).isEmpty();
    }
}
