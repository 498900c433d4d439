package io.sluice.workspace;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How users' workspaces are kept.
 *
 * @param directory    where each user's workspace folder is (one DuckDB file and a scratch folder each)
 * @param memoryLimit  DuckDB's memory limit for one workspace (larger data spills to its folder)
 * @param threads      DuckDB threads for one workspace
 * @param maxOpen      how many workspaces stay open at once; idle ones beyond it are closed
 * @param main         the main DuckDB database every workspace reads (read-only), when there is one
 */
public record WorkspaceSettings(Path directory, String memoryLimit, int threads, int maxOpen,
                                Optional<MainDatabase> main) {

    /**
     * The engine's database, attached read-only under its own catalog name so that queries run in a
     * workspace see everything they see on the engine; {@code readable} are the folders the
     * engine's SQL may read files from.
     */
    public record MainDatabase(Path file, String catalog, List<Path> readable) {
    }
}
