package io.sluice.lint;

import io.trino.sql.tree.BetweenPredicate;
import io.trino.sql.tree.Cast;
import io.trino.sql.tree.ComparisonExpression;
import io.trino.sql.tree.DataType;
import io.trino.sql.tree.DereferenceExpression;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.FunctionCall;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.InPredicate;
import io.trino.sql.tree.LikePredicate;
import io.trino.sql.tree.LogicalExpression;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.SubqueryExpression;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The sources of one query's FROM clause: resolves column references to them and finds which of
 * their columns a predicate constrains. A predicate constrains a column when it compares it (=, <,
 * <=, >, >=, IN, BETWEEN, LIKE; the column possibly inside a CAST or {@code date()}) to something
 * that reads no column of this FROM clause: a constant, a parameter, a subquery. AND constrains
 * what any of its terms does; OR only what every branch does; NOT nothing. An equality between
 * columns of two different sources ({@code a.dt = b.dt}) passes a constraint from one to the other,
 * as the engine infers it; one between columns of the same source passes nothing.
 */
final class Scope {

    /** A column of one source. */
    record Ref(Source source, String column) {
    }

    private final List<Source> sources;

    Scope(List<Source> sources) {
        this.sources = sources;
    }

    List<Source> sources() {
        return sources;
    }

    /** The column a plain or qualified name refers to, or null. */
    Ref resolve(Expression e) {
        List<String> parts = nameParts(e);
        if (parts == null) {
            return null;
        }
        String column = parts.get(parts.size() - 1);
        if (parts.size() == 1) {
            for (Source s : sources) {
                if (s.has(column)) {
                    return new Ref(s, column);
                }
            }
            List<Source> unknown = sources.stream().filter(s -> s.columns == null).toList();
            if (sources.size() == 1 || unknown.size() == 1) {
                return new Ref(sources.size() == 1 ? sources.get(0) : unknown.get(0), column);
            }
            return null;
        }
        String qualifier = parts.get(parts.size() - 2);
        for (Source s : sources) {
            if (qualifier.equals(s.alias)) {
                return new Ref(s, column);
            }
        }
        return null;
    }

    /** The columns {@code predicate} constrains. */
    Set<Ref> constrained(Expression predicate) {
        if (predicate instanceof LogicalExpression logical) {
            Set<Ref> result = null;
            for (Expression term : logical.getTerms()) {
                Set<Ref> refs = constrained(term);
                if (result == null) {
                    result = new HashSet<>(refs);
                } else if (logical.getOperator() == LogicalExpression.Operator.AND) {
                    result.addAll(refs);
                } else {
                    result.retainAll(refs);
                }
            }
            return result == null ? Set.of() : result;
        }
        Set<Ref> result = new HashSet<>();
        if (predicate instanceof ComparisonExpression c) {
            switch (c.getOperator()) {
                case EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
                    addIfBounded(result, c.getLeft(), List.of(c.getRight()));
                    addIfBounded(result, c.getRight(), List.of(c.getLeft()));
                }
                default -> { }
            }
        } else if (predicate instanceof InPredicate in) {
            addIfBounded(result, in.getValue(), List.of(in.getValueList()));
        } else if (predicate instanceof BetweenPredicate between) {
            addIfBounded(result, between.getValue(), List.of(between.getMin(), between.getMax()));
        } else if (predicate instanceof LikePredicate like) {
            addIfBounded(result, like.getValue(), List.of(like.getPattern()));
        }
        return result;
    }

    /** The column {@code e} is (looking through casts and {@code date()}), or null. */
    Ref key(Expression e) {
        Expression inner = e;
        while (true) {
            if (inner instanceof Cast cast) {
                inner = cast.getExpression();
            } else if (inner instanceof FunctionCall call && call.getArguments().size() == 1 && call.getWindow().isEmpty()
                    && call.getName().getParts().size() == 1 && call.getName().getSuffix().equalsIgnoreCase("date")) {
                inner = call.getArguments().get(0);
            } else {
                break;
            }
        }
        return resolve(inner);
    }

    private void addIfBounded(Set<Ref> result, Expression side, List<Expression> others) {
        Ref ref = key(side);
        if (ref == null) {
            return;
        }
        for (Expression other : others) {
            for (Source source : sources) {
                if (reads(other, source)) {
                    return;
                }
            }
        }
        result.add(ref);
    }

    /** The equalities between columns of two different sources that {@code predicate} implies. */
    List<Ref[]> equalities(Expression predicate) {
        List<Ref[]> pairs = new ArrayList<>();
        if (predicate instanceof LogicalExpression logical && logical.getOperator() == LogicalExpression.Operator.AND) {
            for (Expression term : logical.getTerms()) {
                pairs.addAll(equalities(term));
            }
        } else if (predicate instanceof ComparisonExpression c && c.getOperator() == ComparisonExpression.Operator.EQUAL) {
            Ref left = key(c.getLeft());
            Ref right = key(c.getRight());
            if (left != null && right != null && left.source() != right.source()) {
                pairs.add(new Ref[] {left, right});
            }
        }
        return pairs;
    }

    /** Whether {@code e} reads a column of {@code source} (subqueries aside). */
    boolean reads(Node e, Source source) {
        if (e instanceof SubqueryExpression || e instanceof DataType) {
            return false;
        }
        if (e instanceof Expression expression && nameParts(expression) != null) {
            Ref ref = resolve(expression);
            return ref != null && ref.source() == source;
        }
        for (Node child : e.getChildren()) {
            if (reads(child, source)) {
                return true;
            }
        }
        return false;
    }

    /** The lower-case parts of a plain or dotted name ({@code dt}, {@code e.dt}), else null. */
    static List<String> nameParts(Expression e) {
        if (e instanceof Identifier id) {
            List<String> parts = new ArrayList<>();
            parts.add(id.getValue().toLowerCase(Locale.ROOT));
            return parts;
        }
        if (e instanceof DereferenceExpression d && d.getField().isPresent()) {
            List<String> base = nameParts(d.getBase());
            if (base == null) {
                return null;
            }
            base.add(d.getField().get().getValue().toLowerCase(Locale.ROOT));
            return base;
        }
        return null;
    }
}
