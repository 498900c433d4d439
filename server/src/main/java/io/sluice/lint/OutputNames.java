package io.sluice.lint;

import io.trino.sql.tree.AllColumns;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.QueryBody;
import io.trino.sql.tree.QuerySpecification;
import io.trino.sql.tree.SelectItem;
import io.trino.sql.tree.SetOperation;
import io.trino.sql.tree.SingleColumn;
import io.trino.sql.tree.TableSubquery;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The output column names of a query as far as its text tells them (lower case; "" for unnamed). */
final class OutputNames {

    private OutputNames() {
    }

    /** The names, or null when a {@code *} or a construct hides them. */
    static List<String> of(Query query) {
        return of(query.getQueryBody());
    }

    static List<String> of(QueryBody body) {
        if (body instanceof QuerySpecification spec) {
            List<String> names = new ArrayList<>();
            for (SelectItem item : spec.getSelect().getSelectItems()) {
                if (item instanceof AllColumns || !(item instanceof SingleColumn single)) {
                    return null;
                }
                List<String> parts = Scope.nameParts(single.getExpression());
                names.add(single.getAlias().map(a -> a.getValue().toLowerCase(Locale.ROOT))
                        .orElse(parts == null ? "" : parts.get(parts.size() - 1)));
            }
            return names;
        }
        if (body instanceof SetOperation set && !set.getRelations().isEmpty()
                && set.getRelations().get(0) instanceof QueryBody first) {
            return of(first);
        }
        if (body instanceof TableSubquery sub) {
            return of(sub.getQuery());
        }
        return null;
    }

    /**
     * The names in a set operation's later branch that stand where {@code first} has
     * {@code pushed} (matched by position); a name is kept as is where positions are unknown.
     */
    static Set<String> translate(Set<String> pushed, List<String> first, List<String> branch) {
        if (first == null || branch == null || first == branch) {
            return pushed;
        }
        Set<String> result = new HashSet<>();
        for (String name : pushed) {
            int index = first.indexOf(name);
            result.add(index >= 0 && index < branch.size() && !branch.get(index).isEmpty() ? branch.get(index) : name);
        }
        return result;
    }
}
