package io.sluice.engine.duckdb;

import io.sluice.config.SluiceConfig;
import io.sluice.engine.duckdb.DuckDbSettings.WritableDirectory;
import io.sluice.engine.EngineException;
import io.sluice.engine.EngineQuery;
import io.sluice.engine.duckdb.DuckDbEngineTest.Collect;
import io.sluice.engine.duckdb.DuckDbEngineTest.Switch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SQL may read the allowed folders and write only into writable directories, within their quotas;
 * every statement of a text is checked before any runs. Against a real DuckDB file.
 */
class DuckDbFileRulesTest {

    @TempDir
    static Path dir;
    static Path files;
    static Path out;
    static Path small;
    static DuckDbEngine engine;
    static final long SMALL_QUOTA = 20_000;

    @BeforeAll
    static void open() throws IOException {
        files = dir.resolve("files");
        out = dir.resolve("out");
        small = dir.resolve("small");
        Files.createDirectories(files);
        Files.writeString(files.resolve("in.csv"), "a,b\n1,x\n2,y\n");
        engine = DuckDbEngine.open("duckdb", new DuckDbSettings(dir.resolve("db/rules.duckdb"), false, false, 2, "1GB",
                List.of(files), Duration.ofMinutes(5), 1_000_000, 1L << 30,
                List.of(new WritableDirectory(out, 1_000_000), new WritableDirectory(small, SMALL_QUOTA))));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static Collect run(String sql) throws EngineException {
        Collect sink = new Collect();
        engine.execute(new EngineQuery("00000000-0000-4000-8000-000000000011", 1, sql, engine.defaultContext()),
                sink, new Switch());
        return sink;
    }

    static EngineException failure(String sql) {
        try {
            run(sql);
        } catch (EngineException e) {
            return e;
        }
        throw new AssertionError("expected a failure: " + sql);
    }

    static String lit(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }

    static long used(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void aCsvInAnAllowedFolderCanBeRead() throws Exception {
        Collect c = run("SELECT a, b FROM read_csv(" + lit(files.resolve("in.csv")) + ") ORDER BY a");
        assertThat(c.rows).hasSize(2);
        assertThat(c.rows.get(1)).containsExactly(2L, "y");
    }

    @Test
    void copyIntoAnAllowedFolderIsRefusedAndTheInputIsUnchanged() throws Exception {
        byte[] before = Files.readAllBytes(files.resolve("in.csv"));
        EngineException e = failure("COPY (SELECT 42 AS a) TO " + lit(files.resolve("in.csv")));
        assertThat(e.code()).isEqualTo("STATEMENT_NOT_ALLOWED");
        assertThat(e.details()).containsEntry("source", "sluice").containsEntry("kind", "COPY TO")
                .containsEntry("statement", 1).containsEntry("reason", "WRITES_FILES").containsEntry("target", "files/in.csv");
        assertThat(Files.readAllBytes(files.resolve("in.csv"))).isEqualTo(before);
    }

    @Test
    void copyToStdoutIsRefused() {
        for (String sql : List.of("COPY (SELECT 1) TO STDOUT", "copy (select 1) to stdout (format csv)")) {
            EngineException e = failure(sql);
            assertThat(e.code()).as(sql).isEqualTo("STATEMENT_NOT_ALLOWED");
            assertThat(e.details()).as(sql).containsEntry("kind", "COPY TO").containsEntry("reason", "TARGET_NOT_LITERAL");
        }
    }

    @Test
    void copyIntoAWritableDirectoryWorksAndElsewhereFails() throws Exception {
        Collect written = run("COPY (SELECT 7 AS n) TO " + lit(out.resolve("seven.csv")) + " (HEADER)");
        assertThat(written.rows.get(0)).containsExactly(1L);
        assertThat(Files.readString(out.resolve("seven.csv"))).isEqualTo("n\n7\n");
        assertThat(run("SELECT n FROM read_csv(" + lit(out.resolve("seven.csv")) + ")").rows.get(0)).containsExactly(7L);
        for (Path target : List.of(dir.resolve("elsewhere.csv"), out.resolve("../files/escaped.csv"), Path.of("relative.csv"))) {
            EngineException e = failure("COPY (SELECT 1) TO " + lit(target));
            assertThat(e.code()).as(target.toString()).isEqualTo("STATEMENT_NOT_ALLOWED");
        }
        assertThat(dir.resolve("elsewhere.csv")).doesNotExist();
        assertThat(files.resolve("escaped.csv")).doesNotExist();
        assertThat(Path.of("relative.csv")).doesNotExist();
    }

    @Test
    void optionsCannotLeadAWriteOutOfItsDirectory() throws Exception {
        EngineException e = failure("COPY (SELECT 1 AS v) TO " + lit(out.resolve("parts"))
                + " (FORMAT csv, PER_THREAD_OUTPUT, FILENAME_PATTERN '.' || './../../files/part_{i}')");
        assertThat(e.details()).containsEntry("reason", "UNSAFE_OPTION");
        assertThat(files.resolve("part_0.csv")).doesNotExist();
        run("COPY (SELECT 1 AS v) TO " + lit(out.resolve("parts")) + " (FORMAT csv, PER_THREAD_OUTPUT, FILENAME_PATTERN 'part_{i}')");
        assertThat(out.resolve("parts/part_0.csv")).exists();
    }

    @Test
    void aWriteThatEndsOverTheQuotaIsRemoved() throws Exception {
        EngineException e = failure("COPY (SELECT range AS n, 'padding-padding' AS p FROM range(100000)) TO "
                + lit(small.resolve("big.csv")));
        assertThat(e.code()).isEqualTo("WRITE_QUOTA_EXCEEDED");
        assertThat(e.kind()).isEqualTo(EngineException.Kind.INSUFFICIENT_RESOURCES);
        assertThat(e.details()).containsEntry("source", "sluice").containsEntry("directory", "small")
                .containsEntry("quotaBytes", SMALL_QUOTA).containsEntry("removed", true);
        assertThat((Long) e.details().get("usedBytes")).isGreaterThan(SMALL_QUOTA);
        assertThat(small.resolve("big.csv")).doesNotExist();
        assertThat(used(small)).isLessThan(SMALL_QUOTA);
    }

    @Test
    void aLongWriteIsStoppedOnceItPassesTheQuota() throws Exception {
        Switch cancellation = new Switch();
        // Unstopped, this writes hundreds of gigabytes; the quota stops it within moments.
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                engine.execute(new EngineQuery("00000000-0000-4000-8000-000000000012", 1,
                        "COPY (SELECT range AS n, 'padding-padding' AS p FROM range(10000000000)) TO "
                                + lit(small.resolve("huge.csv")), engine.defaultContext()), new Collect(), cancellation);
                return null;
            } catch (EngineException e) {
                return e;
            }
        });
        try {
            await().atMost(Duration.ofSeconds(60)).until(outcome::isDone);
        } finally {
            if (!outcome.isDone() && cancellation.action.get() != null) {
                cancellation.cancel();
            }
        }
        assertThat(outcome.join()).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.code()).isEqualTo("WRITE_QUOTA_EXCEEDED"));
        assertThat(small.resolve("huge.csv")).doesNotExist();
        assertThat(used(small)).isLessThan(SMALL_QUOTA);
    }

    @Test
    void aFullDirectoryTakesNoWriteAndKeepsItsFiles() throws Exception {
        Path filler = small.resolve("filler.bin");
        Files.write(filler, new byte[(int) SMALL_QUOTA]);
        try {
            EngineException e = failure("COPY (SELECT 1) TO " + lit(small.resolve("one.csv")));
            assertThat(e.code()).isEqualTo("WRITE_QUOTA_EXCEEDED");
            assertThat(e.details()).containsEntry("removed", false).containsEntry("usedBytes", SMALL_QUOTA);
            assertThat(small.resolve("one.csv")).doesNotExist();
            assertThat(filler).hasSize(SMALL_QUOTA);
        } finally {
            Files.delete(filler);
        }
    }

    @Test
    void attachAndOtherLockedStatementsAreRefused() {
        for (String sql : List.of("ATTACH " + lit(files.resolve("other.duckdb")) + " AS other", "DETACH rules",
                "INSTALL httpfs", "LOAD parquet", "SET threads = 1", "RESET threads", "CREATE SECRET s (TYPE s3)")) {
            EngineException e = failure(sql);
            assertThat(e.code()).as(sql).isEqualTo("STATEMENT_NOT_ALLOWED");
            assertThat(e.details()).as(sql).containsEntry("reason", "NOT_ALLOWED");
        }
        assertThat(files.resolve("other.duckdb")).doesNotExist();
    }

    @Test
    void aTextIsRefusedWholeBeforeItsFirstStatementRuns() throws Exception {
        EngineException e = failure("COPY (SELECT 1) TO " + lit(out.resolve("first.csv")) + ";\n"
                + "COPY (SELECT 2) TO " + lit(files.resolve("second.csv")));
        assertThat(e.details()).containsEntry("statement", 2).containsEntry("line", 2).containsEntry("kind", "COPY TO");
        assertThat(out.resolve("first.csv")).doesNotExist();
        assertThat(files.resolve("second.csv")).doesNotExist();

        EngineException hidden = failure("SELECT 'a\\'; COPY (SELECT 1) TO " + lit(files.resolve("hidden.csv")) + "; --'");
        assertThat(hidden.details()).containsEntry("statement", 2).containsEntry("kind", "COPY TO");
        for (String sql : List.of("EXPLAIN ANALYZE COPY (SELECT 1) TO " + lit(files.resolve("hidden.csv")),
                "PREPARE p AS COPY (SELECT 1) TO " + lit(files.resolve("hidden.csv")) + "; EXECUTE p",
                "/* x */ cOpY\t(SELECT 1)\nTO " + lit(files.resolve("hidden.csv")),
                "SELECT 1 /* a /* b */ */; COPY (SELECT 1) TO " + lit(files.resolve("hidden.csv")))) {
            assertThat(failure(sql).code()).as(sql).isEqualTo("STATEMENT_NOT_ALLOWED");
        }
        assertThat(files.resolve("hidden.csv")).doesNotExist();
    }

    @Test
    void aDatabaseIsImportedOnlyFromFilesUsersCannotHaveWritten() throws Exception {
        run("EXPORT DATABASE " + lit(out.resolve("export")));
        assertThat(out.resolve("export/schema.sql")).exists();
        assertThat(failure("IMPORT DATABASE " + lit(out.resolve("export"))).details())
                .containsEntry("reason", "IMPORTS_WRITTEN_FILES");

        Path evil = Files.createDirectories(files.resolve("evil"));
        Files.writeString(evil.resolve("schema.sql"), "CREATE TABLE evil(x INT);\nCOPY (SELECT 'pwned') TO "
                + lit(files.resolve("pwned.csv")) + ";\n");
        Files.writeString(evil.resolve("load.sql"), "");
        assertThat(failure("IMPORT DATABASE " + lit(evil)).details()).containsEntry("reason", "IMPORT_SCRIPT_NOT_ALLOWED");
        assertThat(failure("PRAGMA import_database(" + lit(evil) + ")").code()).isEqualTo("STATEMENT_NOT_ALLOWED");
        assertThat(files.resolve("pwned.csv")).doesNotExist();

        Path good = Files.createDirectories(files.resolve("good"));
        Files.writeString(good.resolve("schema.sql"), "CREATE TABLE imported(x INT);\n");
        Files.writeString(good.resolve("load.sql"), "COPY imported FROM " + lit(files.resolve("good/x.csv")) + " (HEADER);\n");
        Files.writeString(good.resolve("x.csv"), "x\n5\n");
        run("IMPORT DATABASE " + lit(good));
        assertThat(run("SELECT x FROM imported").rows.get(0)).containsExactly(5L);
    }

    @Test
    void textDuckDbCannotParseOrSeeWholeRunsNothing() {
        EngineException syntax = failure("COPY (SELECT 1) TO " + lit(out.resolve("never.csv")) + "; SELEC 2");
        assertThat(syntax.code()).isEqualTo("SYNTAX_ERROR");
        assertThat(syntax.getMessage()).startsWith("Parser Error: syntax error at or near \"SELEC\"");
        assertThat(out.resolve("never.csv")).doesNotExist();
        EngineException nul = failure("SELECT 1; -- \u0000\nCOPY (SELECT 1) TO " + lit(files.resolve("nul.csv")));
        assertThat(nul.details()).containsEntry("kind", "INVALID_CHARACTER").containsEntry("reason", "INVALID_TEXT");
        assertThat(files.resolve("nul.csv")).doesNotExist();
    }

    @Test
    void tempTablesAndInformationalStatementsRun() throws Exception {
        Collect c = run("CREATE TEMP TABLE scratch AS SELECT 1 AS x; INSERT INTO scratch VALUES (2); SELECT sum(x) FROM scratch");
        assertThat(c.rows.get(0)[0]).isEqualTo("3");
        assertThat(run("SHOW TABLES").rows).isNotNull();
        assertThat(run("PRAGMA version").rows).hasSize(1);
    }

    @Test
    void serverPathsAreShownRelativeOrByName() throws Exception {
        String root = dir.toString();
        Collect databases = run("PRAGMA database_list");
        assertThat(databases.rows).anySatisfy(r -> assertThat(r[2]).isEqualTo("rules.duckdb"));
        assertThat(databases.rows).allSatisfy(r -> assertThat(String.valueOf(r[2])).doesNotContain(root));
        String allowed = (String) run("SELECT current_setting('allowed_directories')").rows.get(0)[0];
        assertThat(allowed).doesNotContain(root).contains("files/", "out/", "small/", "rules.duckdb.tmp/");
        assertThat(run("SELECT current_setting('temp_directory')").rows.get(0)[0]).isEqualTo("rules.duckdb.tmp");
        assertThat(run("SELECT file FROM glob(" + lit(files.resolve("in.csv")) + ")").rows.get(0)[0]).isEqualTo("files/in.csv");
        String cwd = Path.of("").toAbsolutePath().toString();
        assertThat(run("SELECT " + lit(Path.of(cwd, "pom.xml"))).rows.get(0)[0]).isEqualTo("./pom.xml");

        EngineException missing = failure("SELECT * FROM read_csv(" + lit(files.resolve("nope.csv")) + ")");
        assertThat(missing.getMessage()).contains("files/nope.csv").doesNotContain(root);

        run("CREATE TABLE noted(a INT); COMMENT ON COLUMN noted.a IS " + lit(files.resolve("in.csv")));
        var column = engine.catalog().table("rules", "main", "noted").columns().get(0);
        assertThat(column.comment()).isEqualTo("files/in.csv");
    }

    @Test
    void aRefusalNamesNoServerPath() {
        EngineException e = failure("COPY (SELECT 1) TO " + lit(dir.resolve("db/x.csv")));
        assertThat(String.valueOf(e.details())).doesNotContain(dir.toString());
        assertThat(e.getMessage()).doesNotContain(dir.toString());
        assertThat(e.details()).containsAllEntriesOf(Map.of("target", "db/x.csv", "position", 1));
    }
}
