package io.sluice.standin;

import io.sluice.standin.SqlText.Token;

/**
 * Parses Athena's SHOW and DESCRIBE statements, which DuckDB does not share, into the
 * {@link UtilityCommand} the stand-in answers from its catalog.
 */
final class UtilityParser extends TokenCursor {
    UtilityParser(SqlText sql) {
        super(sql);
    }

    AthenaStatement show() {
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
                i = table.next();
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
                expectEnd(table.next());
                return utility(view ? "SHOW_CREATE_VIEW" : "SHOW_CREATE_TABLE", new UtilityCommand(
                        view ? UtilityCommand.Type.SHOW_CREATE_VIEW : UtilityCommand.Type.SHOW_CREATE_TABLE,
                        table.database(), table.table(), null));
            }
            case "PARTITIONS": {
                QualifiedName table = qualifiedName(i + 1);
                expectEnd(table.next());
                return utility("SHOW_PARTITIONS", new UtilityCommand(UtilityCommand.Type.NOT_PARTITIONED,
                        table.database(), table.table(), null));
            }
            default:
                throw malformed(sql, what.start(), "SHOW " + what.text() + " is not supported by the Athena stand-in");
        }
    }

    AthenaStatement describe() {
        int i = 1;
        if (is(i, "EXTENDED") || is(i, "FORMATTED")) {
            i++;
        }
        QualifiedName table = qualifiedName(i);
        i = table.next();
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
}
