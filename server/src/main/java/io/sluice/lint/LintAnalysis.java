package io.sluice.lint;

import io.trino.sql.tree.AliasedRelation;
import io.trino.sql.tree.AllColumns;
import io.trino.sql.tree.CreateTableAsSelect;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Insert;
import io.trino.sql.tree.Join;
import io.trino.sql.tree.JoinOn;
import io.trino.sql.tree.JoinUsing;
import io.trino.sql.tree.Lateral;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.QueryBody;
import io.trino.sql.tree.QuerySpecification;
import io.trino.sql.tree.Relation;
import io.trino.sql.tree.SampledRelation;
import io.trino.sql.tree.SelectItem;
import io.trino.sql.tree.SetOperation;
import io.trino.sql.tree.SingleColumn;
import io.trino.sql.tree.Statement;
import io.trino.sql.tree.SubqueryExpression;
import io.trino.sql.tree.Table;
import io.trino.sql.tree.TableSubquery;
import io.trino.sql.tree.WithQuery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One walk over a parsed statement: which partitioned tables are read with no predicate on any
 * partition key, and which wide tables reach the output through {@code SELECT *}. Subqueries and
 * CTEs are analyzed per reference, with what the outer query constrains of their output columns
 * (so {@code SELECT * FROM (SELECT * FROM t) WHERE dt = ...} counts as filtered). {@code SELECT *}
 * matters only where it reaches what the statement returns or writes: inside an {@code IN} or
 * {@code EXISTS}, or under an outer query that picks columns, Athena reads only what is used.
 */
final class LintAnalysis {

    private static final int MAX_DEPTH = 64;

    private final TableLookup tables;
    private final int wideColumns;
    private final Map<String, List<String>> unfiltered = new LinkedHashMap<>();
    private final Map<String, Integer> wide = new LinkedHashMap<>();
    private int depth;

    LintAnalysis(TableLookup tables, int wideColumns) {
        this.tables = tables;
        this.wideColumns = wideColumns;
    }

    /** Findings for the statement, partition findings first, then wide tables. */
    List<LintFinding> run(Statement statement) {
        Query query = null;
        if (statement instanceof Query q) {
            query = q;
        } else if (statement instanceof CreateTableAsSelect ctas) {
            query = ctas.getQuery();
        } else if (statement instanceof Insert insert) {
            query = insert.getQuery();
        }
        if (query != null) {
            query(query, Ctes.NONE, Set.of(), true);
        }
        List<LintFinding> findings = new ArrayList<>();
        unfiltered.forEach((table, keys) -> findings.add(new LintFinding(LintFinding.NO_PARTITION_FILTER,
                ordered("table", table, "partitionKeys", keys))));
        wide.forEach((table, columns) -> findings.add(new LintFinding(LintFinding.SELECT_STAR_WIDE,
                ordered("table", table, "columns", columns))));
        return findings;
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(k1, v1);
        params.put(k2, v2);
        return params;
    }

    /**
     * @param pushed     the output columns (lower case) that the outer query constrains
     * @param wholeOutput whether all of its output reaches the statement's result
     */
    private void query(Query query, Ctes ctes, Set<String> pushed, boolean wholeOutput) {
        if (++depth > MAX_DEPTH) {
            depth--;
            return;
        }
        try {
            Ctes scope = ctes;
            if (query.getWith().isPresent()) {
                for (WithQuery with : query.getWith().get().getQueries()) {
                    scope = scope.with(with);
                }
            }
            body(query.getQueryBody(), scope, pushed, wholeOutput);
        } finally {
            depth--;
        }
    }

    private void body(QueryBody body, Ctes ctes, Set<String> pushed, boolean wholeOutput) {
        if (body instanceof QuerySpecification spec) {
            specification(spec, ctes, pushed, wholeOutput);
        } else if (body instanceof SetOperation set) {
            List<String> first = null;
            for (Relation relation : set.getRelations()) {
                List<String> names = relation instanceof QueryBody b ? OutputNames.of(b) : null;
                if (first == null) {
                    first = names;
                }
                Set<String> translated = OutputNames.translate(pushed, first, names);
                if (relation instanceof QueryBody b) {
                    body(b, ctes, translated, wholeOutput);
                }
            }
        } else if (body instanceof TableSubquery sub) {
            query(sub.getQuery(), ctes, pushed, wholeOutput);
        } else if (body instanceof Table table) {
            // TABLE t: every row and column of t.
            Source source = source(table, ctes, null);
            source.wholeOutput = wholeOutput;
            for (String column : pushed) {
                source.constrained.add(column);
            }
            finish(List.of(source));
        } else {
            nested(body, ctes);
        }
    }

    private void specification(QuerySpecification spec, Ctes ctes, Set<String> pushed, boolean wholeOutput) {
        List<Source> sources = new ArrayList<>();
        List<Condition> conditions = new ArrayList<>();
        List<Scope.Ref[]> usingLinks = new ArrayList<>();
        spec.getFrom().ifPresent(from -> relation(from, ctes, sources, conditions, usingLinks));
        Scope scope = new Scope(sources);
        spec.getWhere().ifPresent(where -> conditions.add(new Condition(where, sources)));
        List<Scope.Ref[]> links = new ArrayList<>(usingLinks);
        for (Condition condition : conditions) {
            for (Scope.Ref ref : scope.constrained(condition.predicate())) {
                if (condition.applies().contains(ref.source())) {
                    ref.source().constrained.add(ref.column());
                }
            }
            for (Scope.Ref[] pair : scope.equalities(condition.predicate())) {
                for (int i = 0; i < 2; i++) {
                    if (condition.applies().contains(pair[1 - i].source())) {
                        links.add(new Scope.Ref[] {pair[i], pair[1 - i]});
                    }
                }
            }
        }
        for (String column : pushed) {
            Scope.Ref ref = outputColumn(spec, scope, column);
            if (ref != null) {
                ref.source().constrained.add(ref.column());
            }
        }
        propagate(links);
        for (SelectItem item : spec.getSelect().getSelectItems()) {
            if (item instanceof AllColumns all) {
                for (Source source : starred(all, sources)) {
                    source.wholeOutput |= wholeOutput;
                }
            }
        }
        finish(sources);
        nested(spec.getSelect(), ctes);
        spec.getGroupBy().ifPresent(groupBy -> nested(groupBy, ctes));
        spec.getHaving().ifPresent(having -> nested(having, ctes));
        for (Condition condition : conditions) {
            nested(condition.predicate(), ctes);
        }
    }

    /** Passes constraints along equalities (from the first column of a link to the second) until nothing changes. */
    private static void propagate(List<Scope.Ref[]> links) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Scope.Ref[] link : links) {
                if (link[0].source().constrained.contains(link[0].column())) {
                    changed |= link[1].source().constrained.add(link[1].column());
                }
            }
        }
    }

    /** The sources a {@code *} or {@code t.*} takes every column of. */
    private static List<Source> starred(AllColumns all, List<Source> sources) {
        if (all.getTarget().isEmpty()) {
            return sources;
        }
        List<String> parts = Scope.nameParts(all.getTarget().get());
        if (parts == null) {
            return List.of();
        }
        String qualifier = parts.get(parts.size() - 1);
        return sources.stream().filter(s -> qualifier.equals(s.alias)).toList();
    }

    /** The source column behind one output column of {@code spec}, or null. */
    private static Scope.Ref outputColumn(QuerySpecification spec, Scope scope, String column) {
        for (SelectItem item : spec.getSelect().getSelectItems()) {
            if (item instanceof SingleColumn single) {
                List<String> parts = Scope.nameParts(single.getExpression());
                String name = single.getAlias().map(a -> a.getValue().toLowerCase(Locale.ROOT))
                        .orElse(parts == null ? null : parts.get(parts.size() - 1));
                if (column.equals(name)) {
                    return scope.key(single.getExpression());
                }
            }
        }
        for (SelectItem item : spec.getSelect().getSelectItems()) {
            if (item instanceof AllColumns all) {
                for (Source source : starred(all, scope.sources())) {
                    if (source.has(column) || source.columns == null) {
                        return new Scope.Ref(source, column);
                    }
                }
            }
        }
        return null;
    }

    /** Reports the tables among {@code sources} and analyzes the derived ones. */
    private void finish(List<Source> sources) {
        for (Source source : sources) {
            if (source.table != null) {
                TableShape table = source.table;
                if (!table.partitionKeys().isEmpty()
                        && Collections.disjoint(table.partitionKeys(), source.constrained)) {
                    unfiltered.putIfAbsent(table.name(), table.partitionKeys());
                }
                if (source.wholeOutput && table.columns().size() >= wideColumns) {
                    wide.putIfAbsent(table.name(), table.columns().size());
                }
            } else if (source.derived != null) {
                query(source.derived, source.derivedCtes, Set.copyOf(source.constrained), source.wholeOutput);
            }
        }
    }

    /** A predicate and the sources it may filter (an outer join's ON does not filter its preserved side). */
    private record Condition(Expression predicate, List<Source> applies) {
    }

    private void relation(Relation relation, Ctes ctes, List<Source> sources, List<Condition> conditions,
                          List<Scope.Ref[]> usingLinks) {
        if (relation instanceof Join join) {
            List<Source> left = new ArrayList<>();
            List<Source> right = new ArrayList<>();
            relation(join.getLeft(), ctes, left, conditions, usingLinks);
            relation(join.getRight(), ctes, right, conditions, usingLinks);
            sources.addAll(left);
            sources.addAll(right);
            List<Source> applies = switch (join.getType()) {
                case LEFT -> right;
                case RIGHT -> left;
                case FULL -> List.of();
                default -> {
                    List<Source> both = new ArrayList<>(left);
                    both.addAll(right);
                    yield both;
                }
            };
            join.getCriteria().ifPresent(criteria -> {
                if (criteria instanceof JoinOn on) {
                    conditions.add(new Condition(on.getExpression(), applies));
                } else if (criteria instanceof JoinUsing using) {
                    // USING (k): left k = right k.
                    for (Identifier column : using.getColumns()) {
                        String name = column.getValue().toLowerCase(Locale.ROOT);
                        Scope.Ref l = new Scope(left).resolve(new Identifier(name));
                        Scope.Ref r = new Scope(right).resolve(new Identifier(name));
                        if (l != null && r != null) {
                            if (applies.contains(r.source())) {
                                usingLinks.add(new Scope.Ref[] {l, r});
                            }
                            if (applies.contains(l.source())) {
                                usingLinks.add(new Scope.Ref[] {r, l});
                            }
                        }
                    }
                }
            });
        } else if (relation instanceof AliasedRelation aliased) {
            String alias = aliased.getAlias().getValue().toLowerCase(Locale.ROOT);
            List<Source> inner = new ArrayList<>();
            relation(aliased.getRelation(), ctes, inner, conditions, usingLinks);
            for (Source s : inner) {
                Source named = s.renamed(alias);
                if (aliased.getColumnNames() != null && !aliased.getColumnNames().isEmpty() && s.derived != null) {
                    // Renamed columns: what the outer query says of them cannot be traced.
                    named = Source.opaque(alias);
                    query(s.derived, s.derivedCtes, Set.of(), false);
                }
                sources.add(named);
            }
        } else if (relation instanceof Table table) {
            sources.add(source(table, ctes, null));
        } else if (relation instanceof TableSubquery sub) {
            sources.add(Source.derived(null, sub.getQuery(), ctes, OutputNames.of(sub.getQuery())));
        } else if (relation instanceof Lateral lateral) {
            sources.add(Source.derived(null, lateral.getQuery(), ctes, OutputNames.of(lateral.getQuery())));
        } else if (relation instanceof SampledRelation sampled) {
            relation(sampled.getRelation(), ctes, sources, conditions, usingLinks);
        } else if (relation instanceof QueryBody body) {
            body(body, ctes, Set.of(), false);
            sources.add(Source.opaque(null));
        } else {
            nested(relation, ctes);
            sources.add(Source.opaque(null));
        }
    }

    /** A table name: a CTE in scope, else a catalog table (opaque when unknown). */
    private Source source(Table table, Ctes ctes, String alias) {
        List<String> parts = table.getName().getOriginalParts().stream().map(Identifier::getValue).toList();
        String last = parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
        String name = alias == null ? last : alias;
        if (parts.size() == 1) {
            Ctes cte = ctes.find(last);
            if (cte != null) {
                WithQuery with = cte.query();
                List<String> columns = with.getColumnNames()
                        .map(ids -> ids.stream().map(id -> id.getValue().toLowerCase(Locale.ROOT)).toList())
                        .orElseGet(() -> OutputNames.of(with.getQuery()));
                if (with.getColumnNames().isPresent()) {
                    // Renamed columns cannot be traced into the CTE: analyze it unfiltered.
                    query(with.getQuery(), cte.definedIn(), Set.of(), false);
                    return Source.opaque(name);
                }
                return Source.derived(name, with.getQuery(), cte.definedIn(), columns);
            }
        }
        Optional<TableShape> shape = tables.find(parts);
        return shape.map(s -> Source.table(name, s)).orElseGet(() -> Source.opaque(name));
    }

    /** Analyzes the subqueries inside an expression or other node (IN, EXISTS, scalar subqueries). */
    private void nested(Node node, Ctes ctes) {
        if (node instanceof SubqueryExpression sub) {
            query(sub.getQuery(), ctes, Set.of(), false);
            return;
        }
        if (node instanceof Query query) {
            query(query, ctes, Set.of(), false);
            return;
        }
        for (Node child : node.getChildren()) {
            nested(child, ctes);
        }
    }
}
