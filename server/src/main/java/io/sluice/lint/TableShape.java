package io.sluice.lint;

import java.util.List;

/**
 * What the linter knows of a table: its name as shown in warnings ({@code database.table}), its
 * columns (partition keys included, lower case) and its partition keys (lower case, in order).
 */
record TableShape(String name, List<String> columns, List<String> partitionKeys) {

    TableShape {
        columns = List.copyOf(columns);
        partitionKeys = List.copyOf(partitionKeys);
    }
}
