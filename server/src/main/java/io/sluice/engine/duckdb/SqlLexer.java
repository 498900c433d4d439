package io.sluice.engine.duckdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into statements and tokens exactly where DuckDB's scanner splits it, so that a
 * statement can never hide from {@link StatementRules} inside what only this lexer takes for a
 * string or a comment. A differential test holds it to DuckDB's own parser.
 *
 * <p>The rules, as DuckDB 2.0 lexes: {@code '…'} strings with {@code ''} and no backslash escapes
 * (also after the prefixes {@code N}, {@code B}, {@code X}); {@code E'…'} strings where a backslash
 * escapes the next character; a string closed and followed by whitespace holding a newline (line
 * comments count) and another quote goes on, with the plain rules, whatever its prefix;
 * {@code "…"} identifiers with {@code ""}; dollar quoting {@code $$…$$} and {@code $tag$…$tag$};
 * {@code --} line comments; nested block comments; numbers (an {@code E} that starts no exponent
 * starts the next token, which may be an E string); words of ASCII letters, digits, {@code _},
 * {@code $} and any non-ASCII character.
 */
final class SqlLexer {

    enum Type { WORD, QUOTED_IDENTIFIER, STRING, NUMBER, SYMBOL }

    /** How a string literal was written; only {@link #PLAIN} strings are taken as file names. */
    enum Quoting { PLAIN, ESCAPED, BITS, DOLLAR }

    /**
     * One token. {@code value} is a word as written, a quoted identifier or string without its
     * quotes (plain strings and identifiers with doubled quotes undone), or the symbol's character.
     */
    record Token(Type type, String value, Quoting quoting, int start) {

        /** Whether this is the unquoted word, in any case of its ASCII letters (as DuckDB folds keywords). */
        boolean isWord(String word) {
            if (type != Type.WORD || value.length() != word.length()) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if (asciiLower(value.charAt(i)) != asciiLower(word.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        private static char asciiLower(char c) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }

        boolean isSymbol(char c) {
            return type == Type.SYMBOL && value.length() == 1 && value.charAt(0) == c;
        }

        String upper() {
            return value.toUpperCase(Locale.ROOT);
        }
    }

    /** A statement: its 1-based number among the non-empty statements, and where it starts. */
    record Statement(int number, int start, List<Token> tokens) {
    }

    /** The text cannot be split the way DuckDB would (unterminated literal or comment). */
    static final class LexException extends Exception {
        final int position;

        LexException(String message, int position) {
            super(message);
            this.position = position;
        }
    }

    private final String text;
    private int pos;

    private SqlLexer(String text) {
        this.text = text;
    }

    /** The non-empty statements of {@code text}, in order. */
    static List<Statement> statements(String text) throws LexException {
        return new SqlLexer(text).split();
    }

    private List<Statement> split() throws LexException {
        List<Statement> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        Token token;
        while ((token = next()) != null) {
            if (token.isSymbol(';')) {
                if (!current.isEmpty()) {
                    statements.add(new Statement(statements.size() + 1, current.get(0).start(), List.copyOf(current)));
                    current = new ArrayList<>();
                }
            } else {
                current.add(token);
            }
        }
        if (!current.isEmpty()) {
            statements.add(new Statement(statements.size() + 1, current.get(0).start(), List.copyOf(current)));
        }
        return statements;
    }

    private Token next() throws LexException {
        skipSpaceAndComments();
        if (pos >= text.length()) {
            return null;
        }
        int start = pos;
        char c = text.charAt(pos);
        if (c == '\'') {
            pos++;
            return string(Quoting.PLAIN, start);
        }
        if (c == '"') {
            pos++;
            return quotedIdentifier(start);
        }
        if (c == '$') {
            return dollar(start);
        }
        if (isDigit(c) || c == '.' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
            return number(start);
        }
        if (isIdentStart(c)) {
            return word(start);
        }
        pos++;
        return new Token(Type.SYMBOL, String.valueOf(c), null, start);
    }

    /** Comments count as whitespace. */
    private void skipSpaceAndComments() throws LexException {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isSpace(c)) {
                pos++;
            } else if (startsWith("--")) {
                skipLineComment();
            } else if (startsWith("/*")) {
                skipBlockComment();
            } else {
                return;
            }
        }
    }

    private void skipLineComment() {
        while (pos < text.length() && !isNewline(text.charAt(pos))) {
            pos++;
        }
    }

    /** Block comments nest: every {@code /*} inside needs its own close. */
    private void skipBlockComment() throws LexException {
        int start = pos;
        int depth = 0;
        while (pos < text.length()) {
            if (startsWith("/*")) {
                depth++;
                pos += 2;
            } else if (startsWith("*/")) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                pos++;
            }
        }
        throw new LexException("unterminated /* comment", start);
    }

    private Token word(int start) throws LexException {
        pos++;
        while (pos < text.length() && isIdentCont(text.charAt(pos))) {
            pos++;
        }
        String word = text.substring(start, pos);
        if (word.length() == 1 && pos < text.length() && text.charAt(pos) == '\'') {
            char prefix = Character.toLowerCase(word.charAt(0));
            if (prefix == 'e' || prefix == 'b' || prefix == 'x') {
                pos++;
                return string(prefix == 'e' ? Quoting.ESCAPED : Quoting.BITS, start);
            }
        }
        return new Token(Type.WORD, word, null, start);
    }

    /**
     * A string after its opening quote. Only the first part of an E string takes backslash
     * escapes; a continued part follows the plain rules.
     */
    private Token string(Quoting quoting, int start) throws LexException {
        StringBuilder value = new StringBuilder();
        boolean escapes = quoting == Quoting.ESCAPED;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && escapes) {
                if (pos + 1 >= text.length()) {
                    break;
                }
                value.append(c).append(text.charAt(pos + 1));
                pos += 2;
            } else if (c == '\'') {
                if (pos + 1 < text.length() && text.charAt(pos + 1) == '\'') {
                    value.append('\'');
                    pos += 2;
                } else {
                    int continued = continuation(pos + 1);
                    if (continued < 0) {
                        pos++;
                        return new Token(Type.STRING, value.toString(), quoting, start);
                    }
                    pos = continued;
                    escapes = false;
                }
            } else {
                value.append(c);
                pos++;
            }
        }
        throw new LexException("unterminated quoted string", start);
    }

    /** Where a continued string resumes (after the next quote), or -1 when the string ends. */
    private int continuation(int from) {
        int i = from;
        boolean newline = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (isNewline(c)) {
                newline = true;
                i++;
            } else if (isSpace(c)) {
                i++;
            } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
                while (i < text.length() && !isNewline(text.charAt(i))) {
                    i++;
                }
            } else {
                break;
            }
        }
        return newline && i < text.length() && text.charAt(i) == '\'' ? i + 1 : -1;
    }

    private Token quotedIdentifier(int start) throws LexException {
        StringBuilder value = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                    value.append('"');
                    pos += 2;
                } else {
                    pos++;
                    return new Token(Type.QUOTED_IDENTIFIER, value.toString(), null, start);
                }
            } else {
                value.append(c);
                pos++;
            }
        }
        throw new LexException("unterminated quoted identifier", start);
    }

    /**
     * {@code $$} or {@code $tag$} opens a string that ends at the same delimiter; {@code $1} is a
     * parameter; any other {@code $} is a symbol (and what follows it is lexed on its own).
     */
    private Token dollar(int start) throws LexException {
        int i = pos + 1;
        if (i < text.length() && isDollarTagStart(text.charAt(i))) {
            i++;
            while (i < text.length() && isDollarTagCont(text.charAt(i))) {
                i++;
            }
        }
        if (i < text.length() && text.charAt(i) == '$') {
            String delimiter = text.substring(pos, i + 1);
            int end = text.indexOf(delimiter, i + 1);
            if (end < 0) {
                throw new LexException("unterminated dollar-quoted string", start);
            }
            pos = end + delimiter.length();
            return new Token(Type.STRING, text.substring(i + 1, end), Quoting.DOLLAR, start);
        }
        pos++;
        if (pos < text.length() && isDigit(text.charAt(pos))) {
            integer();
            return new Token(Type.SYMBOL, text.substring(start, pos), null, start);
        }
        return new Token(Type.SYMBOL, "$", null, start);
    }

    /** Integers may hold single underscores between digits; {@code 1..2} is 1, dot-dot, 2. */
    private Token number(int start) {
        integer();
        if (pos < text.length() && text.charAt(pos) == '.' && !startsWith("..")) {
            pos++;
            if (pos < text.length() && isDigit(text.charAt(pos))) {
                integer();
            }
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int i = pos + 1;
            if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            if (i < text.length() && isDigit(text.charAt(i))) {
                pos = i;
                integer();
            }
        }
        return new Token(Type.NUMBER, text.substring(start, pos), null, start);
    }

    /** Digits with single underscores between them; only called where a digit (if any) starts. */
    private void integer() {
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
            return;
        }
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isDigit(c)) {
                pos++;
            } else if (c == '_' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
                pos += 2;
            } else {
                return;
            }
        }
    }

    private boolean startsWith(String s) {
        return text.startsWith(s, pos);
    }

    /** C's {@code isspace}: DuckDB 2.0 takes a vertical tab for whitespace too. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isNewline(char c) {
        return c == '\n' || c == '\r';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Identifiers start with a letter, {@code _} or any non-ASCII character (every byte ≥ 0x80 in UTF-8). */
    private static boolean isIdentStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80;
    }

    private static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isDollarTagStart(char c) {
        return isIdentStart(c);
    }

    private static boolean isDollarTagCont(char c) {
        return isIdentStart(c) || isDigit(c);
    }
}
