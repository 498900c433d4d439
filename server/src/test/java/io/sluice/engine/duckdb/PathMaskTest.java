package io.sluice.engine.duckdb;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How server paths are shown: relative to the working directory inside it, else by the folder's own name. */
class PathMaskTest {

    private final PathMask mask = PathMask.of(Path.of("/srv/sluice"), Path.of("/home/sluice"), List.of(
            Path.of("/srv/sluice/data/files"), Path.of("/mnt/shared/exports"), Path.of("/srv/sluice/data/sluice.duckdb"),
            Path.of("/srv/sluice/data"), Path.of("/srv/sluice/data/sluice.duckdb.tmp")));

    @Test
    void knownFoldersInsideTheWorkingDirectoryShowRelativeToIt() {
        assertThat(mask.apply("No files found that match the pattern \"/srv/sluice/data/files/nope.csv\""))
                .isEqualTo("No files found that match the pattern \"data/files/nope.csv\"");
        assertThat(mask.apply("[/srv/sluice/data/sluice.duckdb.tmp/, /srv/sluice/data/files/]"))
                .isEqualTo("[data/sluice.duckdb.tmp/, data/files/]");
        assertThat(mask.apply("/srv/sluice/data/sluice.duckdb")).isEqualTo("data/sluice.duckdb");
        assertThat(mask.apply("/srv/sluice/data/sluice.duckdb.wal")).isEqualTo("data/sluice.duckdb.wal");
        assertThat(mask.apply("/srv/sluice/config/local.json")).isEqualTo("./config/local.json");
        assertThat(mask.apply("/srv/sluice")).isEqualTo(".");
    }

    @Test
    void foldersElsewhereShowByTheirOwnName() {
        assertThat(mask.apply("Cannot open file \"/mnt/shared/exports/a.parquet\"")).isEqualTo("Cannot open file \"exports/a.parquet\"");
        assertThat(mask.apply("/home/sluice/.duckdb/extensions")).isEqualTo("~/.duckdb/extensions");
    }

    @Test
    void onlyWholeNamesAreMasked() {
        assertThat(mask.apply("/mnt/shared/exports2/a")).isEqualTo("/mnt/shared/exports2/a");
        assertThat(mask.apply("/x/srv/sluice/data")).isEqualTo("/x/srv/sluice/data");
        assertThat(mask.apply("/srv/sluice-old/a")).isEqualTo("/srv/sluice-old/a");
        assertThat(mask.apply("2024/01/02 and a/b")).isEqualTo("2024/01/02 and a/b");
        assertThat(mask.apply(null)).isNull();
    }

    @Test
    void theRootIsNeverAKnownFolder() {
        PathMask rooted = PathMask.of(Path.of("/"), Path.of("/"), List.of(Path.of("/data")));
        assertThat(rooted.apply("/etc/passwd and /data/x")).isEqualTo("/etc/passwd and data/x");
    }
}
