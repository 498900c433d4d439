package io.sluice.standin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DuckDB's parse tree of one statement, from {@code json_serialize_sql}: parsed once when the
 * query is submitted, then used for the syntax check, the scan estimate and the column names.
 * DuckDB serialises only SELECT statements; for others only the syntax verdict is known.
 */
final class ParsedSql {
    private final JsonNode tree;

    ParsedSql(JsonNode tree) {
        this.tree = tree;
    }

    /** A parser error: DuckDB's message and the character offset it points at. */
    record SyntaxError(String message, int position) {
    }

    Optional<SyntaxError> syntaxError() {
        if (tree.path("error").asBoolean(false) && "parser".equals(tree.path("error_type").asText())) {
            return Optional.of(new SyntaxError(tree.path("error_message").asText(), tree.path("position").asInt(0)));
        }
        return Optional.empty();
    }

    /**
     * The tables a SELECT reads, as written ({@code [catalog, database, table]}, missing parts
     * empty), or empty when the statement is not a serialisable SELECT.
     */
    Optional<List<List<String>>> tableReferences() {
        if (tree.path("error").asBoolean(false)) {
            return Optional.empty();
        }
        List<List<String>> references = new ArrayList<>();
        collectBaseTables(tree, references);
        return Optional.of(references);
    }

    /**
     * For a plain SELECT, each select-list item's explicit alias, {@code null} for a bare column
     * reference (DuckDB names it like Athena), or {@code ""} for an unnamed expression, which
     * Athena calls {@code _col<i>}. Empty when the list cannot be lined up with the result
     * columns ({@code *}, set operations, non-SELECT).
     */
    Optional<List<String>> selectListAliases() {
        JsonNode node = tree.path("statements").path(0).path("node");
        if (tree.path("error").asBoolean(false) || !"SELECT_NODE".equals(node.path("type").asText())) {
            return Optional.empty();
        }
        List<String> aliases = new ArrayList<>();
        for (JsonNode item : node.path("select_list")) {
            String itemClass = item.path("class").asText();
            if ("STAR".equals(itemClass) || "COLUMNS".equals(item.path("type").asText())) {
                return Optional.empty();
            }
            String alias = item.path("alias").asText("");
            aliases.add(!alias.isEmpty() ? alias : "COLUMN_REF".equals(itemClass) ? null : "");
        }
        return Optional.of(aliases);
    }

    private static void collectBaseTables(JsonNode node, List<List<String>> into) {
        if (node.isObject()) {
            if ("BASE_TABLE".equals(node.path("type").asText()) && node.has("table_name")) {
                into.add(List.of(node.path("catalog_name").asText(""), node.path("schema_name").asText(""),
                        node.path("table_name").asText("")));
            }
            node.forEach(child -> collectBaseTables(child, into));
        } else if (node.isArray()) {
            node.forEach(child -> collectBaseTables(child, into));
        }
    }
}
