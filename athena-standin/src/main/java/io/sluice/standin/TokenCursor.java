package io.sluice.standin;

import io.sluice.standin.SqlText.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An indexed view of one statement's tokens for the statement parsers: lookups by position,
 * names, and Athena-style parser errors. Trailing semicolons are not part of the statement.
 */
abstract class TokenCursor {
    static final String EXPECTING = "Expecting: 'ALTER', 'CREATE', 'DELETE', 'DESC', 'DESCRIBE', "
            + "'DROP', 'EXPLAIN', 'INSERT', 'MERGE', 'MSCK', 'SHOW', 'UPDATE', <query>";

    final SqlText sql;
    final List<Token> tokens;
    /** The index after the statement's last token, trailing semicolons excluded. */
    final int end;

    TokenCursor(SqlText sql) {
        this.sql = sql;
        this.tokens = sql.tokens();
        int last = tokens.size();
        while (last > 0 && tokens.get(last - 1).isSymbol(";")) {
            last--;
        }
        this.end = last;
    }

    int matching(int open) {
        int depth = 0;
        for (int i = open; i < end; i++) {
            if (tokens.get(i).isSymbol("(")) {
                depth++;
            } else if (tokens.get(i).isSymbol(")") && --depth == 0) {
                return i;
            }
        }
        throw malformed(sql, sql.sql().length(), "mismatched input '<EOF>'. Expecting: ')'");
    }

    QualifiedName qualifiedName(int i) {
        List<String> parts = new ArrayList<>();
        parts.add(name(i));
        i++;
        while (isSymbol(i, ".")) {
            parts.add(name(i + 1));
            i += 2;
        }
        if (parts.size() > 3) {
            throw unexpected(i);
        }
        return new QualifiedName(parts, i);
    }

    String name(int i) {
        Token token = token(i);
        if (token == null || i >= end || !token.isName()) {
            throw unexpected(i);
        }
        return token.name();
    }

    static String literal(Token token) {
        String text = token.text();
        return text.substring(1, Math.max(1, text.length() - 1)).replace("''", "'");
    }

    void expectEnd(int i) {
        if (i < end) {
            Token token = tokens.get(i);
            throw malformed(sql, token.start(), "mismatched input '" + token.text() + "'. Expecting: <EOF>");
        }
    }

    AthenaException unexpected(int i) {
        if (i >= end) {
            return malformed(sql, sql.sql().length(), "mismatched input '<EOF>'");
        }
        Token token = tokens.get(i);
        String detail = "mismatched input '" + token.text() + "'";
        return malformed(sql, token.start(), i == 0 ? detail + ". " + EXPECTING : detail);
    }

    Token token(int i) {
        return i < end ? tokens.get(i) : null;
    }

    boolean is(int i, String keyword) {
        Token token = token(i);
        return token != null && token.is(keyword);
    }

    boolean isSymbol(int i, String symbol) {
        Token token = token(i);
        return token != null && token.isSymbol(symbol);
    }

    boolean isSequence(int i, String... keywords) {
        for (int k = 0; k < keywords.length; k++) {
            if (!is(i + k, keywords[k])) {
                return false;
            }
        }
        return true;
    }

    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code [catalog.][database.]table} and the token index after it. */
    record QualifiedName(List<String> parts, int next) {
        String table() {
            return parts.get(parts.size() - 1);
        }

        String database() {
            return parts.size() >= 2 ? parts.get(parts.size() - 2) : null;
        }

        String sql() {
            return parts.stream().map(TokenCursor::quote).collect(Collectors.joining("."));
        }
    }

    /** Athena's parser error, e.g. {@code line 1:1: mismatched input 'SELEC'. Expecting: ...}. */
    static AthenaException malformed(SqlText sql, int offset, String detail) {
        return AthenaException.invalidRequest("MALFORMED_QUERY", "line " + sql.lineAndColumn(offset) + ": " + detail);
    }
}
