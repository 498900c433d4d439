package io.sluice.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A result column as Athena describes it in {@code ColumnInfo} and in {@code .metadata}. */
record ResultColumn(String name, AthenaType type) {

    ObjectNode columnInfo() {
        ObjectNode info = Json.object();
        info.put("CatalogName", "hive");
        info.put("SchemaName", "");
        info.put("TableName", "");
        info.put("Name", name);
        info.put("Label", name);
        // Athena reports the base type name; precision and scale carry the parameters.
        info.put("Type", type.name());
        info.put("Precision", type.columnPrecision());
        info.put("Scale", type.columnScale());
        info.put("Nullable", "UNKNOWN");
        info.put("CaseSensitive", type.caseSensitive());
        return info;
    }
}
