package io.sluice.standin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small lexer for Athena SQL: enough to classify a statement, find where it ends, and pick out
 * names, without a full grammar. Comments and whitespace are dropped; string literals and quoted
 * identifiers stay whole.
 */
final class SqlText {
    enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, SYMBOL }

    /** One token; {@code start} and {@code end} are character offsets in the original text. */
    record Token(Kind kind, String text, int start, int end) {
        /** Upper-cased text of a word, or the raw text otherwise. */
        String keyword() {
            return kind == Kind.WORD ? text.toUpperCase(Locale.ROOT) : text;
        }

        boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        /** The identifier a word or quoted name stands for. */
        String name() {
            switch (kind) {
                case QUOTED_NAME:
                    String quote = text.substring(0, 1);
                    return text.substring(1, text.length() - 1).replace(quote + quote, quote);
                default:
                    return text;
            }
        }

        boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED_NAME;
        }
    }

    private final String sql;
    private final List<Token> tokens;

    private SqlText(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = tokens;
    }

    static SqlText of(String sql) {
        return new SqlText(sql, tokenize(sql));
    }

    String sql() {
        return sql;
    }

    List<Token> tokens() {
        return tokens;
    }

    boolean isEmpty() {
        return tokens.isEmpty();
    }

    Token token(int index) {
        return index < tokens.size() ? tokens.get(index) : null;
    }

    /**
     * The first {@code ;} that is followed by more SQL, i.e. the start of a second statement, or
     * null. A single trailing {@code ;} is accepted, as Athena does.
     */
    Token secondStatement() {
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.isSymbol(";")) {
                for (int j = i + 1; j < tokens.size(); j++) {
                    if (!tokens.get(j).isSymbol(";")) {
                        return tokens.get(j);
                    }
                }
                return null;
            }
        }
        return null;
    }

    /** The SQL without trailing semicolons (DuckDB would take an empty statement after them). */
    String withoutTrailingSemicolons() {
        int end = tokens.size();
        while (end > 0 && tokens.get(end - 1).isSymbol(";")) {
            end--;
        }
        return end == 0 ? "" : sql.substring(0, tokens.get(end - 1).end());
    }

    /** The text from a token to the end of the statement. */
    String textFrom(Token token) {
        String body = withoutTrailingSemicolons();
        return token.start() >= body.length() ? "" : body.substring(token.start());
    }

    /** Athena's {@code line L:C} for a character offset, both 1-based. */
    String lineAndColumn(int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(offset, sql.length()); i++) {
            if (sql.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return line + ":" + column;
    }

    private static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == '\'') {
                int end = quotedEnd(sql, i, '\'');
                tokens.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
                i = end;
            } else if (c == '"' || c == '`') {
                int end = quotedEnd(sql, i, c);
                tokens.add(new Token(Kind.QUOTED_NAME, sql.substring(i, end), i, end));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, sql.substring(start, i), start, i));
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Kind.NUMBER, sql.substring(start, i), start, i));
            } else {
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i, i + 1));
                i++;
            }
        }
        return tokens;
    }

    /** The end of a quoted run starting at {@code start}; a doubled quote is an escaped quote. */
    private static int quotedEnd(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }
}
