package io.sluice.federation;

import io.sluice.api.MessageCode;
import io.sluice.datasource.SqlitePaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.sluice.federation.FederationTesting.databases;
import static io.sluice.federation.FederationTesting.files;
import static io.sluice.federation.FederationTesting.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The native path (DuckDB's sqlite extension). Where the extension cannot be loaded (this machine
 * cannot download extensions) the test of the native ATTACH is skipped and says so; what must hold
 * either way is tested too: NATIVE without the extension is UNSUPPORTED_TYPE leaving nothing
 * attached, and AUTO falls back to the import path.
 */
class FederationNativeTest {

    @TempDir
    Path dir;
    Path sqliteDir;
    Path file;
    Connection duck;
    List<String> originals;

    @BeforeEach
    void setUp() throws Exception {
        sqliteDir = Files.createDirectories(dir.resolve("sqlite"));
        file = FederationSources.sqliteFile(sqliteDir.resolve("n.db"), "CREATE TABLE t (x INTEGER, y TEXT)",
                "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        duck = DriverManager.getConnection("jdbc:duckdb:");
        originals = databases(duck);
    }

    @AfterEach
    void tearDown() throws SQLException {
        duck.close();
    }

    private boolean sqliteExtensionLoads() {
        try (Connection probe = DriverManager.getConnection("jdbc:duckdb:"); Statement s = probe.createStatement()) {
            s.execute("SET autoinstall_known_extensions = false"); // never a download
            s.execute("LOAD sqlite");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private Federation federation(FederationMode mode) {
        return new Federation(FederationSettings.of(mode), new SqlitePaths(List.of(sqliteDir)));
    }

    private AttachTarget target() {
        return new AttachTarget("nat", FederationSources.sqlite("n", file), null);
    }

    @Test
    void theSqliteExtensionAttachesTheFileReadOnly() throws Exception {
        Assumptions.assumeTrue(sqliteExtensionLoads(),
                "native federation skipped: the sqlite extension cannot be loaded on this machine");
        try (Attachment a = federation(FederationMode.NATIVE).attach(duck, dir.resolve("scratch"), List.of(target()),
                "SELECT * FROM nat.t", new FederationTesting.Switch())) {
            assertThat(a.modes()).containsEntry("nat", "native");
            assertThat(a.importedRows()).isZero();
            assertThat(rows(duck, "SELECT x, y FROM nat.t ORDER BY x")).containsExactly("1|a", "2|b");
        }
        assertThat(databases(duck)).isEqualTo(originals);
    }

    @Test
    void nativeWithoutTheExtensionIsUnsupportedTypeAndLeavesNothing() throws Exception {
        Assumptions.assumeFalse(sqliteExtensionLoads(), "the sqlite extension loads here: nothing to refuse");
        AttachTarget first = new AttachTarget("first", FederationSources.sqlite("n", file), null);
        FederationException e = catchThrowableOfType(() -> federation(FederationMode.NATIVE).attach(duck,
                dir.resolve("scratch"), List.of(first, target()), "SELECT 1", new FederationTesting.Switch()),
                FederationException.class);
        assertThat(e.code()).isEqualTo(MessageCode.UNSUPPORTED_TYPE);
        assertThat((String) e.details().get("reason")).contains("sqlite");
        assertThat(databases(duck)).isEqualTo(originals);
    }

    @Test
    void autoUsesTheExtensionWhereItLoadsElseImports() throws Exception {
        Path scratch = dir.resolve("scratch");
        try (Attachment a = federation(FederationMode.AUTO).attach(duck, scratch, List.of(target()),
                "SELECT y FROM nat.t WHERE x = 2", new FederationTesting.Switch())) {
            assertThat(a.modes()).containsEntry("nat", sqliteExtensionLoads() ? "native" : "import");
            assertThat(rows(duck, "SELECT y FROM nat.t WHERE x = 2")).containsExactly("b");
        }
        assertThat(databases(duck)).isEqualTo(originals);
        assertThat(files(scratch)).isEmpty();
    }

    @Test
    void connectionStringsQuoteEveryValue() {
        NativeAttach n = new NativeAttach(new SqlitePaths(List.of(sqliteDir)), 7);
        String s = n.postgres(io.sluice.datasource.DatasourceParams.network("h' host=evil", 5432, "d b", "u\\", null),
                "p' sslmode='disable");
        assertThat(s).isEqualTo("host='h\\' host=evil' port='5432' dbname='d b' user='u\\\\' "
                + "password='p\\' sslmode=\\'disable' connect_timeout='7' application_name='sluice'");
        assertThat(NativeAttach.scrub("failed for 'p\\' sslmode=\\'disable'", "p' sslmode='disable"))
                .isEqualTo("failed for '***'");
        assertThat(NativeAttach.classify("IO Error: FATAL: password authentication failed for user"))
                .isEqualTo(MessageCode.AUTH_FAILED);
        assertThat(NativeAttach.classify("could not connect: Connection refused")).isEqualTo(MessageCode.CONNECTION_TIMEOUT);
        assertThat(NativeAttach.classify("database \"x\" does not exist")).isEqualTo(MessageCode.ATTACH_FAILED);
    }
}
