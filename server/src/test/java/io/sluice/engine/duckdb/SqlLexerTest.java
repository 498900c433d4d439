package io.sluice.engine.duckdb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lexer splits statements where DuckDB does: hand-picked hostile texts, and generated ones
 * held to DuckDB's own parser ({@code json_serialize_sql} serializes a text only when every
 * statement is a SELECT, and counts them).
 */
class SqlLexerTest {

    static Connection duck;

    @BeforeAll
    static void open() throws SQLException {
        duck = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterAll
    static void close() throws SQLException {
        duck.close();
    }

    /** The upper-cased leading word of each statement ("(" for a parenthesised one). */
    private static List<String> leads(String sql) throws SqlLexer.LexException {
        return SqlLexer.statements(sql).stream().map(s -> s.tokens().get(0))
                .map(t -> t.type() == SqlLexer.Type.WORD ? StatementRules.asciiUpper(t.value()) : t.value()).toList();
    }

    @Test
    void quotesCommentsAndDollarsHideOnlyWhatTheyHideInDuckDb() throws Exception {
        // plain strings take no backslash escapes: the COPY is a statement of its own
        assertThat(leads("SELECT 'a\\'; COPY (SELECT 1) TO 'x.csv'; --'")).containsExactly("SELECT", "COPY");
        // an E string does take them: all one string
        assertThat(leads("SELECT E'a\\'; COPY (SELECT 1) TO ''x.csv''; --'")).containsExactly("SELECT");
        // a continued E string goes on with the plain rules
        assertThat(leads("SELECT e'a'\n'b\\'; COPY (SELECT 1) TO 'x'; --'")).containsExactly("SELECT", "COPY");
        // 1E'…' is the number 1 and an E string
        assertThat(leads("SELECT 1E'\\''; COPY (SELECT 1) TO 'x.csv'; --'")).containsExactly("SELECT", "COPY");
        assertThat(leads("SELECT 1_0e'x\\'; COPY (SELECT 1) TO ''y''; --'")).containsExactly("SELECT");
        // doubled quotes in strings and identifiers
        assertThat(leads("SELECT 'it''s; COPY' AS \"a\"\"; COPY\"")).containsExactly("SELECT");
        assertThat(leads("SELECT x'41''; COPY (SELECT 1) TO ''x''; --'")).containsExactly("SELECT");
        // nested block comments, line comments, comment starts inside operators
        assertThat(leads("SELECT 1 /* a /* b */ ; COPY x TO 'y' */ + 1")).containsExactly("SELECT");
        assertThat(leads("SELECT 1 /* a /* b */ */ ; COPY x TO 'y'")).containsExactly("SELECT", "COPY");
        assertThat(leads("SELECT 1 +-- c\n; COPY x TO 'y'")).containsExactly("SELECT", "COPY");
        assertThat(leads("SELECT 2 */* c ; COPY */ 3")).containsExactly("SELECT");
        assertThat(leads("SELECT 1 -- ; COPY x TO 'y'\r; COPY z TO 'w'")).containsExactly("SELECT", "COPY");
        // dollar quoting: $$, tags, a $ that opens nothing, identifiers that hold $
        assertThat(leads("SELECT $$a;'$$; COPY x TO 'y'")).containsExactly("SELECT", "COPY");
        assertThat(leads("SELECT $t$ $$ ; COPY x TO 'y' $t$")).containsExactly("SELECT");
        assertThat(leads("SELECT $ta$a$tag$ ;COPY $ta$")).containsExactly("SELECT");
        assertThat(leads("SELECT a$$ FROM t; COPY x TO 'y'; --$$")).containsExactly("SELECT", "COPY");
        assertThat(leads("SELECT $1; COPY x TO 'y'")).containsExactly("SELECT", "COPY");
        // string continuation across a newline (and a line comment), but not across a block comment
        assertThat(leads("SELECT 'a' -- c\n'b'; COPY x TO 'y'")).containsExactly("SELECT", "COPY");
        // a vertical tab is whitespace; empty statements do not count
        assertThat(leads("SELECT 1;\u000B;;\tcOpY\n(SELECT 1) TO 'x'")).containsExactly("SELECT", "COPY");
        assertThat(leads("((SELECT 1)) UNION (SELECT 2)")).containsExactly("(");
    }

    @Test
    void unterminatedTextIsAnError() {
        for (String sql : List.of("SELECT 'a", "SELECT E'a\\'", "SELECT \"a", "SELECT $$a", "SELECT /* /* */")) {
            assertThatThrownBy(() -> SqlLexer.statements(sql)).as(sql).isInstanceOf(SqlLexer.LexException.class);
        }
    }

    @Test
    void plainStringsKeepTheirValue() throws Exception {
        SqlLexer.Token target = SqlLexer.statements("COPY t TO 'out/it''s.csv'").get(0).tokens().get(3);
        assertThat(target.value()).isEqualTo("out/it's.csv");
        assertThat(target.quoting()).isEqualTo(SqlLexer.Quoting.PLAIN);
        SqlLexer.Token continued = SqlLexer.statements("COPY t TO 'out/'\n'x.csv'").get(0).tokens().get(3);
        assertThat(continued.value()).isEqualTo("out/x.csv");
    }

    /** Pieces of string, comment and identifier bodies, chosen to end them early or hide statements. */
    private static final String[] PIECES = {"a", "\\", "\\'", "''", "'", ";", " COPY (SELECT 1) TO 'x.csv' ",
            "\\'; COPY (SELECT 1) TO 'x.csv'; --", "--", "/*", "*/", "$$", "$a$", "\"", "\n", "\r", "\u000B", " ", "e'", "E"};
    /** Whitespace with a newline: a string may go on after it. */
    private static final String[] GAPS = {"\n", " \n ", "\n-- c\n", "\r", "\u000B\n", "\n\f"};
    private static final String[] SPACES = {" ", "\n", "\u000B", "\t", "\f", "\r", "-- c\n", "/* c */", ""};
    private static final String[] PREFIXES = {"", "", "e", "E", "x", "b", "n"};

    private static String body(Random random) {
        StringBuilder body = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            body.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return body.toString();
    }

    /** A string (maybe continued), dollar string, comment, quoted identifier or number, with a random body. */
    private static String atom(Random random) {
        return switch (random.nextInt(7)) {
            case 0, 1 -> {
                StringBuilder s = new StringBuilder(PREFIXES[random.nextInt(PREFIXES.length)])
                        .append('\'').append(body(random)).append('\'');
                while (random.nextInt(3) == 0) {
                    s.append(GAPS[random.nextInt(GAPS.length)]).append('\'').append(body(random)).append('\'');
                }
                yield s.toString();
            }
            case 2 -> {
                String tag = new String[]{"", "a", "t1"}[random.nextInt(3)];
                yield "$" + tag + "$" + body(random) + "$" + tag + "$";
            }
            case 3 -> "/*" + body(random) + (random.nextBoolean() ? "/*" + body(random) + "*/" : "") + body(random) + "*/ 1";
            case 4 -> "-- " + body(random) + "\n1";
            case 5 -> "1 AS \"" + body(random) + "\"";
            default -> new String[]{"1", "1_0", ".5", "1.5"}[random.nextInt(4)]
                    + new String[]{"e", "E", "e+", ""}[random.nextInt(4)] + atom(random);
        };
    }

    private static String statement(Random random) {
        StringBuilder statement = new StringBuilder("SELECT ").append(atom(random));
        while (random.nextInt(3) == 0) {
            statement.append(SPACES[random.nextInt(SPACES.length)]).append(atom(random));
        }
        return statement.toString();
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder(statement(random));
        while (random.nextInt(2) == 0) {
            text.append(';').append(SPACES[random.nextInt(SPACES.length)])
                    .append(random.nextInt(3) == 0 ? "COPY (SELECT 1) TO 'x.csv'" : statement(random));
        }
        return text.toString();
    }

    /**
     * Whenever DuckDB parses a generated text, the lexer sees the same statements: as many, and
     * a COPY exactly when DuckDB sees a statement that is not a SELECT. The seed is fixed (the
     * same texts every run); this set catches each rule of the lexer being broken on its own.
     */
    @Test
    void agreesWithDuckDbsParserOnGeneratedTexts() throws Exception {
        Random random = new Random(20261201L);
        int parsed = 0;
        int withCopy = 0;
        PreparedStatement parse = duck.prepareStatement("SELECT json_serialize_sql(?)");
        for (int n = 0; n < 5_000; n++) {
            String sql = text(random);
            String json;
            try {
                parse.setString(1, sql);
                try (ResultSet rs = parse.executeQuery()) {
                    rs.next();
                    json = rs.getString(1);
                }
            } catch (SQLException e) {
                parse = duck.prepareStatement("SELECT json_serialize_sql(?)"); // a failed execute closes it
                continue;
            }
            if (json.contains("\"error_type\":\"parser\"")) {
                continue; // DuckDB runs none of a text it cannot parse
            }
            parsed++;
            List<String> leads = leads(sql);
            if (json.startsWith("{\"error\":false")) {
                long count = json.split("\\{\"node\":", -1).length - 1;
                assertThat(leads).as(sql).hasSize((int) count).containsOnly("SELECT");
            } else {
                withCopy++;
                assertThat(leads).as(sql).contains("COPY");
            }
        }
        assertThat(parsed).as("texts DuckDB parsed").isGreaterThan(1_000);
        assertThat(withCopy).as("of which hold a COPY").isGreaterThan(200);
    }
}
