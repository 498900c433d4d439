package io.sluice.lint;

import java.util.List;
import java.util.Optional;

/** Finds a table the query names (1 to 3 name parts, as written); empty when unknown. */
interface TableLookup {

    Optional<TableShape> find(List<String> nameParts);
}
