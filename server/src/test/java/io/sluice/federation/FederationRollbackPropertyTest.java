package io.sluice.federation;

import io.sluice.api.MessageCode;
import io.sluice.datasource.SqlitePaths;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static io.sluice.federation.FederationTesting.databases;
import static io.sluice.federation.FederationTesting.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * For any number K of targets and any failing position N among them, and any way the N-th fails
 * (before its ATTACH: a missing file, a path outside the allowed folders; after it: a table the
 * source does not have), attach throws and afterwards nothing is attached and no file remains.
 */
class FederationRollbackPropertyTest {

    enum Failure { MISSING_FILE, PATH_NOT_ALLOWED, MISSING_TABLE }

    static Path dir;
    static Path sqliteDir;
    static Path good;
    static Connection duck;
    static List<String> originals;

    @BeforeContainer
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("federation-property");
        sqliteDir = Files.createDirectories(dir.resolve("sqlite"));
        good = FederationSources.sqliteFile(sqliteDir.resolve("good.db"), "CREATE TABLE t (x INTEGER)",
                "INSERT INTO t VALUES (1), (2)");
        duck = DriverManager.getConnection("jdbc:duckdb:");
        originals = databases(duck);
    }

    @AfterContainer
    static void tearDown() throws SQLException, IOException {
        duck.close();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Provide
    Arbitrary<int[]> positions() {
        return Arbitraries.integers().between(1, 6).flatMap(k ->
                Arbitraries.integers().between(1, k).map(n -> new int[]{k, n}));
    }

    /** Alias stems with quotes, spaces and semicolons: quoting must hold on the way in and out. */
    @Provide
    Arbitrary<String> stems() {
        return Arbitraries.strings().withChars("abcXYZ\"'; -").ofMinLength(1).ofMaxLength(8)
                .filter(s -> !s.isBlank());
    }

    @Property(tries = 120)
    void whicheverTargetFailsNothingIsLeft(@ForAll("positions") int[] kn, @ForAll Failure failure,
                                           @ForAll("stems") String stem) throws Exception {
        int k = kn[0];
        int n = kn[1];
        Path scratch = Files.createTempDirectory(dir, "scratch");
        List<AttachTarget> targets = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM ");
        for (int i = 1; i <= k; i++) {
            String alias = stem + i;
            Path file = good;
            String table = "t";
            if (i == n) {
                switch (failure) {
                    case MISSING_FILE -> file = sqliteDir.resolve("missing-" + i + ".db");
                    case PATH_NOT_ALLOWED -> file = dir.resolve("elsewhere.db");
                    case MISSING_TABLE -> table = "no_such_table";
                }
            }
            targets.add(new AttachTarget(alias, FederationSources.sqlite("ds" + i, file), null));
            sql.append(i == 1 ? "" : ", ").append(SqlQuoting.duckIdentifier(alias)).append('.').append(table)
                    .append(" t").append(i);
        }
        Federation federation = new Federation(FederationSettings.of(FederationMode.IMPORT),
                new SqlitePaths(List.of(sqliteDir)));
        FederationException e = catchThrowableOfType(() -> federation.attach(duck, scratch, targets, sql.toString(),
                new FederationTesting.Switch()), FederationException.class);
        assertThat(e).as("K=%d N=%d %s", k, n, failure).isNotNull();
        assertThat(e.code()).isEqualTo(MessageCode.ATTACH_FAILED);
        assertThat(e.details()).containsEntry("alias", stem + n);
        assertThat(databases(duck)).isEqualTo(originals);
        assertThat(files(scratch)).isEmpty();
    }
}
