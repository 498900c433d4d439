package io.sluice.cache;

import io.sluice.engine.SqlQuotes;

import java.util.Locale;

/**
 * The form of a query that the local result cache compares: two texts that differ only in
 * whitespace, comments, the case of keywords and unquoted names, or trailing semicolons normalize
 * to the same string. String literals ({@code '...'}) and quoted names ({@code "..."},
 * {@code `...`}) are kept exactly, since their case and spacing change the answer.
 *
 * <p>A small tokenizer, not a parser: tokens are words (letters, digits, {@code _}, {@code $},
 * {@code @}), quoted tokens, numbers and single punctuation characters; the result is the tokens
 * joined by one space. Unquoted names are case-insensitive in Athena (Trino), so lower-casing
 * them never makes two different queries equal. An unterminated quote runs to the end of the text.
 */
public final class SqlNormalizer {

    private SqlNormalizer() {
    }

    public static String normalize(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = lineEnd(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = SqlQuotes.end(sql, i, c);
                append(out, sql.substring(i, end));
                i = end;
            } else if (isWordChar(c)) {
                int end = i;
                while (end < n && isWordChar(sql.charAt(end))) {
                    end++;
                }
                append(out, sql.substring(i, end).toLowerCase(Locale.ROOT));
                i = end;
            } else {
                int width = Character.charCount(sql.codePointAt(i));
                append(out, sql.substring(i, i + width));
                i += width;
            }
        }
        String text = out.toString();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).stripTrailing();
        }
        return text;
    }

    private static void append(StringBuilder out, String token) {
        if (!out.isEmpty()) {
            out.append(' ');
        }
        out.append(token);
    }

    /** Where a {@code --} comment ends: after its line break, or at the end of the text. */
    private static int lineEnd(String sql, int start) {
        int end = start;
        while (end < sql.length() && sql.charAt(end) != '\n' && sql.charAt(end) != '\r') {
            end++;
        }
        return end;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '@';
    }
}
