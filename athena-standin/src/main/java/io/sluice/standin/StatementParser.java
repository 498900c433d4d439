package io.sluice.standin;

import io.sluice.standin.SqlText.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies one Athena statement and rewrites the Athena/Hive dialect DuckDB does not speak (Hive
 * DDL, {@code CREATE DATABASE}, CTAS table properties, SHOW/DESCRIBE). What it cannot recognise is a
 * {@code MALFORMED_QUERY}, answered synchronously like Athena's parser errors. DuckDB's own parser
 * checks the rewritten SQL afterwards.
 */
final class StatementParser extends TokenCursor {
    private StatementParser(SqlText sql) {
        super(sql);
    }

    static AthenaStatement parse(SqlText sql) {
        return new StatementParser(sql).statement();
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
                return new UtilityParser(sql).show();
            case "DESCRIBE":
            case "DESC":
                return new UtilityParser(sql).describe();
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
        int as = topLevel(table.next(), "AS");
        if (as >= 0 && as + 1 < end && startsQuery(as + 1)) {
            String query = sql.textFrom(tokens.get(as + 1));
            int withData = trailingWithData();
            if (withData >= 0) {
                query = sql.sql().substring(tokens.get(as + 1).start(), tokens.get(withData).start()).trim();
            }
            // WITH (format = ..., location = ...) only says how Athena stores the table.
            return new AthenaStatement(StatementKind.ctas(), head + " AS " + query, null, query);
        }
        if (!isSymbol(table.next(), "(")) {
            throw unexpected(table.next());
        }
        int close = matching(table.next());
        List<String> columns = columnDefinitions(table.next() + 1, close, new ArrayList<>());
        List<String> partitionKeys = new ArrayList<>();
        int partitioned = topLevelSequence(close + 1, "PARTITIONED", "BY");
        if (partitioned >= 0 && isSymbol(partitioned + 2, "(")) {
            // DuckDB has no partitions: the keys become trailing columns, and the catalog marks them.
            columns.addAll(columnDefinitions(partitioned + 3, matching(partitioned + 2), partitionKeys));
        }
        // ROW FORMAT, STORED AS, LOCATION and TBLPROPERTIES describe Hive storage; the table lives in DuckDB.
        return new AthenaStatement(StatementKind.ddl("CREATE_TABLE"),
                head + " (" + String.join(", ", columns) + ")", null, null,
                new AthenaStatement.CreatedTable(table.database(), table.table(), List.copyOf(partitionKeys)));
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
        i = table.next();
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
        int i = table.next();
        if (isSymbol(i, "(") && !startsQuery(i + 1)) {
            i = matching(i) + 1;
        }
        if (i >= end) {
            throw unexpected(i);
        }
        return new AthenaStatement(StatementKind.insert(), rewrittenText(0), null, sql.textFrom(tokens.get(i)));
    }

    /** {@code name type [COMMENT '...']} items between two parentheses, as DuckDB column definitions. */
    /** DuckDB column definitions of a Hive column list; the columns' names are added to {@code names}. */
    private List<String> columnDefinitions(int from, int close, List<String> names) {
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
                    names.add(tokens.get(start).name());
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

}
