package io.sluice.federation;

import io.sluice.datasource.DatasourceType;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Copies one source table into the alias's DuckDB database: only the columns the SQL may use (the
 * first one when it uses none, so the row count stays right), only the rows that pass the pushed
 * conditions the column types accept. Rows are streamed (PostgreSQL: a cursor, autocommit off and a
 * fetch size; MariaDB: a streaming result set; SQLite steps through its file) and appended in batches
 * of {@code batchRows}, with a check of the cancel switch after each batch, so memory stays flat for
 * any table size.
 *
 * <p>A PostgreSQL table goes through {@link PostgresCopyImport} instead ({@code COPY … TO STDOUT} into a
 * scratch file, loaded by DuckDB's CSV reader) when the COPY path is on and every copied column and
 * pushed value can take it ({@link PostgresCopyImport#copySql}); the rows and conditions are the same.
 */
final class TableImport {

    /** What the copy sent to the source, how many rows came back, and how ({@code copy} or {@code jdbc}). */
    record Copied(List<String> columns, List<PushedPredicate> pushed, long rows, String method) {
    }

    private final Connection source;
    private final DatasourceType type;
    private final Connection duck;
    private final int batchRows;
    private final RunningStatements running;
    private final PostgresCopyImport postgresCopy;
    private final String fileStem;

    /**
     * {@code postgresCopy}: the PostgreSQL COPY path, or null for JDBC only; {@code fileStem} names
     * its scratch files.
     */
    TableImport(Connection source, DatasourceType type, Connection duck, int batchRows, RunningStatements running,
                PostgresCopyImport postgresCopy, String fileStem) {
        this.source = source;
        this.type = type;
        this.duck = duck;
        this.batchRows = batchRows;
        this.running = running;
        this.postgresCopy = type == DatasourceType.POSTGRESQL ? postgresCopy : null;
        this.fileStem = fileStem;
    }

    /** Copies {@code table} (found in {@code sourceSchema}) into the catalog {@code alias}. */
    Copied copy(String alias, SourceTable table, NeededTable needed) throws SQLException, Cancelled {
        List<ImportColumn> columns = table.columns().stream()
                .filter(c -> needed.allColumns() || needed.columns().contains(c.name().toLowerCase(Locale.ROOT)))
                .collect(Collectors.toCollection(ArrayList::new));
        if (columns.isEmpty()) {
            columns.add(table.columns().get(0));
        }
        List<PushedPredicate> pushed = new ArrayList<>();
        List<ImportColumn> pushedColumns = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        for (PushedPredicate p : needed.predicates()) {
            List<ImportColumn> named = table.columns().stream().filter(c -> c.name().equalsIgnoreCase(p.column())).toList();
            if (named.size() == 1 && named.get(0).accepts(p)) {
                pushed.add(p);
                pushedColumns.add(named.get(0));
                conditions.add(p.sql(SqlQuoting.sourceIdentifier(type, named.get(0).name())));
            }
        }
        createTable(alias, needed, columns);
        List<String> names = columns.stream().map(ImportColumn::name).toList();
        if (postgresCopy != null) {
            java.util.Optional<String> copy = PostgresCopyImport.copySql(table, columns, pushed, pushedColumns);
            if (copy.isPresent()) {
                long rows = postgresCopy.load(copy.get(), columns, duckTable(alias, needed), fileStem);
                return new Copied(names, pushed, rows, "copy");
            }
        }
        String select = "SELECT " + columns.stream().map(c -> SqlQuoting.sourceIdentifier(type, c.name()))
                .collect(Collectors.joining(", ")) + " FROM " + table.quotedName()
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
        long rows = stream(select, pushed, alias, needed, columns);
        return new Copied(names, pushed, rows, "jdbc");
    }

    /** {@code "alias"."schema"."table"}: the DuckDB table {@code needed} is copied into. */
    private static String duckTable(String alias, NeededTable needed) {
        return SqlQuoting.duckIdentifier(alias) + "." + SqlQuoting.duckIdentifier(needed.duckSchema()) + "."
                + SqlQuoting.duckIdentifier(needed.table());
    }

    private void createTable(String alias, NeededTable needed, List<ImportColumn> columns) throws SQLException {
        String catalog = SqlQuoting.duckIdentifier(alias);
        String schema = catalog + "." + SqlQuoting.duckIdentifier(needed.duckSchema());
        if (!needed.duckSchema().equals("main")) {
            DuckStatements.execute(duck, "CREATE SCHEMA IF NOT EXISTS " + schema, running);
        }
        DuckStatements.execute(duck, "CREATE TABLE " + schema + "." + SqlQuoting.duckIdentifier(needed.table()) + " ("
                + columns.stream().map(c -> SqlQuoting.duckIdentifier(c.name()) + " " + c.duckType())
                .collect(Collectors.joining(", ")) + ")", running);
    }

    private long stream(String select, List<PushedPredicate> pushed, String alias, NeededTable needed,
                        List<ImportColumn> columns) throws SQLException, Cancelled {
        boolean autoCommit = source.getAutoCommit();
        if (type == DatasourceType.POSTGRESQL) {
            source.setAutoCommit(false); // else the driver reads the whole result into memory
        }
        long rows = 0;
        try (PreparedStatement ps = source.prepareStatement(select, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(batchRows);
            int index = 1;
            for (PushedPredicate p : pushed) {
                for (Object v : p.values()) {
                    bind(ps, index++, v);
                }
            }
            running.started(ps);
            try (ResultSet rs = ps.executeQuery();
                 DuckDBAppender appender = duck.unwrap(DuckDBConnection.class)
                         .createAppender(alias, needed.duckSchema(), needed.table())) {
                while (rs.next()) {
                    appender.beginRow();
                    for (int i = 0; i < columns.size(); i++) {
                        columns.get(i).copy(rs, i + 1, appender);
                    }
                    appender.endRow();
                    if (++rows % batchRows == 0) {
                        appender.flush();
                        if (running.cancelled()) {
                            throw new Cancelled();
                        }
                    }
                }
                appender.flush();
            } finally {
                running.finished(ps);
            }
        } finally {
            if (type == DatasourceType.POSTGRESQL && !source.isClosed()) {
                try {
                    source.rollback(); // read only: nothing to keep
                    source.setAutoCommit(autoCommit);
                } catch (SQLException ignored) {
                    // the connection is dropped after the import anyway
                }
            }
        }
        return rows;
    }

    private void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value instanceof BigDecimal d) {
            if (ImportColumn.isLong(d)) {
                ps.setLong(index, d.longValueExact());
            } else {
                ps.setBigDecimal(index, d);
            }
        } else {
            ps.setString(index, (String) value);
        }
    }

    /** The cancel switch was found set between two batches. */
    static final class Cancelled extends Exception {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }
}
