package io.sluice.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads, with DuckDB's own parser ({@code json_serialize_sql}), which tables of the attached aliases
 * a SQL statement names, which of their columns it may use and which of its conditions may be
 * pushed to the source. Never guesses from the text: only the syntax tree counts.
 *
 * <p>Tables: {@code BASE_TABLE} nodes whose {@code catalog_name} is an alias ({@code
 * alias.schema.table}) or, with no catalog, whose {@code schema_name} is one ({@code alias.table}).
 *
 * <p>Columns, a superset: every name of every {@code COLUMN_REF} that is qualified by the table's
 * alias or name, plus the first name of every reference (an unqualified column, or a struct column
 * whose field is read), plus {@code USING} columns. All columns when there is any unqualified
 * {@code *} or {@code COLUMNS(...)}, a {@code *} qualified by the table, a reference to the table as
 * a whole row, a {@code NATURAL} join, or column aliases on the table ({@code t(a, b)}).
 *
 * <p>Conditions are pushed only where that can never remove a row the query keeps: the table occurs
 * exactly once in the whole statement, without {@code SAMPLE} or column aliases, in the FROM of a
 * SELECT through inner or cross joins or on the preserved side of a LEFT/RIGHT join, and its
 * qualifier is unique in that FROM; the condition is a top-level {@code AND} term of that SELECT's
 * WHERE comparing one of its columns with constants ({@link #predicate}). Unqualified columns count
 * only when the FROM is that table alone.
 */
final class QueryTables {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The SQL could not be read by DuckDB's parser (its message). */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private record Occurrence(String key, String alias, String schema, String table, String qualifier, JsonNode node) {
    }

    private final Map<String, String> aliases = new LinkedHashMap<>(); // lower-case -> as given
    private final List<Occurrence> occurrences = new ArrayList<>();
    private final Map<JsonNode, Occurrence> byNode = new IdentityHashMap<>();
    private final List<List<String>> columnRefs = new ArrayList<>();
    private final List<String> starRelations = new ArrayList<>();
    private final Set<String> usingColumns = new HashSet<>();
    private final List<JsonNode> selectNodes = new ArrayList<>();
    private boolean natural;

    private QueryTables(List<String> aliasNames) {
        aliasNames.forEach(a -> aliases.put(lower(a), a));
    }

    /** The tables of {@code aliasNames} that {@code sql} names, in order of first appearance. */
    static List<NeededTable> analyse(Connection duck, String sql, List<String> aliasNames)
            throws SQLException, Unreadable {
        JsonNode tree;
        try (PreparedStatement ps = duck.prepareStatement("SELECT json_serialize_sql(?)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                tree = JSON.readTree(rs.getString(1));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new Unreadable("DuckDB's parser gave no syntax tree: " + e.getOriginalMessage());
            }
        }
        if (tree.path("error").asBoolean(false)) {
            throw new Unreadable("the import path needs SQL that DuckDB's parser reads as SELECT statements: "
                    + tree.path("error_message").asText("unknown error"));
        }
        QueryTables q = new QueryTables(aliasNames);
        q.walk(tree);
        return q.needed();
    }

    private void walk(JsonNode node) {
        if (node.isArray()) {
            node.forEach(this::walk);
            return;
        }
        if (!node.isObject()) {
            return;
        }
        String type = node.path("type").asText("");
        String cls = node.path("class").asText("");
        if (type.equals("BASE_TABLE")) {
            table(node);
        } else if (type.equals("SELECT_NODE")) {
            selectNodes.add(node);
        } else if (type.equals("JOIN")) {
            if (node.path("ref_type").asText("").equals("NATURAL")) {
                natural = true;
            }
            node.path("using_columns").forEach(c -> usingColumns.add(lower(c.asText())));
        }
        if (cls.equals("COLUMN_REF")) {
            List<String> names = new ArrayList<>();
            node.path("column_names").forEach(n -> names.add(n.asText()));
            columnRefs.add(names);
        } else if (cls.equals("STAR")) {
            starRelations.add(node.path("relation_name").asText(""));
        }
        node.forEach(this::walk);
    }

    private void table(JsonNode node) {
        String catalog = node.path("catalog_name").asText("");
        String schema = node.path("schema_name").asText("");
        String name = node.path("table_name").asText("");
        String alias;
        String sourceSchema;
        if (!catalog.isEmpty() && aliases.containsKey(lower(catalog))) {
            alias = aliases.get(lower(catalog));
            sourceSchema = schema.isEmpty() ? null : schema;
        } else if (catalog.isEmpty() && !schema.isEmpty() && aliases.containsKey(lower(schema))) {
            alias = aliases.get(lower(schema));
            sourceSchema = null;
        } else {
            return;
        }
        String tableAlias = node.path("alias").asText("");
        Occurrence o = new Occurrence(NeededTable.key(alias, sourceSchema, name), alias, sourceSchema, name,
                tableAlias.isEmpty() ? name : tableAlias, node);
        occurrences.add(o);
        byNode.put(node, o);
    }

    private List<NeededTable> needed() {
        Map<String, List<Occurrence>> byKey = new LinkedHashMap<>();
        occurrences.forEach(o -> byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o));
        Map<String, List<PushedPredicate>> pushed = pushable(byKey);
        List<NeededTable> result = new ArrayList<>();
        for (List<Occurrence> same : byKey.values()) {
            Set<String> qualifiers = new HashSet<>();
            boolean all = natural || starRelations.contains("");
            for (Occurrence o : same) {
                qualifiers.add(lower(o.qualifier()));
                qualifiers.add(lower(o.table()));
                all |= !o.node().path("column_name_alias").isEmpty();
            }
            all |= starRelations.stream().anyMatch(r -> qualifiers.contains(lower(r)));
            Set<String> columns = new HashSet<>(usingColumns);
            for (List<String> names : columnRefs) {
                if (names.isEmpty()) {
                    continue;
                }
                columns.add(lower(names.get(0)));
                if (names.size() == 1 && qualifiers.contains(lower(names.get(0)))) {
                    all = true; // the table as one row value
                }
                for (int i = 0; i + 1 < names.size(); i++) {
                    if (qualifiers.contains(lower(names.get(i)))) {
                        columns.add(lower(names.get(i + 1)));
                    }
                }
            }
            Occurrence first = same.get(0);
            result.add(new NeededTable(first.alias(), first.schema(), first.table(), all, columns,
                    pushed.getOrDefault(first.key(), List.of())));
        }
        return result;
    }

    /** The conditions that may be pushed, by table key (see the class comment). */
    private Map<String, List<PushedPredicate>> pushable(Map<String, List<Occurrence>> byKey) {
        Map<String, List<PushedPredicate>> result = new LinkedHashMap<>();
        for (JsonNode select : selectNodes) {
            JsonNode from = select.path("from_table");
            if (!select.path("sample").isNull() && !select.path("sample").isMissingNode()) {
                continue;
            }
            Map<String, Integer> qualifierCounts = new LinkedHashMap<>();
            countQualifiers(from, qualifierCounts);
            List<JsonNode> conjuncts = new ArrayList<>();
            conjuncts(select.path("where_clause"), conjuncts);
            for (JsonNode member : preserved(from, new ArrayList<>())) {
                Occurrence o = byNode.get(member);
                if (o == null || byKey.get(o.key()).size() != 1 || !member.path("column_name_alias").isEmpty()
                        || !(member.path("sample").isNull() || member.path("sample").isMissingNode())
                        || qualifierCounts.getOrDefault(lower(o.qualifier()), 0) != 1) {
                    continue;
                }
                boolean alone = from == member;
                for (JsonNode c : conjuncts) {
                    PushedPredicate p = predicate(c, o.qualifier(), alone);
                    if (p != null) {
                        result.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(p);
                    }
                }
            }
        }
        return result;
    }

    private static void countQualifiers(JsonNode from, Map<String, Integer> counts) {
        String type = from.path("type").asText("");
        if (type.equals("JOIN")) {
            countQualifiers(from.path("left"), counts);
            countQualifiers(from.path("right"), counts);
            return;
        }
        String alias = from.path("alias").asText("");
        String name = alias.isEmpty() && type.equals("BASE_TABLE") ? from.path("table_name").asText("") : alias;
        if (!name.isEmpty()) {
            counts.merge(lower(name), 1, Integer::sum);
        }
    }

    /** The base tables of {@code from} whose rows a WHERE condition on them may filter beforehand. */
    private static List<JsonNode> preserved(JsonNode from, List<JsonNode> into) {
        String type = from.path("type").asText("");
        if (type.equals("BASE_TABLE")) {
            into.add(from);
        } else if (type.equals("JOIN")) {
            String ref = from.path("ref_type").asText("");
            String join = from.path("join_type").asText("");
            boolean regular = ref.equals("REGULAR");
            if (ref.equals("CROSS") || regular && join.equals("INNER")) {
                preserved(from.path("left"), into);
                preserved(from.path("right"), into);
            } else if (regular && join.equals("LEFT")) {
                preserved(from.path("left"), into);
            } else if (regular && join.equals("RIGHT")) {
                preserved(from.path("right"), into);
            }
        }
        return into;
    }

    private static void conjuncts(JsonNode where, List<JsonNode> into) {
        if (where == null || where.isNull() || where.isMissingNode()) {
            return;
        }
        if (where.path("type").asText("").equals("CONJUNCTION_AND")) {
            where.path("children").forEach(c -> conjuncts(c, into));
        } else {
            into.add(where);
        }
    }

    /**
     * {@code term} as a condition on one column of the table qualified by {@code qualifier} (or
     * unqualified when the table is {@code alone} in its FROM), else null.
     */
    static PushedPredicate predicate(JsonNode term, String qualifier, boolean alone) {
        String cls = term.path("class").asText("");
        String type = term.path("type").asText("");
        if (cls.equals("COMPARISON")) {
            PushedPredicate.Op op = switch (type) {
                case "COMPARE_EQUAL" -> PushedPredicate.Op.EQ;
                case "COMPARE_NOTEQUAL" -> PushedPredicate.Op.NE;
                case "COMPARE_LESSTHAN" -> PushedPredicate.Op.LT;
                case "COMPARE_LESSTHANOREQUALTO" -> PushedPredicate.Op.LE;
                case "COMPARE_GREATERTHAN" -> PushedPredicate.Op.GT;
                case "COMPARE_GREATERTHANOREQUALTO" -> PushedPredicate.Op.GE;
                default -> null;
            };
            if (op == null) {
                return null;
            }
            JsonNode left = term.path("left");
            JsonNode right = term.path("right");
            if (isConstant(left) && !isConstant(right)) {
                JsonNode swap = left;
                left = right;
                right = swap;
                op = op.flipped();
            }
            String column = column(left, qualifier, alone);
            Object value = constant(right);
            return column == null || value == null ? null : new PushedPredicate(column, op, List.of(value));
        }
        if (cls.equals("OPERATOR") && type.equals("COMPARE_IN")) {
            JsonNode children = term.path("children");
            String column = children.size() < 2 ? null : column(children.get(0), qualifier, alone);
            if (column == null) {
                return null;
            }
            List<Object> values = new ArrayList<>();
            for (int i = 1; i < children.size(); i++) {
                Object v = constant(children.get(i));
                if (v == null || !values.isEmpty() && v.getClass() != values.get(0).getClass()) {
                    return null;
                }
                values.add(v);
            }
            return new PushedPredicate(column, PushedPredicate.Op.IN, values);
        }
        if (cls.equals("OPERATOR") && (type.equals("OPERATOR_IS_NULL") || type.equals("OPERATOR_IS_NOT_NULL"))) {
            JsonNode children = term.path("children");
            String column = children.size() != 1 ? null : column(children.get(0), qualifier, alone);
            return column == null ? null : new PushedPredicate(column,
                    type.equals("OPERATOR_IS_NULL") ? PushedPredicate.Op.IS_NULL : PushedPredicate.Op.IS_NOT_NULL, List.of());
        }
        return null;
    }

    private static String column(JsonNode ref, String qualifier, boolean alone) {
        if (!ref.path("class").asText("").equals("COLUMN_REF")) {
            return null;
        }
        JsonNode names = ref.path("column_names");
        if (names.size() == 2 && names.get(0).asText("").equalsIgnoreCase(qualifier)) {
            return names.get(1).asText();
        }
        return names.size() == 1 && alone ? names.get(0).asText() : null;
    }

    private static boolean isConstant(JsonNode node) {
        return node.path("class").asText("").equals("CONSTANT");
    }

    /**
     * A constant DuckDB and every source read the same way: a string, an integer, or a decimal
     * number without exponent of at most 18 digits (DuckDB reads longer ones and exponents as DOUBLE,
     * which would compare inexactly). Anything else (booleans, NULL, casts): null.
     */
    static Object constant(JsonNode node) {
        if (!isConstant(node)) {
            return null;
        }
        String kind = node.path("literal").path("kind").asText("");
        String text = node.path("literal").path("text").asText(null);
        if (text == null) {
            return null;
        }
        try {
            return switch (kind) {
                case "STRING" -> text;
                case "INTEGER" -> new java.math.BigDecimal(new java.math.BigInteger(text));
                case "NUMERIC" -> text.matches("-?[0-9]+\\.[0-9]+") && text.replaceAll("[^0-9]", "").length() <= 18
                        ? new java.math.BigDecimal(text) : null;
                default -> null;
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
