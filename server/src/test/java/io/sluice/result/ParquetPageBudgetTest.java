package io.sluice.result;

import java.io.IOException;
import java.nio.file.Path;

/** The page budget's rules, kept by pages of the Parquet store (built by {@link PageRows}). */
class ParquetPageBudgetTest extends PageBudgetTest {

    @Override
    FolderResultStore store(Path folder, PageBudget budget) throws IOException {
        return new FolderResultStore(folder, Results.newId(), ResultFormat.PARQUET, 4, false, budget, 2, "256MB");
    }
}
