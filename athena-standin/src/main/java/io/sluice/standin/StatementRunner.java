package io.sluice.standin;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one statement on a DuckDB connection and writes its result body to a local file, which
 * the lifecycle later uploads as the Athena result object. A SELECT streams row by row, so a
 * result larger than memory is fine, and stops between rows when the query is cancelled, leaving
 * the rows written so far.
 */
final class StatementRunner {
    private static final List<ResultColumn> ROWS_COLUMN = List.of(new ResultColumn("rows", AthenaType.BIGINT));

    private final DuckDbEngine engine;
    private final UtilityAnswers utilities;
    private final Path tempDirectory;

    StatementRunner(DuckDbEngine engine, UtilityAnswers utilities, Path tempDirectory) {
        this.engine = engine;
        this.utilities = utilities;
        this.tempDirectory = tempDirectory;
    }

    /** What a statement produced: the local result body (or null), its columns, its update count. */
    record Output(Path file, List<ResultColumn> columns, Long updateCount) {
    }

    Output run(QueryExecution query, Connection connection) throws SQLException, IOException, QueryFailure {
        AthenaStatement statement = query.statement;
        switch (statement.kind().result()) {
            case CSV:
                return select(query, connection);
            case TEXT:
                if (statement.utility() != null) {
                    UtilityAnswers.Answer answer = utilities.answer(statement.utility(), query.database);
                    return new Output(writeLines(query, answer.lines()), answer.columns(), null);
                }
                if ("EXPLAIN".equals(statement.kind().substatementType())) {
                    return explain(query, connection);
                }
                execute(query, connection, statement.duckDbSql());
                AthenaStatement.CreatedTable created = statement.created();
                if (created != null) {
                    engine.partitionKeys(created.database() != null ? created.database() : query.database,
                            created.table(), created.partitionKeys());
                }
                return new Output(writeLines(query, List.of()), List.of(), null);
            default:
                long count = execute(query, connection, statement.duckDbSql());
                return new Output(null, ROWS_COLUMN, Math.max(count, 0));
        }
    }

    private Output select(QueryExecution query, Connection connection) throws SQLException, IOException {
        Path file = Files.createTempFile(tempDirectory, query.id, ".csv");
        query.setResultFile(file);
        ColumnNaming naming = columnNaming(query);
        try (Statement statement = connection.createStatement()) {
            query.attach(statement);
            throwIfCancelled(query);
            try (ResultSet rows = statement.executeQuery(query.statement.duckDbSql());
                    CsvResultWriter csv = new CsvResultWriter(file)) {
                ResultSetMetaData metadata = rows.getMetaData();
                int count = metadata.getColumnCount();
                List<ResultColumn> columns = new ArrayList<>(count);
                List<String> header = new ArrayList<>(count);
                for (int i = 1; i <= count; i++) {
                    String name = metadata.getColumnName(i);
                    if (naming.isUnnamed(i - 1)) {
                        name = "_col" + (i - 1);
                    }
                    columns.add(new ResultColumn(name, DuckDbTypes.toAthena(metadata.getColumnTypeName(i))));
                    header.add(name);
                }
                csv.writeRow(header);
                List<String> values = new ArrayList<>(count);
                // The cancel flag is read between rows: DuckDB does not interrupt a streaming fetch.
                while (!query.cancelRequested() && rows.next()) {
                    values.clear();
                    for (int i = 1; i <= count; i++) {
                        values.add(ValueRenderer.render(rows.getObject(i), columns.get(i - 1).type()));
                    }
                    csv.writeRow(values);
                }
                return new Output(file, columns, null);
            }
        }
    }

    /**
     * DuckDB names {@code SELECT 1} "1" where Athena says {@code _col0}; the values of a VALUES list
     * are {@code _col<i>} too.
     */
    private ColumnNaming columnNaming(QueryExecution query) throws SQLException {
        String sql = query.statement.duckDbSql();
        SqlText text = SqlText.of(sql);
        if (!text.isEmpty() && text.token(0).is("VALUES")) {
            return new ColumnNaming(true, List.of());
        }
        ParsedSql parsed = query.parsedSql() != null ? query.parsedSql() : engine.parse(sql);
        return new ColumnNaming(false, parsed.selectListAliases().orElse(List.of()));
    }

    /** Which result columns are unnamed expressions; aliases as {@link ParsedSql#selectListAliases}. */
    private record ColumnNaming(boolean allUnnamed, List<String> aliases) {
        boolean isUnnamed(int index) {
            return allUnnamed || index < aliases.size() && "".equals(aliases.get(index));
        }
    }

    private Output explain(QueryExecution query, Connection connection) throws SQLException, IOException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            query.attach(statement);
            throwIfCancelled(query);
            try (ResultSet rows = statement.executeQuery(query.statement.duckDbSql())) {
                int valueColumn = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    lines.addAll(Arrays.asList(rows.getString(valueColumn).split("\n", -1)));
                }
            }
        }
        return new Output(writeLines(query, lines), List.of(new ResultColumn("Query Plan", AthenaType.VARCHAR)),
                null);
    }

    private static long execute(QueryExecution query, Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            query.attach(statement);
            throwIfCancelled(query);
            boolean hasRows = statement.execute(sql);
            if (!hasRows) {
                return statement.getUpdateCount();
            }
            try (ResultSet rows = statement.getResultSet()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /** A text result: lines joined by {@code \n}, without a final terminator, as Athena writes them. */
    private Path writeLines(QueryExecution query, List<String> lines) throws IOException {
        Path file = Files.createTempFile(tempDirectory, query.id, ".txt");
        query.setResultFile(file);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines.size(); i++) {
                if (i > 0) {
                    out.write('\n');
                }
                out.write(lines.get(i));
            }
        }
        return file;
    }

    private static void throwIfCancelled(QueryExecution query) throws SQLException {
        if (query.cancelRequested()) {
            throw new SQLException("INTERRUPT Error: Interrupted!");
        }
    }
}
