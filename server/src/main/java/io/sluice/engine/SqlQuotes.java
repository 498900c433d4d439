package io.sluice.engine;

/** Where a quoted SQL token ends: a string literal ({@code '…'}) or a quoted identifier ({@code "…"}). */
public final class SqlQuotes {

    private SqlQuotes() {
    }

    /**
     * The index just past the quote opened at {@code start} (the index of the opening quote); a
     * doubled quote character is part of the token. An unclosed quote runs to the end of the text.
     */
    public static int end(String sql, int start, char quote) {
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
