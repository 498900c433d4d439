package io.sluice.standin;

import io.sluice.standin.DuckDbEngine.TableInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Answers SHOW and DESCRIBE the way Athena's Hive metastore does: Hive column names and type
 * spellings, one text value per line, and DESCRIBE's fields padded to 20 characters and joined by
 * tabs (Athena returns each line as a single value even though it declares three columns).
 */
final class UtilityAnswers {
    private static final int HIVE_COLUMN_WIDTH = 20;

    private final DuckDbEngine engine;

    UtilityAnswers(DuckDbEngine engine) {
        this.engine = engine;
    }

    /** The answer's columns and its lines, as written to {@code <id>.txt}. */
    record Answer(List<ResultColumn> columns, List<String> lines) {
    }

    Answer answer(UtilityCommand command, String queryDatabase) throws SQLException, QueryFailure {
        String database = command.database() != null ? command.database() : queryDatabase;
        switch (command.type()) {
            case SHOW_DATABASES:
                return new Answer(columns("database_name"), NamePattern.filter(engine.databases(), command.pattern()));
            case SHOW_TABLES:
                return new Answer(columns("tab_name"), NamePattern.filter(tableNames(database, false), command.pattern()));
            case SHOW_VIEWS:
                return new Answer(List.of(new ResultColumn("views", AthenaType.VARCHAR)),
                        NamePattern.filter(tableNames(database, true), command.pattern()));
            case SHOW_COLUMNS:
                return new Answer(columns("field"), table(database, command.table()).columns().stream()
                        .map(column -> pad(column.name())).collect(Collectors.toList()));
            case DESCRIBE:
                return new Answer(columns("col_name", "data_type", "comment"), describe(table(database,
                        command.table())));
            case SHOW_CREATE_TABLE:
                return new Answer(columns("createtab_stmt"), createStatement(table(database, command.table())));
            case SHOW_CREATE_VIEW:
                return new Answer(List.of(new ResultColumn("create view", AthenaType.VARCHAR)),
                        createStatement(table(database, command.table())));
            case NOT_PARTITIONED:
                TableInfo table = table(database, command.table());
                throw QueryFailure.user("FAILED: Execution Error, return code 1 from "
                        + "org.apache.hadoop.hive.ql.exec.DDLTask. Table " + table.name() + " is not a partitioned table");
            case NO_OP:
            default:
                return new Answer(List.of(), List.of());
        }
    }

    private List<String> tableNames(String database, boolean viewsOnly) throws SQLException, QueryFailure {
        requireDatabase(database);
        return engine.tables(database).stream()
                .filter(table -> !viewsOnly || table.view())
                .map(TableInfo::name)
                .collect(Collectors.toList());
    }

    private TableInfo table(String database, String name) throws SQLException, QueryFailure {
        requireDatabase(database);
        return engine.table(database, name).orElseThrow(() -> QueryFailure.notFound(
                "FAILED: SemanticException [Error 10001]: Table not found " + database + "." + name));
    }

    private void requireDatabase(String database) throws SQLException, QueryFailure {
        if (!engine.databaseExists(database)) {
            throw QueryFailure.notFound("FAILED: SemanticException [Error 10072]: Database does not exist: "
                    + database);
        }
    }

    private static List<String> describe(TableInfo table) {
        List<String> lines = new ArrayList<>();
        for (TableInfo.Column column : table.columns()) {
            lines.add(pad(column.name()) + "\t" + pad(column.type().hiveName()) + "\t"
                    + pad(column.comment() == null ? "" : column.comment()));
        }
        return lines;
    }

    private static List<String> createStatement(TableInfo table) {
        String sql = table.createSql() == null ? "" : table.createSql().strip();
        return Arrays.asList(sql.split("\n", -1));
    }

    /** Hive pads each field to 20 characters and leaves longer ones whole. */
    private static String pad(String text) {
        int length = text.codePointCount(0, text.length());
        return length >= HIVE_COLUMN_WIDTH ? text : text + " ".repeat(HIVE_COLUMN_WIDTH - length);
    }

    private static List<ResultColumn> columns(String... names) {
        return Arrays.stream(names).map(name -> new ResultColumn(name, AthenaType.HIVE_STRING))
                .collect(Collectors.toList());
    }
}
