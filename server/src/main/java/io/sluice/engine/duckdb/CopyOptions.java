package io.sluice.engine.duckdb;

import io.sluice.engine.duckdb.SqlLexer.Quoting;
import io.sluice.engine.duckdb.SqlLexer.Token;
import io.sluice.engine.duckdb.SqlLexer.Type;

import java.util.List;

/**
 * The options after the target of {@code COPY … TO} or {@code EXPORT DATABASE}, accepted only as
 * plain values. DuckDB evaluates option values as expressions, so {@code FILENAME_PATTERN '.' ||
 * './x'} or a function call could compute a name that leaves the target folder; plain literals can
 * be checked. Accepted: {@code [WITH] (name [value], …)} where a value is a word, a number, a
 * plain or dollar-quoted string, a quoted identifier, {@code *}, {@code -number}, a list
 * {@code (v, …)} or {@code [v, …]}, or a struct {@code {k: v, …}}; or the old form of bare words,
 * strings and numbers. No value may hold {@code ..}; a file name pattern or extension may hold no
 * path separator.
 */
final class CopyOptions {

    private final List<Token> tokens;

    private CopyOptions(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Whether the tokens from {@code from} to the end are acceptable options. */
    static boolean safe(List<Token> tokens, int from) {
        return new CopyOptions(tokens).options(from);
    }

    /** The index after the group opened by the parenthesis at {@code i}, or -1 when it does not close. */
    static int afterGroup(List<Token> tokens, int i) {
        if (i < 0 || i >= tokens.size() || !tokens.get(i).isSymbol('(')) {
            return -1;
        }
        int depth = 0;
        for (int j = i; j < tokens.size(); j++) {
            Token t = tokens.get(j);
            if (t.isSymbol('(')) {
                depth++;
            } else if (t.isSymbol(')') && --depth == 0) {
                return j + 1;
            }
        }
        return -1;
    }

    private boolean options(int i) {
        if (i >= tokens.size()) {
            return true;
        }
        if (tokens.get(i).isWord("WITH")) {
            i++;
        }
        return at(i) != null && at(i).isSymbol('(') ? list(i + 1) : legacy(i);
    }

    /** {@code name [value] (, name [value])* )} ending the statement. */
    private boolean list(int i) {
        if (at(i) != null && at(i).isSymbol(')')) {
            return i == tokens.size() - 1;
        }
        while (true) {
            Token name = at(i);
            if (name == null || name.type() != Type.WORD) {
                return false;
            }
            boolean fileName = StatementRules.isFileNameOption(name.value());
            i++;
            if (!endsOption(at(i))) {
                i = value(i, fileName);
                if (i < 0) {
                    return false;
                }
            }
            Token next = at(i);
            if (next != null && next.isSymbol(',')) {
                i++;
            } else {
                return next != null && next.isSymbol(')') && i == tokens.size() - 1;
            }
        }
    }

    /** One option value; answers the index after it, or -1 when it is not a plain value. */
    private int value(int i, boolean fileName) {
        Token t = at(i);
        if (t == null) {
            return -1;
        }
        if (t.isSymbol('(') || t.isSymbol('[')) {
            return sequence(i + 1, t.isSymbol('(') ? ')' : ']', fileName, false);
        }
        if (t.isSymbol('{')) {
            return sequence(i + 1, '}', fileName, true);
        }
        if (t.isSymbol('-') && at(i + 1) != null && at(i + 1).type() == Type.NUMBER) {
            return i + 2;
        }
        if (t.isSymbol('*')) {
            return i + 1;
        }
        return scalar(t, fileName) ? i + 1 : -1;
    }

    /** {@code v, v, …} (or {@code k: v, …} in a struct) up to {@code close}. */
    private int sequence(int i, char close, boolean fileName, boolean struct) {
        while (true) {
            if (struct) {
                if (!scalar(at(i), fileName) || at(i + 1) == null || !at(i + 1).isSymbol(':')) {
                    return -1;
                }
                i += 2;
            }
            if (!scalar(at(i), fileName)) {
                return -1;
            }
            i++;
            Token next = at(i);
            if (next != null && next.isSymbol(close)) {
                return i + 1;
            }
            if (next == null || !next.isSymbol(',')) {
                return -1;
            }
            i++;
        }
    }

    /** The old option form: bare words, strings and numbers, as in {@code DELIMITER ';' HEADER}. */
    private boolean legacy(int i) {
        for (int j = i; j < tokens.size(); j++) {
            Token t = tokens.get(j);
            if (t.type() == Type.WORD && StatementRules.isFileNameOption(t.value())) {
                return false;
            }
            if (!(t.isSymbol(',') || t.isSymbol('*') || scalar(t, false))) {
                return false;
            }
        }
        return true;
    }

    private static boolean scalar(Token t, boolean fileName) {
        if (t == null) {
            return false;
        }
        return switch (t.type()) {
            case WORD, NUMBER -> true;
            case QUOTED_IDENTIFIER -> plainValue(t.value(), fileName);
            case STRING -> (t.quoting() == Quoting.PLAIN || t.quoting() == Quoting.DOLLAR) && plainValue(t.value(), fileName);
            case SYMBOL -> false;
        };
    }

    private static boolean plainValue(String value, boolean fileName) {
        return !value.contains("..") && !(fileName && (value.contains("/") || value.contains("\\")));
    }

    private static boolean endsOption(Token t) {
        return t != null && (t.isSymbol(',') || t.isSymbol(')'));
    }

    private Token at(int i) {
        return i >= 0 && i < tokens.size() ? tokens.get(i) : null;
    }
}
