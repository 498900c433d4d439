package io.sluice.plan;

import io.sluice.engine.SqlQuotes;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code $1}, {@code $2}, … placeholders of a RelationalQuery's SQL, as PostgreSQL writes them,
 * turned into JDBC's {@code ?}: the placeholders inside string literals, quoted identifiers,
 * dollar-quoted strings and comments are left alone. {@code order} names the placeholder of each
 * {@code ?} in turn (one used twice is bound twice).
 */
record Placeholders(String jdbcSql, List<String> order) {

    static Placeholders of(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        List<String> order = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = SqlQuotes.end(sql, i, c);
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))
                    && (i == 0 || !isWordChar(sql.charAt(i - 1)))) {
                int end = i + 1;
                while (end < n && Character.isDigit(sql.charAt(end))) {
                    end++;
                }
                order.add(sql.substring(i, end));
                out.append('?');
                i = end;
            } else if (c == '$' && (i == 0 || !isWordChar(sql.charAt(i - 1)))) {
                int tagEnd = i + 1;
                while (tagEnd < n && isWordChar(sql.charAt(tagEnd))) {
                    tagEnd++;
                }
                if (tagEnd < n && sql.charAt(tagEnd) == '$') {
                    String tag = sql.substring(i, tagEnd + 1);
                    int close = sql.indexOf(tag, tagEnd + 1);
                    int end = close < 0 ? n : close + tag.length();
                    out.append(sql, i, end);
                    i = end;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                if (c == '?') {
                    out.append("??"); // PostgreSQL's JDBC driver: a literal question mark (an operator)
                } else {
                    out.append(c);
                }
                i++;
            }
        }
        return new Placeholders(out.toString(), List.copyOf(order));
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
