package io.sluice.lint;

import io.trino.sql.tree.WithQuery;

import java.util.Locale;

/** The common table expressions in scope, innermost first; each remembers the ones it can see. */
record Ctes(String name, WithQuery query, Ctes definedIn, Ctes outer) {

    static final Ctes NONE = new Ctes(null, null, null, null);

    Ctes with(WithQuery query) {
        return new Ctes(query.getName().getValue().toLowerCase(Locale.ROOT), query, this, this);
    }

    /** The CTE of that (lower-case) name, or null. */
    Ctes find(String lowerName) {
        for (Ctes c = this; c != null && c.name != null; c = c.outer) {
            if (c.name.equals(lowerName)) {
                return c;
            }
        }
        return null;
    }
}
