package io.sluice.standin;

import io.sluice.standin.SqlText.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Classifies one Athena statement and rewrites the Athena/Hive dialect DuckDB does not speak (Hive
 * DDL, {@code CREATE DATABASE}, CTAS table properties, SHOW/DESCRIBE). What it cannot recognise is a
 * {@code MALFORMED_QUERY}, answered synchronously like Athena's parser errors. DuckDB's own parser
 * checks the rewritten SQL afterwards.
 */
final class StatementParser {
    private static final String EXPECTING = "Expecting: 'ALTER', 'CREATE', 'DELETE', 'DESC', 'DESCRIBE', "
            + "'DROP', 'EXPLAIN', 'INSERT', 'MERGE', 'MSCK', 'SHOW', 'UPDATE', <query>";

    private final SqlText sql;
    private final List<Token> tokens;
    private final int end;

    private StatementParser(SqlText sql) {
        this.sql = sql;
        this.tokens = sql.tokens();
        int last = tokens.size();
        while (last > 0 && tokens.get(last - 1).isSymbol(";")) {
            last--;
        }
        this.end = last;
    }

    static AthenaStatement parse(SqlText sql) {
        return new StatementParser(sql).statement();
    }

    /** Athena's parser error, e.g. {@code line 1:1: mismatched input 'SELEC'. Expecting: ...}. */
    static AthenaException malformed(SqlText sql, int offset, String detail) {
        return AthenaException.invalidRequest("MALFORMED_QUERY", "line " + sql.lineAndColumn(offset) + ": " + detail);
    }

    private AthenaStatement statement() {
        if (end == 0) {
            throw malformed(sql, sql.sql().length(), "mismatched input '<EOF>'. " + EXPECTING);
        }
        Token second = sql.secondStatement();
        if (second != null) {
            Token semicolon = tokens.stream().filter(t -> t.isSymbol(";")).findFirst().orElse(second);
            throw malformed(sql, semicolon.start(), "mismatched input ';'. Expecting: <EOF>");
        }
        Token first = tokens.get(0);
        if (first.isSymbol("(")) {
            return query(StatementKind.select());
        }
        switch (first.keyword()) {
            case "SELECT":
            case "WITH":
            case "VALUES":
            case "TABLE":
                return query(StatementKind.select());
            case "EXPLAIN":
                return new AthenaStatement(StatementKind.explain(), sql.withoutTrailingSemicolons(), null, null);
            case "SHOW":
                return show();
            case "DESCRIBE":
            case "DESC":
                return describe();
            case "CREATE":
                return create();
            case "DROP":
                return drop();
            case "ALTER":
                return ddl("ALTER_TABLE", rewrittenText(0));
            case "MSCK":
                // Partitions are not modelled; repairing them succeeds and changes nothing.
                return new AthenaStatement(StatementKind.ddl("MSCK_REPAIR_TABLE"), null,
                        new UtilityCommand(UtilityCommand.Type.NO_OP, null, null, null), null);
            case "INSERT":
                return insert();
            case "UPDATE":
            case "DELETE":
            case "MERGE":
                return new AthenaStatement(StatementKind.rowCount(first.keyword()), rewrittenText(0), null,
                        sql.withoutTrailingSemicolons());
            default:
                throw unexpected(0);
        }
    }

    private AthenaStatement query(StatementKind kind) {
        String text = sql.withoutTrailingSemicolons();
        return new AthenaStatement(kind, text, null, text);
    }

    private AthenaStatement ddl(String substatement, String duckDbSql) {
        return new AthenaStatement(StatementKind.ddl(substatement), duckDbSql, null, null);
    }

    private AthenaStatement show() {
        int i = 1;
        Token what = token(i);
        if (what == null) {
            throw unexpected(i);
        }
        switch (what.keyword()) {
            case "TABLES":
            case "VIEWS": {
                i++;
                String database = null;
                if (is(i, "IN") || is(i, "FROM")) {
                    database = name(i + 1);
                    i += 2;
                }
                String pattern = null;
                if (is(i, "LIKE")) {
                    i++;
                }
                if (token(i) != null && token(i).kind() == SqlText.Kind.STRING && i < end) {
                    pattern = literal(token(i));
                    i++;
                }
                expectEnd(i);
                boolean tables = what.is("TABLES");
                return utility(tables ? "SHOW_TABLES" : "SHOW_VIEWS",
                        new UtilityCommand(tables ? UtilityCommand.Type.SHOW_TABLES : UtilityCommand.Type.SHOW_VIEWS,
                                database, null, pattern));
            }
            case "DATABASES":
            case "SCHEMAS": {
                i++;
                String pattern = null;
                if (is(i, "LIKE")) {
                    i++;
                }
                if (i < end && token(i).kind() == SqlText.Kind.STRING) {
                    pattern = literal(token(i));
                    i++;
                }
                expectEnd(i);
                return utility("SHOW_DATABASES", new UtilityCommand(UtilityCommand.Type.SHOW_DATABASES, null, null,
                        pattern));
            }
            case "COLUMNS": {
                i++;
                if (!is(i, "IN") && !is(i, "FROM")) {
                    throw unexpected(i);
                }
                QualifiedName table = qualifiedName(i + 1);
                i = table.next;
                String database = table.database();
                if (is(i, "IN") || is(i, "FROM")) {
                    database = name(i + 1);
                    i += 2;
                }
                expectEnd(i);
                return utility("SHOW_COLUMNS", new UtilityCommand(UtilityCommand.Type.SHOW_COLUMNS, database,
                        table.table(), null));
            }
            case "CREATE": {
                boolean view = is(i + 1, "VIEW");
                if (!view && !is(i + 1, "TABLE")) {
                    throw unexpected(i + 1);
                }
                QualifiedName table = qualifiedName(i + 2);
                expectEnd(table.next);
                return utility(view ? "SHOW_CREATE_VIEW" : "SHOW_CREATE_TABLE", new UtilityCommand(
                        view ? UtilityCommand.Type.SHOW_CREATE_VIEW : UtilityCommand.Type.SHOW_CREATE_TABLE,
                        table.database(), table.table(), null));
            }
            case "PARTITIONS": {
                QualifiedName table = qualifiedName(i + 1);
                expectEnd(table.next);
                return utility("SHOW_PARTITIONS", new UtilityCommand(UtilityCommand.Type.NOT_PARTITIONED,
                        table.database(), table.table(), null));
            }
            default:
                throw malformed(sql, what.start(), "SHOW " + what.text() + " is not supported by the Athena stand-in");
        }
    }

    private AthenaStatement describe() {
        int i = 1;
        if (is(i, "EXTENDED") || is(i, "FORMATTED")) {
            i++;
        }
        QualifiedName table = qualifiedName(i);
        i = table.next;
        if (i < end && token(i).isName()) {
            i++; // DESCRIBE t column: described like the whole table
        }
        expectEnd(i);
        return utility("DESCRIBE_TABLE", new UtilityCommand(UtilityCommand.Type.DESCRIBE, table.database(),
                table.table(), null));
    }

    private AthenaStatement utility(String substatement, UtilityCommand command) {
        return new AthenaStatement(StatementKind.utility(substatement), null, command, null);
    }

    private AthenaStatement create() {
        int i = 1;
        boolean orReplace = false;
        if (is(i, "OR") && is(i + 1, "REPLACE")) {
            orReplace = true;
            i += 2;
        }
        if (is(i, "EXTERNAL")) {
            i++;
        }
        if (is(i, "DATABASE") || is(i, "SCHEMA")) {
            i++;
            boolean ifNotExists = isSequence(i, "IF", "NOT", "EXISTS");
            i += ifNotExists ? 3 : 0;
            String database = name(i);
            // COMMENT, LOCATION and DBPROPERTIES describe Hive storage that DuckDB does not have.
            return ddl("CREATE_DATABASE", "CREATE SCHEMA " + (ifNotExists ? "IF NOT EXISTS " : "")
                    + quote(database));
        }
        if (is(i, "VIEW")) {
            return ddl("CREATE_VIEW", rewrittenText(0));
        }
        if (!is(i, "TABLE")) {
            throw unexpected(i);
        }
        i++;
        boolean ifNotExists = isSequence(i, "IF", "NOT", "EXISTS");
        i += ifNotExists ? 3 : 0;
        QualifiedName table = qualifiedName(i);
        String head = "CREATE " + (orReplace ? "OR REPLACE " : "") + "TABLE " + (ifNotExists ? "IF NOT EXISTS " : "")
                + table.sql();
        int as = topLevel(table.next, "AS");
        if (as >= 0 && as + 1 < end && startsQuery(as + 1)) {
            String query = sql.textFrom(tokens.get(as + 1));
            int withData = trailingWithData();
            if (withData >= 0) {
                query = sql.sql().substring(tokens.get(as + 1).start(), tokens.get(withData).start()).trim();
            }
            // WITH (format = ..., location = ...) only says how Athena stores the table.
            return new AthenaStatement(StatementKind.ctas(), head + " AS " + query, null, query);
        }
        if (!isSymbol(table.next, "(")) {
            throw unexpected(table.next);
        }
        int close = matching(table.next);
        List<String> columns = columnDefinitions(table.next + 1, close);
        int partitioned = topLevelSequence(close + 1, "PARTITIONED", "BY");
        if (partitioned >= 0 && isSymbol(partitioned + 2, "(")) {
            columns.addAll(columnDefinitions(partitioned + 3, matching(partitioned + 2)));
        }
        // ROW FORMAT, STORED AS, LOCATION and TBLPROPERTIES describe Hive storage; the table lives in DuckDB.
        return ddl("CREATE_TABLE", head + " (" + String.join(", ", columns) + ")");
    }

    private AthenaStatement drop() {
        int i = 1;
        if (is(i, "DATABASE") || is(i, "SCHEMA")) {
            i++;
            boolean ifExists = isSequence(i, "IF", "EXISTS");
            i += ifExists ? 2 : 0;
            String database = name(i);
            i++;
            boolean cascade = is(i, "CASCADE");
            if (cascade || is(i, "RESTRICT")) {
                i++;
            }
            expectEnd(i);
            return ddl("DROP_DATABASE", "DROP SCHEMA " + (ifExists ? "IF EXISTS " : "") + quote(database)
                    + (cascade ? " CASCADE" : ""));
        }
        boolean view = is(i, "VIEW");
        if (!view && !is(i, "TABLE")) {
            throw unexpected(i);
        }
        i++;
        boolean ifExists = isSequence(i, "IF", "EXISTS");
        i += ifExists ? 2 : 0;
        QualifiedName table = qualifiedName(i);
        i = table.next;
        if (!view && is(i, "PURGE")) {
            i++;
        }
        expectEnd(i);
        return ddl(view ? "DROP_VIEW" : "DROP_TABLE", "DROP " + (view ? "VIEW " : "TABLE ")
                + (ifExists ? "IF EXISTS " : "") + table.sql());
    }

    private AthenaStatement insert() {
        if (!is(1, "INTO")) {
            throw unexpected(1);
        }
        QualifiedName table = qualifiedName(2);
        int i = table.next;
        if (isSymbol(i, "(") && !startsQuery(i + 1)) {
            i = matching(i) + 1;
        }
        if (i >= end) {
            throw unexpected(i);
        }
        return new AthenaStatement(StatementKind.insert(), rewrittenText(0), null, sql.textFrom(tokens.get(i)));
    }

    /** {@code name type [COMMENT '...']} items between two parentheses, as DuckDB column definitions. */
    private List<String> columnDefinitions(int from, int close) {
        List<String> columns = new ArrayList<>();
        int start = from;
        int depth = 0;
        for (int i = from; i <= close; i++) {
            Token token = tokens.get(i);
            boolean boundary = i == close || (depth == 0 && token.isSymbol(","));
            if (!boundary) {
                if (token.isSymbol("(") || token.isSymbol("<")) {
                    depth++;
                } else if (token.isSymbol(")") || token.isSymbol(">")) {
                    depth--;
                }
                continue;
            }
            if (i - start >= 2 && tokens.get(start).isName()) {
                int typeEnd = i;
                for (int j = start + 1; j < i; j++) {
                    if (tokens.get(j).is("COMMENT")) {
                        typeEnd = j;
                        break;
                    }
                }
                String typeText = sql.sql().substring(tokens.get(start + 1).start(), tokens.get(typeEnd - 1).end());
                try {
                    columns.add(quote(tokens.get(start).name()) + " " + DdlTypes.toDuckDb(typeText));
                } catch (IllegalArgumentException e) {
                    throw malformed(sql, tokens.get(start + 1).start(), "Unknown type '" + typeText + "'");
                }
            }
            start = i + 1;
        }
        return columns;
    }

    /** The statement's text with Hive's backquoted names turned into DuckDB's double-quoted ones. */
    private String rewrittenText(int from) {
        StringBuilder out = new StringBuilder();
        String text = sql.withoutTrailingSemicolons();
        int copied = tokens.get(from).start();
        for (int i = from; i < end; i++) {
            Token token = tokens.get(i);
            if (token.kind() == SqlText.Kind.QUOTED_NAME && token.text().startsWith("`")) {
                out.append(text, copied, token.start()).append(quote(token.name()));
                copied = token.end();
            }
        }
        return out.append(text.substring(copied)).toString();
    }

    private boolean startsQuery(int i) {
        Token token = token(i);
        return token != null && (token.isSymbol("(") || token.is("SELECT") || token.is("WITH")
                || token.is("VALUES") || token.is("TABLE"));
    }

    /** The index of a trailing {@code WITH [NO] DATA}, or -1. */
    private int trailingWithData() {
        if (end >= 2 && tokens.get(end - 1).is("DATA")) {
            int with = tokens.get(end - 2).is("NO") ? end - 3 : end - 2;
            if (with >= 0 && tokens.get(with).is("WITH")) {
                return with;
            }
        }
        return -1;
    }

    private int topLevel(int from, String keyword) {
        int depth = 0;
        for (int i = from; i < end; i++) {
            Token token = tokens.get(i);
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && token.is(keyword)) {
                return i;
            }
        }
        return -1;
    }

    private int topLevelSequence(int from, String first, String second) {
        int at = topLevel(from, first);
        return at >= 0 && is(at + 1, second) ? at : -1;
    }

    private int matching(int open) {
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

    private QualifiedName qualifiedName(int i) {
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

    private String name(int i) {
        Token token = token(i);
        if (token == null || i >= end || !token.isName()) {
            throw unexpected(i);
        }
        return token.name();
    }

    private static String literal(Token token) {
        String text = token.text();
        return text.substring(1, Math.max(1, text.length() - 1)).replace("''", "'");
    }

    private void expectEnd(int i) {
        if (i < end) {
            Token token = tokens.get(i);
            throw malformed(sql, token.start(), "mismatched input '" + token.text() + "'. Expecting: <EOF>");
        }
    }

    private AthenaException unexpected(int i) {
        if (i >= end) {
            return malformed(sql, sql.sql().length(), "mismatched input '<EOF>'");
        }
        Token token = tokens.get(i);
        String detail = "mismatched input '" + token.text() + "'";
        return malformed(sql, token.start(), i == 0 ? detail + ". " + EXPECTING : detail);
    }

    private Token token(int i) {
        return i < end ? tokens.get(i) : null;
    }

    private boolean is(int i, String keyword) {
        Token token = token(i);
        return token != null && token.is(keyword);
    }

    private boolean isSymbol(int i, String symbol) {
        Token token = token(i);
        return token != null && token.isSymbol(symbol);
    }

    private boolean isSequence(int i, String... keywords) {
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
    private record QualifiedName(List<String> parts, int next) {
        String table() {
            return parts.get(parts.size() - 1);
        }

        String database() {
            return parts.size() >= 2 ? parts.get(parts.size() - 2) : null;
        }

        String sql() {
            return parts.stream().map(StatementParser::quote).collect(Collectors.joining("."));
        }
    }
}
