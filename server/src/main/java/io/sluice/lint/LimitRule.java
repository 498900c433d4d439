package io.sluice.lint;

import io.trino.sql.tree.AllRows;
import io.trino.sql.tree.FetchFirst;
import io.trino.sql.tree.FunctionCall;
import io.trino.sql.tree.Limit;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.QueryBody;
import io.trino.sql.tree.QuerySpecification;
import io.trino.sql.tree.Relation;
import io.trino.sql.tree.SetOperation;
import io.trino.sql.tree.Statement;
import io.trino.sql.tree.SubqueryExpression;
import io.trino.sql.tree.Table;
import io.trino.sql.tree.TableSubquery;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An exploratory query: a top-level SELECT (not CTAS, INSERT or anything else) that reads rows from
 * a table and returns them without a LIMIT (or FETCH FIRST). Aggregate-only queries (aggregates
 * without GROUP BY: one row) and queries without FROM are not exploratory.
 */
final class LimitRule {

    private static final Set<String> AGGREGATES = Set.of("count", "count_if", "sum", "avg", "min", "max", "min_by",
            "max_by", "arbitrary", "any_value", "approx_distinct", "approx_percentile", "approx_most_frequent",
            "approx_set", "array_agg", "bitwise_and_agg", "bitwise_or_agg", "bitwise_xor_agg", "bool_and", "bool_or",
            "checksum", "corr", "covar_pop", "covar_samp", "every", "geometric_mean", "histogram", "kurtosis",
            "listagg", "map_agg", "map_union", "merge", "multimap_agg", "numeric_histogram",
            "regr_intercept", "regr_slope", "skewness", "stddev", "stddev_pop", "stddev_samp", "variance",
            "var_pop", "var_samp");

    private LimitRule() {
    }

    static boolean unlimited(Statement statement) {
        return statement instanceof Query query && !limited(query) && readsRows(query.getQueryBody());
    }

    private static boolean limited(Query query) {
        if (bounded(query.getLimit())) {
            return true;
        }
        return query.getQueryBody() instanceof QuerySpecification spec && bounded(spec.getLimit());
    }

    private static boolean bounded(Optional<Node> limit) {
        if (limit.isEmpty()) {
            return false;
        }
        Node node = limit.get();
        if (node instanceof Limit l) {
            return !(l.getRowCount() instanceof AllRows);
        }
        return node instanceof FetchFirst;
    }

    private static boolean readsRows(QueryBody body) {
        if (body instanceof QuerySpecification spec) {
            return spec.getFrom().isPresent() && !aggregateOnly(spec);
        }
        if (body instanceof SetOperation set) {
            for (Relation relation : set.getRelations()) {
                if (relation instanceof QueryBody b && readsRows(b)) {
                    return true;
                }
            }
            return false;
        }
        if (body instanceof TableSubquery sub) {
            return !limited(sub.getQuery()) && readsRows(sub.getQuery().getQueryBody());
        }
        return body instanceof Table;
    }

    /** Aggregates without GROUP BY: one row whatever the table holds. */
    private static boolean aggregateOnly(QuerySpecification spec) {
        return spec.getGroupBy().isEmpty() && (spec.getHaving().isPresent() || hasAggregate(spec.getSelect()));
    }

    private static boolean hasAggregate(Node node) {
        if (node instanceof SubqueryExpression) {
            return false;
        }
        if (node instanceof FunctionCall call && call.getWindow().isEmpty()
                && AGGREGATES.contains(call.getName().getSuffix().toLowerCase(Locale.ROOT))) {
            return true;
        }
        for (Node child : node.getChildren()) {
            if (hasAggregate(child)) {
                return true;
            }
        }
        return false;
    }
}
